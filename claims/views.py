from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import exports
from .filters import ClaimFilter
from .models import Article, Claim


@require_safe
def home(request):
    return render(
        request,
        "public/home.html",
        {"article_count": Article.objects.count(), "claim_count": Claim.objects.public().count()},
    )


# --------------------------------------------------------------------------
# CSV exports (issue 8): the claims /claims/ shows for the same query string.
# What each user may see and the columns are decided in claims.exports.


def _bad_filters(filterset):
    lines = ["Nothing was exported: these filter values are not valid."]
    lines += [f"{field}: {error}" for field, errors in filterset.errors.items() for error in errors]
    return HttpResponseBadRequest("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def export_ratings(request):
    claims = ClaimFilter(request.GET, queryset=Claim.objects.public())
    if not claims.is_valid():
        return _bad_filters(claims)
    return exports.RATINGS.response(exports.ratings_of(claims.qs, request.user), request.user)


@require_safe
def export_claims(request):
    claims = ClaimFilter(request.GET, queryset=Claim.objects.public())
    if not claims.is_valid():
        return _bad_filters(claims)
    return exports.CLAIMS.response(claims.qs, request.user)
