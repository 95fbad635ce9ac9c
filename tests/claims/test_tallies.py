"""
/stats/ adds up tallies kept on each article (claims/tallies.py) instead of reading every
public claim and rating. These tests hold the tallies to what the page computed before,
from the rows themselves, and show each kind of write keeps them true.
"""

import random
from collections import Counter, defaultdict
from importlib import import_module
from itertools import combinations

import krippendorff
import numpy as np
import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import agreement, facets, tallies
from claims.choices import UNDER_REVIEW_KEY, Overclaim
from claims.models import (
    Article,
    Claim,
    ClaimStatus,
    EvidenceStrength,
    MarketingFlag,
    Rating,
    StatsTallyRow,
    Substance,
    Verdict,
)
from tests import factories
from tests.public_pages import reviewed_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied(alice, bob, carol):
    """Two published articles and a draft: finalized, reopened and unreviewed claims, flags, ratings."""
    first = factories.make_article("A works. B fails. C waits. D hides.", title="First", slug="first")
    reviewed_claim(first, "A works.", [alice, bob], carol, strength="high", topic="sleep")
    reviewed_claim(first, "B fails.", [alice, bob, carol], carol, strength="none", topic="pain")
    reopened = reviewed_claim(first, "C waits.", [alice, bob], carol, strength="low", topic="sleep")
    reopened.status = ClaimStatus.UNDER_REVIEW
    reopened.save()
    factories.make_claim(first, "D hides.", status=ClaimStatus.SUGGESTED)
    factories.make_flag(first, "works", category="hype", state="confirmed")
    factories.make_flag(first, "fails", category="absolute", state="dismissed")
    second = factories.make_article("E helps. F cures.", title="Second", slug="second")
    reviewed_claim(second, "E helps.", [alice, bob], carol, strength="moderate", verdict="supports")
    factories.make_claim(second, "F cures.", status=ClaimStatus.UNDER_REVIEW, wording_strength="direct_causal")
    factories.make_flag(second, "cures", category="disease-claim", state="confirmed")
    draft = factories.make_article("G heals.", title="Draft", slug="draft", published_at=None)
    reviewed_claim(draft, "G heals.", [alice, bob], carol, strength="high")
    factories.make_flag(draft, "heals", category="hype", state="confirmed")
    return first, second, draft


def strength_counts(claims, *group_by):
    """Rows of {*group_by, published_strength, n}, counted from the claims: what /stats/ grouped before its tallies."""
    return claims.with_published_strength().order_by().values(*group_by, "published_strength").annotate(n=Count("id"))


def substance_counts(claims):
    """[{slug, name, n}] of claims per root substance, most first, counted from the claims."""
    slug = Coalesce("substance__parent__parent__slug", "substance__parent__slug", "substance__slug")
    name = Coalesce("substance__parent__parent__name", "substance__parent__name", "substance__name")
    rows = (
        claims.filter(substance__isnull=False)
        .order_by()
        .annotate(root_slug=slug, root_name=name)
        .values("root_slug", "root_name")
        .annotate(n=Count("id"))
        .order_by("-n", "root_name")
    )
    return [{"slug": r["root_slug"], "name": r["root_name"], "n": r["n"]} for r in rows]


def test_the_figures_equal_what_the_claims_and_flags_give(varied):
    figures = tallies.Figures(shown=20)
    rows = strength_counts(Claim.objects.public(), "article__title", "topic", "wording_strength")
    strength, by_topic, by_wording, by_article = Counter(), defaultdict(Counter), defaultdict(Counter), {}
    for row in rows:
        strength[row["published_strength"]] += row["n"]
        by_topic[row["topic"]][row["published_strength"]] += row["n"]
        if row["wording_strength"]:
            by_wording[row["wording_strength"]][row["published_strength"]] += row["n"]
        by_article.setdefault(row["article__title"], Counter())[row["published_strength"]] += row["n"]
    assert figures.strength == strength
    assert figures.by_topic == by_topic
    assert figures.by_wording == by_wording
    assert {title: counts for title, _, counts in figures.by_article} == by_article
    assert figures.articles_with_claims == len(by_article)
    assert figures.flags == Counter(MarketingFlag.objects.public().values_list("category", flat=True))
    assert figures.strength[UNDER_REVIEW_KEY] == 2  # the reopened claim and the one never reviewed
    overclaims = (
        Claim.objects.public()
        .order_by()
        .values_list("article__title")
        .annotate(n=Count("id"), o=Count("id", filter=Q(overclaim__in=Overclaim.values)))
    )
    expected = sorted(overclaims, key=lambda row: (-row[2] / row[1], -row[1], row[0]))
    assert [(title, n, o) for title, _, n, o in figures.overclaims] == expected


