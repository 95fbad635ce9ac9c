from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from django.views.generic import ListView
from django_filters.views import FilterView

from claims import agreement, policy, tallies
from claims.choices import (
    EVIDENCE_HINT_MEANING,
    UNSUPPORTED_VERDICTS,
    WEAK_EVIDENCE_HINTS,
    WEAK_EVIDENCE_STRENGTHS,
    WORDING_MEANING,
    EvidenceHint,
    Overclaim,
    WordingStrength,
)
from claims.models import (
    EVIDENCE_STRENGTH_MEANING,
    MARKETING_CATEGORY_MEANING,
    UNDER_REVIEW_KEY,
    VERDICT_MEANING,
    Article,
    Claim,
    ClaimStatus,
    ClaimTopic,
    EvidenceStrength,
    MarketingCategory,
    MarketingFlag,
    Population,
    Study,
    Verdict,
)

from . import charts, exports, highlight, jsonld
from .filters import DEFAULT_ORDERING, LIST_COUNT_CAP, SEARCH_COUNT_CAP, ClaimFilter, StudyFilter
from .pagination import FriendlyPages, IdsFirstPaginator, capped, count_up_to

# Public pages: anyone may read them, nobody may write through them. Only
# Claim.objects.public() is ever shown, and a rating only once it is finalized
# (Claim.published_consensus / published_ratings / published_strength).


def _methods():
    """The rating scales explained, for the methods section of the home page."""
    return {
        "strengths": [
            (s, s.label, EVIDENCE_STRENGTH_MEANING[s], EvidenceStrength.rating_value(s))
            for s in EvidenceStrength.strongest_first()
        ],
        "verdicts": [(v.label, VERDICT_MEANING[v]) for v in Verdict],
        "categories": [(c.label, MARKETING_CATEGORY_MEANING[c]) for c in MarketingCategory],
    }


