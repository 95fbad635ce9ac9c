"""
The public pages on a synthetic data set: query counts pinned, whatever the
filter, the page number or the size of the data; ids-first pages are the same
claims a plain slice would give; the faster filter formulations keep their rules.
"""

import re

import pytest
from django import forms
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import models as claim_models
from claims.choices import MarketingCategory, StudyDesign
from claims.models import Article, Citation, Claim, ClaimStatus, MarketingFlag, ReviewerPseudonym
from public import filters
from public.filters import ClaimFilter
from public.pagination import IdsFirstPaginator
from tests.public_pages import VERSION_QUERY

pytestmark = pytest.mark.django_db
URL = reverse("claim_list")
PER_PAGE = 25


def seed(claims):
    call_command("seed_synthetic", articles=8, claims=claims, ratings_per_claim=2, seed=3, verbosity=0)


@pytest.fixture
def data():
    seed(400)


def filtered_ids(params):
    return list(ClaimFilter(params, queryset=Claim.objects.public()).qs.values_list("pk", flat=True))


LIST_VARIANTS = [
    {},
    {"topic": "sleep"},
    {"strength": "none"},
    {"verdict": "partially"},
    {"flag": "vague-authority"},
    {"flag": "any"},
    {"design": "animal"},
    {"population": "animal"},
    {"status": "finalized"},
    {"linked": "true"},
    {"linked": "false"},
    {"order": "newest"},
    {"order": "topic"},
    {"page": 3},
]

SEARCH_VARIANTS = [
    {"q": "magnesium", "order": "article"},
]

# Newest first, a search's default order: the newest claim id is read first (the window of
# ClaimQuerySet.first_ids), whether or not the data reaches past the window.
NEWEST_FIRST_SEARCH_VARIANTS = [
    {"q": "magnesium"},
    {"q": "synthetic stu"},
    {"q": "magnesium", "page": 3},
    {"topic": "sleep", "population": "human", "q": "magnesium"},
]


# Queries of a list page: 1 count (for a flag or a design alone, the site's kept sum:
# claims/tallies.py), 2 the page's ids, 3 those claims with article and
# consensus, 4 their cited studies, 5 the confirmed flags touching them (marked in the
# cards' quotes), 6 the article choices of the filter form, 7 whether a demonstration
# review's ratings are published (the notice), 8 the topics table (ClaimTopic: labels and
# choices, read once per process and cached; every test starts with it empty), 9 the
# substance choices of the filter form. A search reads the ids of its first
# SEARCH_COUNT_CAP + 1 matches once: its count and page's ids; newest first, it reads
# the newest claim id before them.
VARIANTS = [
    pytest.param(params, queries, id="&".join(f"{k}={v}" for k, v in params.items()) or "all")
    for variants, queries in ((LIST_VARIANTS, 9), (SEARCH_VARIANTS, 8), (NEWEST_FIRST_SEARCH_VARIANTS, 9))
    for params in variants
]


@pytest.mark.parametrize(("params", "queries"), VARIANTS)
@pytest.mark.parametrize("size", [200, 600])
def test_every_claim_list_variant_runs_a_constant_number_of_queries(
    client, django_assert_num_queries, params, queries, size
):
    seed(size)
    with django_assert_num_queries(VERSION_QUERY + queries):
        response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["claims"], "a variant with no results would not show the page's queries"


def test_the_article_filter_adds_only_its_lookup(client, data, django_assert_num_queries):
    article = Article.objects.order_by("id").first()
    with django_assert_num_queries(VERSION_QUERY + 10):
        # the nine of every list page, and the article looked up by slug.
        response = client.get(URL, {"article": article.slug})
    assert {c.article_id for c in response.context["claims"]} == {article.pk}


def test_a_deep_page_is_the_same_claims_as_a_plain_slice(client, data):
    everything = filtered_ids({})
    last = (len(everything) - 1) // PER_PAGE + 1
    for number in (1, 2, last - 1, last):
        response = client.get(URL, {"page": number})
        shown = [claim.pk for claim in response.context["claims"]]
        assert shown == everything[(number - 1) * PER_PAGE : number * PER_PAGE]


def test_a_filtered_deep_page_is_the_same_claims_as_a_plain_slice(client, data):
    params = {"population": "human", "order": "newest"}
    everything = filtered_ids(params)
    assert len(everything) > 2 * PER_PAGE
    response = client.get(URL, {**params, "page": 2})
    assert [claim.pk for claim in response.context["claims"]] == everything[PER_PAGE : 2 * PER_PAGE]