@pytest.fixture
def substances(db):
    return Substance.objects.get(slug="magnesium"), Substance.objects.get(slug="magnesium-glycinate")


def home_totals_from_the_rows():
    """The home page's figures counted from the rows themselves."""
    public = Claim.objects.public()
    return {
        "articles": Article.objects.public().count(),
        "claims": public.count(),
        "finalized": public.filter(status=ClaimStatus.FINALIZED).count(),
        "flags": MarketingFlag.objects.public().count(),
        "substances": substance_counts(public),
    }


def test_the_home_totals_equal_what_the_articles_and_claims_give(varied, substances, alice):
    magnesium, glycinate = substances
    ashwagandha = Substance.objects.get(slug="ashwagandha")
    first, second, draft = varied
    for quote, substance in [("A works.", glycinate), ("B fails.", ashwagandha), ("E helps.", magnesium)]:
        claim = Claim.objects.get(quote=quote)
        claim.substance = substance
        claim.save()
    Claim.objects.filter(article=draft).update(substance=ashwagandha)  # a draft's claims are not counted
    facets.refresh_articles(Article.objects.filter(pk=draft.pk))
    factories.make_article("Nothing reviewed here.", title="Empty", slug="empty")
    expected = home_totals_from_the_rows()
    assert expected["substances"] == [
        {"slug": "magnesium", "name": "Magnesium", "n": 2},  # a form counted under its parent
        {"slug": "ashwagandha", "name": "Ashwagandha", "n": 1},
    ]
    assert expected["articles"] == 3 and expected["finalized"] == 3 and expected["flags"] == 2
    assert tallies.site_totals() == expected


def test_an_article_created_published_counts_and_deleting_it_takes_it_out(db):
    assert tallies.site_totals()["articles"] == 0
    article = factories.make_article("Nothing reviewed here.")
    factories.make_article("A draft.", published_at=None)
    assert tallies.site_totals()["articles"] == 1
    article.delete()
    assert tallies.site_totals()["articles"] == 0


def test_a_substance_change_moves_the_claim_in_the_home_totals(varied, substances):
    magnesium, _ = substances
    claim = Claim.objects.get(quote="A works.")
    claim.substance = magnesium
    claim.save(update_fields=["substance"])
    assert tallies.site_totals()["substances"] == [{"slug": "magnesium", "name": "Magnesium", "n": 1}]
    claim.substance = Substance.objects.get(slug="zinc")
    claim.save(update_fields=["substance"])
    assert tallies.site_totals()["substances"] == [{"slug": "zinc", "name": "Zinc", "n": 1}]


def test_assigning_substances_in_bulk_refreshes_the_tallies(db):
    article = factories.make_article("Magnesium calms nerves. It works.")
    factories.make_claim(article, "Magnesium calms nerves.")
    assert tallies.site_totals()["substances"] == []
    assert Claim.objects.all().assign_substances() == 1
    assert tallies.site_totals()["substances"] == [{"slug": "magnesium", "name": "Magnesium", "n": 1}]


def test_articles_are_ranked_by_their_share_of_claims_that_overclaim(varied):
    Claim.objects.filter(quote="F cures.").update(evidence_hint="animal")
    Claim.objects.filter(quote="F cures.").refresh_facets()
    assert [(title, n, o) for title, _, n, o in tallies.Figures(shown=20).overclaims] == [
        ("Second", 2, 1),
        ("First", 3, 0),
    ]


@pytest.mark.parametrize("limit", [None, 1])
def test_agreement_from_tallies_equals_agreement_from_the_ratings(varied, limit):
    figures = tallies.Figures(shown=limit or 20)
    expected = agreement.summary(Rating.objects.visible_to(None), max_articles=limit)
    found = agreement.summary_of_tallies(figures.rated, figures.agreement, figures.articles_rated, max_articles=limit)
    assert found == expected