def _in_a_sentence(name):
    """'Magnesium' -> 'magnesium', 'Vitamin D' -> 'vitamin D', 'CoQ10' stays: a name inside a sentence."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _substances_phrase(substances, most=3):
    """'magnesium, ashwagandha and turmeric' (the `most` with most claims, then 'and N more'), or ''."""
    names = [_in_a_sentence(s["name"]) for s in substances[:most]]
    if len(substances) > most:
        return f"{', '.join(names)} and {len(substances) - most} more"
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


@require_safe
def home(request):
    # The site's kept sums (claims/tallies.py): the same two queries at any size, where adding
    # up every article's totals and counting the claims per substance grew with them.
    totals = tallies.site_totals()
    substances = totals["substances"]
    for substance in substances:
        substance["name_in_sentence"] = _in_a_sentence(substance["name"])
    return render(
        request,
        "public/home.html",
        {
            "substances": substances,
            "substances_phrase": _substances_phrase(substances),
            "article_count": totals["articles"],
            "claim_count": totals["claims"],
            "finalized_count": totals["finalized"],
            "flag_count": totals["flags"],
            **_methods(),
        },
    )


@method_decorator(require_safe, name="dispatch")
class ClaimListView(FriendlyPages, FilterView):
    """/claims/: the one ClaimFilter (shared with the CSV export) over public claims."""

    filterset_class = ClaimFilter
    template_name = "public/claim_list.html"
    context_object_name = "claims"
    paginate_by = 25

    def get_queryset(self):
        return Claim.objects.public().order_by(*DEFAULT_ORDERING)

    def get_paginator(self, queryset, per_page, **kwargs):
        # The filter picks the page's ids from the indexes; only then are the rows loaded.
        # A search counts up to SEARCH_COUNT_CAP matches, other lists up to LIST_COUNT_CAP
        # (see IdsFirstPaginator), unless the site's sums keep the count (a flag or design alone).
        return IdsFirstPaginator(
            queryset,
            per_page,
            rows=Claim.objects.for_list(),
            count_cap=SEARCH_COUNT_CAP if self.searching else LIST_COUNT_CAP,
            matches=self.filterset.kept_count(),
            **kwargs,
        )

    @property
    def searching(self):
        return self.filterset.is_valid() and bool(self.filterset.form.cleaned_data.get("q"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["searching"] = self.searching
        context["active_filters"] = _active_filters(self.filterset, ignore={"order"})
        context["cards"] = _claim_cards(context["claims"])
        return context


claim_list = ClaimListView.as_view()


@method_decorator(require_safe, name="dispatch")
class OverclaimListView(FriendlyPages, ListView):
    """/overclaims/: public claims whose wording outruns their evidence, the reviewed ones first."""

    template_name = "public/overclaims.html"
    context_object_name = "claims"
    paginate_by = 25

    def get_queryset(self):
        # 'reviewed' sorts after 'automatic': descending puts the reviewed ones first.
        return Claim.objects.public().overclaiming().order_by("-overclaim", *DEFAULT_ORDERING)

    def get_paginator(self, queryset, per_page, **kwargs):
        # Each kind counted up to the list's cap (an exact count of each read every overclaim, the
        # page's largest cost at 1,000,000 claims: docs/benchmarks.md); their sum is the list's count.
        public = Claim.objects.public()
        self.kind_counts = {
            kind: count_up_to(public.filter(overclaim=value), LIST_COUNT_CAP + 1)
            for kind, value in (("reviewed", Overclaim.REVIEWED), ("automatic", Overclaim.AUTOMATIC))
        }
        return IdsFirstPaginator(
            queryset,
            per_page,
            rows=Claim.objects.for_list(),
            count_cap=LIST_COUNT_CAP,
            matches=sum(self.kind_counts.values()),
            **kwargs,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            counts={kind: capped(n, LIST_COUNT_CAP) for kind, n in self.kind_counts.items()},
            cards=_claim_cards(context["claims"]),
            weak_strengths=[EvidenceStrength(v).label for v in WEAK_EVIDENCE_STRENGTHS],
            unsupported=[Verdict(v).label for v in UNSUPPORTED_VERDICTS],
            weak_hints=[EvidenceHint(v).label for v in WEAK_EVIDENCE_HINTS],
        )
        return context


overclaim_list = OverclaimListView.as_view()


def _active_filters(filterset, ignore=()):
    """How many filters the query string sets (a sort order is not a filter): the fold opens for any."""
    if not filterset.is_bound:
        return 0
    form = filterset.form
    return sum(1 for name in form.fields if name not in ignore and form.data.get(name))


# As get_FOO_display() gives them, without rebuilding a dict of the choices on each call
# (the strength and verdict labels are the article highlights' own).
POPULATION_LABELS = dict(Population.choices)


def _claim_cards(claims):
    """
    What the card of each claim shows (public/partials/claim_cards.html), worked
    out once per claim; claims come from Claim.objects.for_list(). Reading
    these dicts is the template engine's fast path: the same cards rendered
    from the instances (get_*_display, get_absolute_url and truncatewords in
    the template, an include per card) took twice as long, a quarter of a
    /claims/ page.
    """
    claims = list(claims)
    topic_labels = ClaimTopic.lookup()  # cached: the topics table (leads edit it)
    # The confirmed flags of the page's claims, in one query, each marked in its claim's quote.
    flags = list(
        MarketingFlag.objects.confirmed()
        .touching_any(claims)
        .only("id", "claim_id", "article_id", "start", "end", "category")
        .order_by("start", "id")
    )
    cards = []
    for claim in claims:
        consensus = claim.published_consensus  # None until the claim is finalized
        strength = consensus.evidence_strength if consensus else None
        verdict = consensus.verdict if consensus else None
        article = claim.article
        cards.append(
            {
                "pk": claim.pk,
                "url": claim.get_absolute_url(),
                "statement": claim.statement,
                "strength": strength,
                "strength_label": highlight.STRENGTH_LABELS.get(strength, strength),
                "verdict_label": highlight.VERDICT_LABELS.get(verdict, verdict),
                "quote": highlight.quote_html(
                    claim.quote,
                    claim.start,
                    [flag for flag in flags if policy.flag_touches_claim(flag, claim)],
                    cues=claim.wording_cues,
                ),
                **automatic_reading(claim),
                "article_url": article.get_absolute_url(),
                "article_title": article.title,
                "topic": topic_labels.get(claim.topic, claim.topic),
                "substance": claim.substance.name if claim.substance else "",
                "substance_url": claim.substance.get_claims_url() if claim.substance else "",
                "population": POPULATION_LABELS.get(claim.population, claim.population),
                "studies": [(study.get_absolute_url(), study.citation) for study in claim.cited_studies],
            }
        )
    return cards


WORDING_LABELS = dict(WordingStrength.choices)
EVIDENCE_LABELS = dict(EvidenceHint.choices)
OVERCLAIM_LABELS = dict(Overclaim.choices)


def automatic_reading(claim):
    """What a card or page shows of the claim's automatic reading ({} before it is read)."""
    if not claim.wording_strength:
        return {}
    return {
        "wording": WORDING_LABELS.get(claim.wording_strength, claim.wording_strength),
        "evidence": EVIDENCE_LABELS.get(claim.evidence_hint, claim.evidence_hint),
        "evidence_cues": list(dict.fromkeys(text for text, _start, _end in claim.evidence_cues)),
        "overclaim": claim.overclaim,
        "overclaim_label": OVERCLAIM_LABELS.get(claim.overclaim, ""),
    }