@pytest.mark.parametrize("window", [50, 150, 390, 100_000])
@pytest.mark.parametrize("q", ["magnesium", "synthetic stu", "synthetic study 1", "sleep quality"])
def test_a_search_read_window_first_gives_the_ids_of_a_plain_slice(data, monkeypatch, q, window):
    # Windows that hold all, some or none of a word's first 1,001 matches, and one that
    # holds every claim; with the window past the newest id, the rest alone.
    monkeypatch.setattr(claim_models, "SEARCH_WINDOW", window)
    searched = ClaimFilter({"q": q}, queryset=Claim.objects.public()).qs
    plain = list(searched.values_list("pk", flat=True)[:1001])
    assert plain, "a word with no matches would prove nothing"
    for limit in (1, 10, len(plain) - 1, len(plain), 1001):
        assert searched.first_ids(limit) == plain[:limit]


def test_a_search_read_window_first_reads_further_back_only_when_the_window_is_short(data, monkeypatch):
    monkeypatch.setattr(claim_models, "SEARCH_WINDOW", 100)
    searched = ClaimFilter({"q": "magnesium"}, queryset=Claim.objects.public()).qs
    newest = Claim.objects.order_by("-pk").values_list("pk", flat=True).first()
    in_window = [pk for pk in searched.values_list("pk", flat=True) if pk > newest - 100]
    with CaptureQueriesContext(connection) as enough:
        assert searched.first_ids(len(in_window)) == in_window
    with CaptureQueriesContext(connection) as short:
        ids = searched.first_ids(len(in_window) + 5)
    assert ids[: len(in_window)] == in_window
    assert len(ids) == len(in_window) + 5
    assert (len(enough), len(short)) == (2, 3)  # the newest id, the window, then the rest


def test_other_orders_read_their_first_ids_plainly(data, monkeypatch):
    monkeypatch.setattr(claim_models, "SEARCH_WINDOW", 50)
    for params in ({"q": "magnesium", "order": "article"}, {"order": "newest"}, {}):
        qs = ClaimFilter(params, queryset=Claim.objects.public()).qs
        with CaptureQueriesContext(connection) as queries:
            ids = qs.first_ids(300)
        assert ids == list(qs.values_list("pk", flat=True)[:300])
        assert len(queries) == 1


def test_the_paginator_keeps_the_order_of_the_ids_and_skips_vanished_rows(data):
    ordered = Claim.objects.public().order_by("-id")
    ids = list(ordered.values_list("pk", flat=True)[:5])
    paginator = IdsFirstPaginator(ordered, 5, rows=Claim.objects.exclude(pk=ids[2]))
    assert [claim.pk for claim in paginator.page(1)] == ids[:2] + ids[3:]


def test_the_paginator_keeps_orphans_on_the_last_page(data):
    ordered = Claim.objects.public().order_by("id")
    total = ordered.count()
    paginator = IdsFirstPaginator(ordered, total - 2, orphans=2, rows=Claim.objects.all())
    assert paginator.num_pages == 1
    assert len(paginator.page(1)) == total


def test_the_article_page_with_the_most_claims_is_four_queries(client, django_assert_num_queries):
    seed(4000)  # one article gets the benchmark's 2,000 claims
    article = Article.objects.annotate(n=Count("claims")).order_by("-n").first()
    assert article.n == 2000
    with django_assert_num_queries(VERSION_QUERY + 4):
        # 1 the article, 2 its public claims with their consensus, 3 its confirmed flags, 4 the notice.
        response = client.get(article.get_absolute_url())
    assert response.context["claim_count"] == article.claims.public().count()


@pytest.mark.parametrize("articles,claims", [(8, 200), (24, 600)])
def test_the_home_page_is_the_same_queries_at_any_size(client, django_assert_num_queries, articles, claims):
    call_command("seed_synthetic", articles=articles, claims=claims, ratings_per_claim=2, seed=3, verbosity=0)
    with django_assert_num_queries(VERSION_QUERY + 2):
        # 1 the site's sums (claims/tallies.py; the synthetic claims name no substance, so no
        # second query for substances' names), 2 the notice's demonstration accounts.
        response = client.get(reverse("home"))
    assert response.context["article_count"] == Article.objects.public().count() == articles
    assert response.context["claim_count"] == Claim.objects.public().count()


@pytest.mark.parametrize("size", [200, 600])
def test_the_stats_page_is_the_same_queries_at_any_size(client, django_assert_num_queries, size):
    seed(size)
    with django_assert_num_queries(VERSION_QUERY + 6):
        # 1 the site's sums, 2-4 the twenty articles of each ranking (most claims, highest share
        # that overclaims, most paired claims), 5 the notice's demonstration accounts, 6 the topics
        # table for the topics' labels (cached per process; cold here).
        response = client.get(reverse("stats"))
    assert response.status_code == 200
    assert response.context["agreement"]["overall"]["claims_paired"]


def test_a_claim_page_is_five_queries(client, data, django_assert_num_queries):
    claim = Claim.objects.filter(status=ClaimStatus.FINALIZED, citations__isnull=False).order_by("id").first()
    ReviewerPseudonym.objects.assign_missing()  # as the first page or export showing a rating does
    with django_assert_num_queries(VERSION_QUERY + 6):
        # 1 the claim with article, consensus and substance, 2 public ratings (+ pseudonyms), 3 studies,
        # 4 flags, 5 the notice, 6 the topics table for the topic's label (cached per process; cold here).
        response = client.get(claim.get_absolute_url())
    assert response.status_code == 200