def test_drafts_count_in_no_figure(varied):
    figures = tallies.Figures(shown=20)
    titles = {title for title, *_ in figures.by_article} | {title for _, title, *_ in figures.rated}
    assert titles == {"First", "Second"}
    assert figures.flags["hype"] == 1  # the draft's confirmed hype flag is not counted


def test_publishing_a_draft_adds_its_tally_to_the_sums_and_unpublishing_takes_it_out(varied, carol):
    _, _, draft = varied
    draft.publish(by=carol)
    figures = tallies.Figures(shown=20)
    assert "Draft" in {title for title, *_ in figures.by_article}
    assert figures.flags["hype"] == 2
    draft.published_at = None
    draft.save(update_fields=["published_at"])
    assert tallies.Figures(shown=20).flags["hype"] == 1


def test_publishing_an_article_with_flags_and_no_claims_counts_its_flags(db):
    article = factories.make_article("Miracle cure.", published_at=None)
    factories.make_flag(article, "Miracle", category="hype", state="confirmed")
    assert tallies.Figures(shown=20).flags["hype"] == 0
    article.published_at = article.created_at
    article.save(update_fields=["published_at"])
    assert tallies.Figures(shown=20).flags["hype"] == 1


def test_compacting_keeps_the_sums_in_one_row_per_key(varied):
    before = tallies.site_sums()
    assert StatsTallyRow.objects.count() > len(before)  # one row per change so far
    assert tallies.compact() == len(before)
    assert StatsTallyRow.objects.count() == len(before)
    assert tallies.site_sums() == before


def test_a_topic_change_moves_the_claim_in_the_tally(varied):
    claim = Claim.objects.get(quote="A works.")
    claim.topic = "pain"
    claim.save(update_fields=["topic"])
    assert tallies.stale(Article.objects.all()) == []
    assert tallies.Figures(shown=20).by_topic["pain"]["high"] == 1


def test_a_rating_deleted_from_a_finalized_claim_leaves_its_tally(varied):
    claim = Claim.objects.get(quote="B fails.")
    before = agreement.paired_claims(claim.article.stats_tally)
    Rating.objects.filter(claim=claim).order_by("pk").first().delete()
    claim.article.refresh_from_db()
    assert tallies.stale(Article.objects.all()) == []
    # Three ratings became two: still paired, one rating fewer.
    assert agreement.paired_claims(claim.article.stats_tally) == before
    assert agreement.stats_from_tally(claim.article.stats_tally)["ratings"] == 4


def test_a_rating_of_a_claim_under_review_does_not_touch_the_tally(varied, alice):
    claim = Claim.objects.get(quote="F cures.")
    before = claim.article.stats_tally
    factories.make_rating(claim, alice)
    claim.article.refresh_from_db()
    assert claim.article.stats_tally == before


def test_the_stats_page_reads_a_fixed_number_of_queries(client, varied, alice, bob, carol):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("stats")).status_code == 200
        return len(queries)

    count()  # the topic names are read once, then kept until a topic changes
    small = count()
    for i in range(5):
        article = factories.make_article(f"H{i} helps.", title=f"More {i}", slug=f"more-{i}")
        reviewed_claim(article, f"H{i} helps.", [alice, bob], carol, strength="low")
    assert count() == small


def test_the_migrations_fill_the_tallies_and_sums_the_app_keeps(varied, substances):
    magnesium, glycinate = substances
    Claim.objects.filter(quote="A works.").update(substance=glycinate)
    Claim.objects.filter(quote="E helps.").update(substance=magnesium)
    factories.make_article("Nothing here yet.", title="Empty", slug="empty")
    facets.refresh_articles(Article.objects.all())
    before = tallies.site_sums()
    assert before[f"sub|{glycinate.pk}"] == 1 and before["articles"] == 3
    Article.objects.update(
        stats_tally={}, tally_counted=False, overclaim_claim_count=0, rated_claim_count=0, paired_claim_count=0
    )
    StatsTallyRow.objects.all().delete()
    # As a database migrates: 0029 fills the tallies, 0030 adds the home page's keys.
    import_module("claims.migrations.0029_article_stats_tally").tally_every_article(apps, None)
    import_module("claims.migrations.0030_site_totals_in_tallies").add_home_keys(apps, None)
    assert tallies.stale(Article.objects.all()) == []
    assert tallies.site_sums() == before