@require_safe
def claim_detail(request, pk):
    claim = get_object_or_404(Claim.objects.public().select_related("article", "consensus", "substance"), pk=pk)
    canonical_url = request.build_absolute_uri(claim.get_absolute_url())
    cited, consulted = claim.citations_by_origin()
    before, quote, after = claim.paragraph()
    return render(
        request,
        "public/claim_detail.html",
        {
            "claim": claim,
            "consensus": claim.published_consensus,
            "ratings": claim.published_ratings(),
            "cited": [citation.study for citation in cited],
            "consulted": [citation.study for citation in consulted],
            "flags": claim.public_flags(),
            # Confirmed by a lead (AssertionGroup); one query, whatever the group's size.
            "same_assertion": list(claim.same_assertion_claims().public().defer("article__text")),
            "context_before": before,
            "context_after": after,
            "quote_html": highlight.reading_cues_html(claim.quote, claim.wording_cues),
            "reading": automatic_reading(claim),
            "wording_meaning": WORDING_MEANING.get(claim.wording_strength, ""),
            "evidence_meaning": EVIDENCE_HINT_MEANING.get(claim.evidence_hint, ""),
            "canonical_url": canonical_url,
            "claim_review": jsonld.claim_review(claim, canonical_url),
        },
    )


@method_decorator(require_safe, name="dispatch")
class ArticleListView(ListView):
    template_name = "public/article_list.html"
    context_object_name = "articles"
    paginate_by = 50

    def get_queryset(self):
        # Flags counted in a subquery: a second join beside claims would multiply the rows.
        flags = (
            MarketingFlag.objects.confirmed()
            .filter(article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(n=Count("id"))
            .values("n")
        )
        public = policy.public_claims_q(prefix="claims__")
        return (
            Article.objects.public()
            .only("id", "title", "slug", "publisher", "promotes_product")
            .annotate(
                claim_count=Count("claims", filter=public),
                finalized_count=Count("claims", filter=Q(claims__status=ClaimStatus.FINALIZED)),
                flag_count=Coalesce(Subquery(flags), 0),
            )
            .order_by("title", "id")
        )


article_list = ArticleListView.as_view()


@require_safe
def article_detail(request, slug):
    # The newer public version, if any, comes in the same query: most articles have none.
    newer = Article.objects.public().filter(previous_version=OuterRef("pk"))
    article = get_object_or_404(
        Article.objects.public()
        .select_related("previous_version")
        .annotate(newer_slug=Subquery(newer.values("slug")[:1]), newer_title=Subquery(newer.values("title")[:1])),
        slug=slug,
    )
    # Rows, not model instances: an article may have thousands of claims, and
    # building an instance (and its consensus) for each took longer than the query
    # (docs/benchmarks.md).
    claims = list(
        Claim.objects.public()
        .filter(article=article)
        .with_published_strength()
        .values("id", "start", "end", "published_strength", "consensus__verdict")
    )
    flags = list(article.marketing_flags.confirmed().values("start", "end", "category"))
    return render(
        request,
        "public/article_detail.html",
        {
            "article": article,
            "article_html": highlight.article_html(article.text, claims, flags),
            "strength_summary": _strength_summary(claims),
            "flag_summary": _flag_summary(flags),
            "claim_count": len(claims),
            "flag_count": len(flags),
            "canonical_url": request.build_absolute_uri(article.get_absolute_url()),
            **_version_history(article),
        },
    )


def _version_history(article):
    """
    The public versions of a page and what changed since the reviewed (previous)
    version. Only versions that are published are named: a draft version is the
    reviewers' business until a lead publishes it.
    """
    previous = article.previous_version
    if not article.newer_slug and not (previous and previous.is_published):
        return {}
    versions = [v for v in article.versions() if v.is_published]
    changes = article.changes_since_previous() if previous and previous.is_published else []
    counts = {kind: sum(1 for k, _b, _a in changes if k == kind) for kind in ("added", "changed", "removed")}
    return {"versions": versions, "changes": changes, "change_counts": counts}


def _strength_summary(claims):
    counts = {}
    for claim in claims:
        counts[claim["published_strength"]] = counts.get(claim["published_strength"], 0) + 1
    return [(key, label, counts[key]) for key, label in charts.STRENGTH_KEYS if counts.get(key)]


def _flag_summary(flags):
    counts = {}
    for flag in flags:
        counts[flag["category"]] = counts.get(flag["category"], 0) + 1
    return [(c.label, MARKETING_CATEGORY_MEANING[c], counts[c]) for c in MarketingCategory if counts.get(c)]


@require_safe
def study_detail(request, pk):
    # A study is public once a public claim cites it. EXISTS, checked for this
    # study alone: `claims__in=public_claims` made SQLite list every public claim
    # first.
    study = get_object_or_404(Study.objects.public(), pk=pk)
    claims = Claim.objects.public().filter(studies=study).for_list().order_by(*DEFAULT_ORDERING)
    return render(
        request,
        "public/study_detail.html",
        {
            "study": study,
            "claims": claims,
            "cards": _claim_cards(claims),
            "canonical_url": request.build_absolute_uri(study.get_absolute_url()),
        },
    )


# How many of the claims citing a study /studies/ lists under it; the study's page has them all.
STUDY_LIST_CLAIMS = 5


@method_decorator(require_safe, name="dispatch")
class StudyListView(FriendlyPages, FilterView):
    """/studies/: the studies public claims cite, filtered by design and by whether identified."""

    filterset_class = StudyFilter
    template_name = "public/study_list.html"
    context_object_name = "studies"
    paginate_by = 25

    def get_queryset(self):
        citing = Prefetch(
            "claims",
            # The first few public claims citing each study of the page (one query for the page).
            queryset=Claim.objects.public().only("id", "statement").order_by(*DEFAULT_ORDERING)[:STUDY_LIST_CLAIMS],
            to_attr="listed_claims",
        )
        return (
            Study.objects.public()
            .annotate(claim_count=Count("claims", filter=policy.public_claims_q(prefix="claims__"), distinct=True))
            .prefetch_related(citing)
            .order_by("citation", "id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["active_filters"] = _active_filters(self.filterset)
        return context


study_list = StudyListView.as_view()


@require_safe
def stats(request):
    # The site's kept sums and the few articles its rankings name (claims/tallies.py),
    # not every public claim and rating.
    figures = tallies.Figures(shown=charts.MAX_GROUPS)
    return render(
        request,
        "public/stats.html",
        {
            "overall": charts.strength_overall(figures.strength),
            "by_article": charts.strength_by_article(figures.by_article, figures.articles_with_claims),
            "by_topic": charts.strength_by_topic(figures.by_topic),
            "by_wording": charts.strength_by_wording(figures.by_wording),
            "overclaims_by_article": charts.overclaims_by_article(figures.overclaims, figures.articles_with_claims),
            "flags": charts.bar_chart(
                "Confirmed marketing flags by category",
                [(c.label, figures.flags.get(c, 0), "flag") for c in MarketingCategory],
            ),
            # Agreement over what the public may see: ratings of finalized claims. The table
            # names the articles with the most paired claims; all of them counted in the total.
            "agreement": agreement.summary_of_tallies(
                figures.rated, figures.agreement, figures.articles_rated, max_articles=charts.MAX_GROUPS
            ),
            "under_review_key": UNDER_REVIEW_KEY,
        },
    )


# --------------------------------------------------------------------------
# CSV exports: the claims /claims/ shows for the same query string.
# What each user may see and the columns are decided in public.exports.


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