def test_the_article_filter_is_a_text_box_when_there_are_many_articles(client, data, monkeypatch):
    monkeypatch.setattr(filters, "ARTICLE_SELECT_MAX", 3)
    html = client.get(URL).content.decode()
    assert '<input type="text" name="article"' in html
    assert '<select name="article"' not in html


def test_the_article_filter_is_a_drop_down_when_there_are_few(client, data):
    html = client.get(URL).content.decode()
    assert '<select name="article"' in html
    assert html.count('<option value="synthetic-') == Article.objects.count()


def test_an_unknown_slug_in_the_article_box_is_a_form_error(client, data, monkeypatch):
    monkeypatch.setattr(filters, "ARTICLE_SELECT_MAX", 3)
    response = client.get(URL, {"article": "no-such-article"})
    assert response.status_code == 400
    assert response.context["filter"].form.errors
    assert not response.context["claims"]


# The filters rewritten as `pk IN (subquery)` keep the rules of the EXISTS forms they replaced.


def test_the_flag_filter_keeps_the_touching_rule(data):
    public = Claim.objects.public()
    for category in ("vague-authority", "hype", "any"):
        flags = MarketingFlag.objects.confirmed()
        if category != "any":
            flags = flags.filter(category=category)
        expected = {claim.pk for claim in public if flags.touching(claim).exists()}
        assert set(filtered_ids({"flag": category})) == expected


def test_the_design_filter_finds_claims_citing_a_study_of_that_design(data):
    expected = set(
        Citation.objects.filter(study__design="animal", claim__in=Claim.objects.public()).values_list(
            "claim_id", flat=True
        )
    )
    assert expected and set(filtered_ids({"design": "animal"})) == expected


KEPT_COUNT_PARAMS = [{"flag": value} for value in ["any", *MarketingCategory.values]] + [
    {"design": value} for value in StudyDesign.values
]


def test_a_flag_or_design_filter_alone_counts_from_the_site_sums(data):
    # A draft's claims are in no public count: the sums add up published articles only.
    draft = Article.objects.filter(claims__flag_bits__gt=0).order_by("pk").first()
    draft.published_at = None
    draft.save(update_fields=["published_at"])
    for params in KEPT_COUNT_PARAMS:
        for order in (None, "newest"):
            form = {**params, "order": order} if order else params
            kept = ClaimFilter(form, queryset=Claim.objects.public()).kept_count()
            assert kept == len(filtered_ids(params)), params
    assert {"flag": "hype"} in KEPT_COUNT_PARAMS and len(filtered_ids({"design": "animal"})) > 0


@pytest.mark.parametrize("params", [{"flag": "any", "topic": "sleep"}, {"design": "animal", "q": "magnesium"}, {}])
def test_other_filters_count_the_claims_themselves(data, params):
    assert ClaimFilter(params, queryset=Claim.objects.public()).kept_count() is None


def test_a_flag_no_claim_has_answers_without_reading_the_claims(client, data):
    assert not filtered_ids({"flag": "hype"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"flag": "hype"})
    assert response.status_code == 200 and response.context["paginator"].count == 0
    assert not [q["sql"] for q in queries if "flag_bits" in q["sql"]]


def test_the_linked_filter_splits_the_claims_in_two(data):
    linked = set(filtered_ids({"linked": "true"}))
    unlinked = set(filtered_ids({"linked": "false"}))
    assert linked and unlinked and not linked & unlinked
    assert linked | unlinked == set(Claim.objects.public().values_list("pk", flat=True))
    for claim in Claim.objects.filter(pk__in=linked).prefetch_related("studies"):
        assert any(study.is_linked for study in claim.studies.all())


def normalised(html):
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("params", [{}, {"topic": "sleep", "order": "newest", "linked": "false"}, {"flag": "any"}])
def test_the_fast_select_renders_what_djangos_select_renders(params):
    form = ClaimFilter(params, queryset=Claim.objects.none()).form
    selects = [name for name, field in form.fields.items() if isinstance(field.widget, filters.FastSelect)]
    assert len(selects) == 13  # the ten filters (substance added), the three automatic readings
    for name in selects:
        field = form[name]
        django_select = forms.Select(attrs=field.field.widget.attrs, choices=field.field.widget.choices)
        expected = django_select.render(field.html_name, field.value(), attrs={"id": field.auto_id})
        assert normalised(field.as_widget()) == normalised(expected)


def test_the_fast_select_escapes_labels_and_values():
    widget = filters.FastSelect(choices=[('"><script>', "<b>&</b>")])
    html = widget.render("x", '"><script>')
    assert "<script>" not in html and "<b>" not in html
    assert 'value="&quot;&gt;&lt;script&gt;" selected' in html
