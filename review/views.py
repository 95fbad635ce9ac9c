"""
The reviewers' pages: queue, one claim, conflicts and consensus, agreement.

Every view is for reviewers (claims.models.is_reviewer): anonymous users are
sent to the login page whatever the method (the role check is the outermost
decorator), logged-in users without the role get 403. Recording a
consensus and reopening are for lead reviewers (is_lead). Claims are looked up
through _get_claim(), so an unknown id is a 404. What a reviewer may see of
other reviewers' ratings is decided by Rating.objects.visible_to and
Claim.objects.unblinded_for, never here.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from claims import agreement, policy
from claims.models import (
    READING_ORDER,
    Article,
    Citation,
    Claim,
    ClaimMatch,
    ClaimStatus,
    MarketingFlag,
    MatchState,
    Rating,
    Study,
)
from claims.policy import is_lead, is_reviewer
from review.history import claim_history

from .filters import ReviewQueueFilter
from .forms import (
    AgreementForm,
    ConsensusForm,
    FlagForm,
    FlagStateForm,
    LinkStudyForm,
    RatingForm,
    StudyForm,
    StudySearchForm,
    UnlinkForm,
    published_rating_fields,
)

QUEUE_PAGE_SIZE = 25
CONFLICTS_PAGE_SIZE = 20
STUDY_SEARCH_LIMIT = 20
# The agreement page's per-article table: the articles with the most claims rated twice or more
# (the form picks any other); every rating still counts in the overall row and the pairs.
AGREEMENT_ARTICLES = 20

# /review/conflicts/?show=… : allow-listed tabs.
CONFLICT_TABS = {
    "conflict": "In conflict",
    "agreed": "Agreed, awaiting consensus",
    "finalized": "Finalized",
}


def _role_required(has_role, refusal):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


reviewer_required = _role_required(is_reviewer, "The review pages are for reviewers.")
lead_required = _role_required(is_lead, "Only lead reviewers can record a consensus or reopen a claim.")


def _get_claim(pk):
    """A claim open to reviewers (under review or finalized, drafts included), or 404."""
    return get_object_or_404(Claim.objects.reviewable().select_related("article", "consensus"), pk=pk)


def _safe_next(request, default):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


# --------------------------------------------------------------------------
# Queue


@reviewer_required
@require_safe
def queue(request):
    filterset = ReviewQueueFilter(request.GET, queryset=Claim.objects.review_queue(request.user))
    if filterset.is_valid():
        claims = filterset.qs.select_related("article").defer("article__text")
        page = Paginator(claims, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
        progress = filterset.filter_queryset(Claim.objects.all()).review_progress(
            request.user, waiting=page.paginator.count
        )
    else:
        page = Paginator(Claim.objects.none(), QUEUE_PAGE_SIZE).get_page(1)
        progress = Claim.objects.review_progress(request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "review/queue.html",
        {"filter": filterset, "page": page, "progress": progress, "query": query.urlencode()},
    )


# --------------------------------------------------------------------------
# One claim


def _claim_page(request, claim, status=200, **forms):
    """Render the claim page; `forms` replaces the blank forms with bound ones that carry errors."""
    user = request.user
    my_rating = Rating.objects.filter(claim=claim, reviewer=user).first()
    unblinded = claim.is_unblinded_for(user)
    others = Rating.objects.visible_to(user, claim, unblinded).exclude(reviewer=user).select_related("reviewer")
    flags = MarketingFlag.objects.touching(claim).select_related("raised_by")
    search = StudySearchForm(request.GET)
    found = None
    if search.is_valid() and search.cleaned_data["study_q"]:
        found = Study.objects.search(search.cleaned_data["study_q"]).exclude(citations__claim=claim)[
            :STUDY_SEARCH_LIMIT
        ]
    lead = is_lead(user)
    consensus_note = ""
    if "rating_form" not in forms:
        initial = {}
        if my_rating:
            initial = {
                f: getattr(my_rating, f) for f in ("evidence_strength", "verdict", "extrapolation_concerns", "notes")
            }
        forms["rating_form"] = RatingForm(initial=initial)
    if lead:
        prefetch_related_objects([claim], "ratings")  # read by consensus_initial() and the count below
        initial, consensus_note = claim.consensus_initial()
        forms.setdefault("consensus_form", ConsensusForm(initial=initial))
    forms.setdefault("study_form", StudyForm())
    forms.setdefault("flag_form", FlagForm())
    before, quote, after = claim.paragraph()
    cited, consulted = claim.citations_by_origin()
    context = {
        "claim": claim,
        "before": before,
        "quote": quote,
        "after": after,
        "cited": [(c, policy.may_unlink(user, c)) for c in cited],
        "consulted": [(c, policy.may_unlink(user, c)) for c in consulted],
        "consensus_note": consensus_note,
        "min_ratings": policy.min_ratings(),
        "rating_count": len(claim.ratings.all()) if lead else None,
        "consensus_ready": lead and policy.consensus_ready(len(claim.ratings.all())),
        "published_fields": published_rating_fields(),
        "my_rating": my_rating,
        "other_ratings": others,
        "unblinded": unblinded,
        "flags": [(flag, policy.may_change_flag(user, flag)) for flag in flags],
        "search": search,
        "found_studies": found,
        "is_lead": lead,
        "history": claim_history(claim, user, unblinded),
        "same_elsewhere": _same_elsewhere(user, claim),
        **forms,
    }
    return render(request, "review/claim.html", context, status=status)


def _same_elsewhere(user, claim):
    """
    "The same claim elsewhere": each match with the other claim, whether its
    consensus may be shown (policy: leads, or finalized) and what a lead may do.
    No ratings are shown, so blinding is as on the rest of the page.
    """
    rows = []
    for match in ClaimMatch.objects.shown_with(claim):
        other = match.counterpart(claim)
        confirmed = match.state == MatchState.CONFIRMED
        rows.append(
            {
                "match": match,
                "other": other,
                "consensus": other.consensus_or_none() if policy.may_see_consensus(user, other) else None,
                "may_decide": policy.may_decide_match(user, match),
                "may_reuse": confirmed and policy.may_reuse_consensus(user, claim, other),
            }
        )
    return rows


def _next_claim_url(user, claim):
    """The next claim `user` has not rated, in reading order after `claim` (wrapping round), or the queue."""
    pending = Claim.objects.review_queue(user)
    following = pending.after(claim).first() or pending.first()
    return following.get_review_url() if following else reverse("review:queue")


@reviewer_required
@require_http_methods(["GET", "HEAD", "POST"])
def claim(request, pk):
    claim = _get_claim(pk)
    if request.method != "POST":
        return _claim_page(request, claim)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            _, created = Rating.objects.record(claim, request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Your rating is saved." if created else "Your rating is updated.")
            if "save_next" in request.POST:
                next_url = _next_claim_url(request.user, claim)
                if next_url == reverse("review:queue"):
                    messages.info(request, "You have rated every claim under review.")
                return redirect(next_url)
            return redirect(claim.get_review_url())
    return _claim_page(request, claim, status=400, rating_form=form)


@reviewer_required
@require_POST
def link_study(request, pk):
    claim = _get_claim(pk)
    form = LinkStudyForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["study"]))
        return _claim_page(request, claim, status=400)
    study = form.cleaned_data["study"]
    _, created = claim.link_study(study, request.user)  # evidence the reviewers consulted
    messages.success(request, f"Linked {study.citation}." if created else f"{study.citation} was already linked.")
    return redirect(claim.get_review_url() + "#studies")


@reviewer_required
@require_POST
def add_study(request, pk):
    claim = _get_claim(pk)
    form = StudyForm(request.POST)
    if not form.is_valid():
        return _claim_page(request, claim, status=400, study_form=form)
    if form.known_study is not None:
        # A DOI or PMID belongs to one study: link the one already recorded.
        study = form.known_study
        _, created = claim.link_study(study, request.user)
        verb = "Linked" if created else "Already linked:"
        messages.success(request, f"{verb} the study already recorded with that identifier, {study.citation}.")
        return redirect(claim.get_review_url() + "#studies")
    with transaction.atomic():
        study = form.save()
        claim.link_study(study, request.user)
    messages.success(request, f"Added and linked {study.citation}.")
    return redirect(claim.get_review_url() + "#studies")


@reviewer_required
@require_POST
def unlink_study(request, pk, study_pk):
    """Remove a study from the claim after a confirmation page (with the reason an article's citation needs)."""
    claim = _get_claim(pk)
    citation = get_object_or_404(Citation.objects.select_related("study"), claim=claim, study_id=study_pk)
    policy.refuse_if(policy.unlink_refusal(request.user, citation))  # PermissionDenied -> 403
    form = UnlinkForm(request.POST if "confirmed" in request.POST else None, citation=citation)
    if form.is_valid():
        try:
            # The domain says when a reason is needed (an article's own citation).
            claim.unlink_study(citation.study, request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error("reason", exc)
        else:
            messages.success(request, f"Unlinked {citation.study.citation}. The change is kept in the history.")
            return redirect(claim.get_review_url() + "#studies")
    context = {"claim": claim, "citation": citation, "form": form}
    return render(request, "review/confirm_unlink.html", context, status=400 if form.is_bound else 200)


@reviewer_required
@require_POST
def add_flag(request, pk):
    claim = _get_claim(pk)
    form = FlagForm(request.POST)
    if form.is_valid():
        try:
            flag = MarketingFlag.objects.raise_on_claim(
                claim, form.cleaned_data["phrase"], form.cleaned_data["category"], request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Flagged “{flag.text}” as {flag.get_category_display().lower()}.")
            return redirect(claim.get_review_url() + "#flags")
    return _claim_page(request, claim, status=400, flag_form=form)


@reviewer_required
@require_POST
def flag_state(request, pk, flag_pk):
    claim = _get_claim(pk)
    flag = get_object_or_404(MarketingFlag.objects.touching(claim), pk=flag_pk)
    form = FlagStateForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["state"]))
        return _claim_page(request, claim, status=400)
    flag.set_state(form.cleaned_data["state"], request.user)  # PermissionDenied -> 403
    messages.success(request, f"“{flag.text}”: {flag.get_state_display().lower()}.")
    return redirect(claim.get_review_url() + "#flags")


@lead_required
@require_POST
def consensus(request, pk):
    claim = _get_claim(pk)
    form = ConsensusForm(request.POST)
    if form.is_valid():
        try:
            claim.record_consensus(request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Consensus recorded; claim {claim.pk} is finalized.")
            return redirect(_safe_next(request, claim.get_review_url()))
    return _claim_page(request, claim, status=400, consensus_form=form)


@lead_required
@require_POST
def reopen(request, pk):
    claim = _get_claim(pk)
    if "confirmed" not in request.POST:
        return _confirm(request, claim, "reopen")
    try:
        claim.reopen(request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _claim_page(request, claim, status=400)
    messages.success(request, f"Claim {claim.pk} is reopened for review; the earlier consensus is kept in history.")
    return redirect(_safe_next(request, claim.get_review_url()))


def _confirm(request, claim, action, **extra):
    """The confirmation page of a destructive action: the same POST again, with `confirmed`."""
    fields = {name: request.POST[name] for name in ("decision", "next") if name in request.POST}
    return render(request, "review/confirm.html", {"claim": claim, "action": action, "fields": fields, **extra})


# --------------------------------------------------------------------------
# The same claim elsewhere (matches found by match_claims)


@lead_required
@require_POST
def decide_match(request, pk, match_pk):
    claim = _get_claim(pk)
    match = get_object_or_404(ClaimMatch.objects.of(claim).select_related("claim", "other"), pk=match_pk)
    decision = request.POST.get("decision")
    if decision not in ("confirm", "reject"):
        messages.error(request, "Choose “Same assertion” or “Different assertion”.")
        return _claim_page(request, claim, status=400)
    if "confirmed" not in request.POST:
        return _confirm(request, claim, "match", match=match, other=match.counterpart(claim))
    match.decide(request.user, confirm=decision == "confirm")
    verb = "confirmed as the same assertion" if decision == "confirm" else "rejected"
    messages.success(request, f"The match with claim {match.counterpart(claim).pk} is {verb}; kept in history.")
    return redirect(claim.get_review_url())


@lead_required
@require_POST
def reuse_consensus(request, pk, source_pk):
    claim = _get_claim(pk)
    source = _get_claim(source_pk)
    if "confirmed" not in request.POST:
        return _confirm(request, claim, "reuse", other=source)
    try:
        claim.reuse_consensus(request.user, source)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _claim_page(request, claim, status=400)
    messages.success(request, f"Claim {claim.pk} is finalized with the consensus of claim {source.pk}.")
    return redirect(claim.get_review_url())


# --------------------------------------------------------------------------
# Suggested claims (from the article importer)


@lead_required
@require_safe
def suggestions(request):
    suggested = Claim.objects.filter(status=ClaimStatus.SUGGESTED)
    filterset = ReviewQueueFilter(request.GET, queryset=suggested)
    claims = filterset.qs if filterset.is_valid() else Claim.objects.none()
    claims = claims.select_related("article").defer("article__text").prefetch_related("studies")
    page = Paginator(claims.order_by(*READING_ORDER), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "review/suggestions.html", {"filter": filterset, "page": page, "query": query.urlencode()})


@lead_required
@require_POST
def decide_suggestion(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    decision = request.POST.get("decision")
    if decision == "reject" and "confirmed" not in request.POST:
        return _confirm(request, claim, "reject")
    if decision not in ("accept", "reject"):
        messages.error(request, "Choose Accept or Reject.")
    else:
        try:
            claim.decide_suggestion(request.user, accept=decision == "accept", statement=request.POST.get("statement"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            verb = "accepted for review" if decision == "accept" else "rejected"
            messages.success(request, f"Suggested claim {claim.pk} {verb}.")
    return redirect(_safe_next(request, reverse("review:suggestions")))


# --------------------------------------------------------------------------
# Draft articles (imported, not yet public)


@reviewer_required
@require_safe
def drafts(request):
    """The articles only reviewers see, with how many claims each has under review or suggested."""
    articles = (
        Article.objects.drafts()
        .select_related("previous_version")
        .only(
            "id",
            "title",
            "slug",
            "publisher",
            "source_file",
            "created_at",
            "previous_version__title",
            "previous_version__slug",
        )
        .annotate(
            reviewable_count=Count("claims", filter=policy.reviewable_claims_q("claims__")),
            suggested_count=Count("claims", filter=Q(claims__status=ClaimStatus.SUGGESTED)),
        )
        .order_by("title", "id")
    )
    page = Paginator(articles, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "review/drafts.html", {"page": page, "query": ""})


@lead_required
@require_POST
def publish_article(request, slug):
    """Publish a draft (Article.publish, lead reviewers only), after a confirmation page."""
    article = get_object_or_404(Article.objects.defer("text"), slug=slug)
    if "confirmed" not in request.POST:
        carried = left = None
        if article.previous_version_id is not None:  # what publishing this version would carry over
            carried, left = article.previous_version.carry_plan(article.text)
        return render(request, "review/confirm_publish.html", {"article": article, "carried": carried, "left": left})
    try:
        article.publish(by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("review:drafts")
    messages.success(request, f"“{article.title}” is published: its public claims now show on the public pages.")
    return redirect("review:drafts")


# --------------------------------------------------------------------------
# Conflicts and consensus


@reviewer_required
@require_safe
def conflicts(request):
    """
    Claims whose ratings need a consensus, ratings side by side. Lead reviewers
    see every claim; other reviewers only claims they have rated themselves
    (whose ratings are unblinded for them anyway), without the consensus forms.
    """
    user = request.user
    show = request.GET.get("show")
    show = show if show in CONFLICT_TABS else "conflict"
    claims = Claim.objects.all()
    if show == "finalized":
        claims = claims.finalized()
    else:
        claims = claims.filter(status=ClaimStatus.UNDER_REVIEW)
        claims = claims.in_conflict() if show == "conflict" else claims.in_agreement()
    lead = is_lead(user)
    if not lead:
        claims = claims.rated_by(user)
    claims = (
        claims.select_related("article", "consensus")
        .defer("article__text")
        .prefetch_related(
            Prefetch(
                "ratings",
                queryset=Rating.objects.visible_to(user).select_related("reviewer").order_by("reviewer__username"),
            )
        )
        .order_by(*READING_ORDER)
    )
    page = Paginator(claims, CONFLICTS_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "claim": claim,
            "ratings": list(claim.ratings.all()),
            "ready": policy.consensus_ready(len(claim.ratings.all())),
            **_consensus_form(claim, lead and show != "finalized"),
        }
        for claim in page
    ]
    return render(
        request,
        "review/conflicts.html",
        {
            "page": page,
            "rows": rows,
            "show": show,
            "tabs": CONFLICT_TABS,
            "is_lead": lead,
            "min_ratings": policy.min_ratings(),
        },
    )


def _consensus_form(claim, offered):
    if not offered:
        return {"form": None, "note": ""}
    initial, note = claim.consensus_initial()
    return {"form": ConsensusForm(initial=initial, auto_id=f"id_c{claim.pk}_%s"), "note": note}


# --------------------------------------------------------------------------
# Agreement


@reviewer_required
@require_safe
def agreement_page(request):
    """
    Agreement between reviewers, over the ratings the viewer may see (leads:
    all). A lead may narrow it to one article (?article=SLUG) and see it per pair
    of reviewers.
    """
    lead = is_lead(request.user)
    form = AgreementForm(request.GET)
    if not form.is_valid():
        return render(request, "review/agreement.html", {"form": form, "is_lead": lead}, status=400)
    ratings = Rating.objects.visible_to(request.user)
    article = form.cleaned_data["article"]
    if article is not None:
        ratings = ratings.filter(claim__article=article)
    context = {
        "form": form,
        "article": article,
        "stats": agreement.summary(ratings, max_articles=AGREEMENT_ARTICLES),
        "pairs": agreement.pairs(ratings) if lead else None,
        "is_lead": lead,
    }
    return render(request, "review/agreement.html", context)