def package_alpha(units, level, domain):
    """The `krippendorff` package's alpha on the reliability matrix (coders × units, gaps as NaN)."""
    coders = sorted({coder for unit in units for coder in unit})
    matrix = np.full((len(coders), len(units)), np.nan)
    for j, unit in enumerate(units):
        for coder, value in unit.items():
            matrix[coders.index(coder), j] = value
    return float(krippendorff.alpha(reliability_data=matrix, value_domain=domain, level_of_measurement=level))


def pair_share(values):
    pairs = list(combinations(values, 2))
    return sum(a == b for a, b in pairs) / len(pairs)


@pytest.mark.parametrize("seed", range(20))
def test_stats_from_a_tally_equal_the_per_claim_computation(seed):
    # The references, independent of the code under test: the krippendorff package's alpha on
    # the reliability matrix, and each claim's agreeing pairs counted one by one.
    rng = random.Random(seed)
    reviewers = ["r1", "r2", "r3", "r4"]
    claims = {
        claim: {
            reviewer: (rng.choice(list(EvidenceStrength)), rng.choice(list(Verdict)))
            for reviewer in rng.sample(reviewers, rng.choice([1, 2, 2, 3, 4]))
        }
        for claim in range(rng.randint(5, 60))
    }
    stats = agreement.stats_from_tally(agreement.tally(claims))
    paired = [by_reviewer for by_reviewer in claims.values() if len(by_reviewer) >= 2]
    assert stats["claims_rated"] == len(claims)
    assert stats["claims_paired"] == len(paired)
    assert stats["ratings"] == sum(map(len, paired))
    assert stats["reviewers"] == len({r for by_reviewer in paired for r in by_reviewer})
    for index, (field, (level, to_number, domain)) in enumerate(agreement.VARIABLES.items()):
        units = [{r: to_number(v[index]) for r, v in by_reviewer.items()} for by_reviewer in paired]
        shares = [pair_share(list(unit.values())) for unit in units]
        assert stats[field]["percent_agreement"] == pytest.approx(sum(shares) / len(shares))
        assert stats[field]["alpha"] == pytest.approx(package_alpha(units, level, domain))


def test_the_rows_are_compacted_after_the_commit_that_makes_them_too_many(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(tallies, "COMPACT_AT", 3)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        article = factories.make_article("Miracle cure. Natural calm.")
        factories.make_flag(article, "Miracle", category="hype", state="confirmed")
        factories.make_flag(article, "Natural", category="appeal-to-nature", state="confirmed")
        factories.make_flag(article, "calm", category="hype", state="confirmed")
    # One compaction per transaction, however many writes.
    assert [c for c in callbacks if c is tallies.compact_if_long] == [tallies.compact_if_long]
    assert StatsTallyRow.objects.count() == len(tallies.site_sums()) == 3  # one row per key
    assert tallies.site_sums() == {"articles": 1, "f|hype": 2, "f|appeal-to-nature": 1}


def test_a_full_save_of_a_copy_loaded_earlier_does_not_write_back_its_tally(varied, alice, bob, carol):
    first, _, _ = varied
    loaded = Article.objects.get(pk=first.pk)
    reviewed_claim(first, "D hides.", [alice, bob], carol, strength="moderate", status=ClaimStatus.UNDER_REVIEW)
    loaded.title = "First, renamed"
    loaded.save()
    assert tallies.stale(Article.objects.all()) == []
    assert not tallies.site_is_stale()
    assert tallies.Figures(shown=20).strength["moderate"] == 2


@pytest.mark.skipif(connection.vendor != "sqlite", reason="pins SQLite's plan")
def test_each_ranking_reads_its_index_in_order_rather_than_sorting_every_article(varied):
    # Planned as the page runs them, parameters and all: an ORDER BY expression given a
    # parameter (NULLIF(x, ?)) is not the indexed NULLIF(x, 0), and SQLite sorted every article.
    indexes = ["article_claims_rank_idx", "article_overclaim_rank_idx", "article_paired_rank_idx"]
    for queryset, index in zip(tallies.rankings(shown=20), indexes, strict=True):
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert index in plan and "TEMP B-TREE" not in plan, plan
