from django.shortcuts import render
from django.views.decorators.http import require_safe

from .models import Article, Claim


@require_safe
def home(request):
    return render(
        request,
        "public/home.html",
        {"article_count": Article.objects.count(), "claim_count": Claim.objects.public().count()},
    )
