"""seed_synthetic: a reproducible, clearly fake data set, never mixed into real data by accident."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db.models import Count

from bench.synthetic import LARGE_ARTICLE_CLAIMS
from claims.models import (
    Article,
    Citation,
    Claim,
    ClaimStatus,
    Consensus,
    MarketingFlag,
    Rating,
    Study,
)
from claims.policy import REVIEWERS_GROUP
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def seed(**options):
    args = {"articles": 12, "claims": 300, "ratings_per_claim": 3, "seed": 1, "verbosity": 0} | options
    call_command("seed_synthetic", **args)


def snapshot():
    """Everything seeded, keyed by natural keys (ids may differ between runs)."""
    return {
        "articles": list(Article.objects.order_by("slug").values_list("slug", "title", "text", "publisher")),
        "claims": list(
            Claim.objects.order_by("article__slug", "start").values_list(
                "article__slug", "start", "end", "quote", "statement", "topic", "population", "status"
            )
        ),
        "citations": sorted(Citation.objects.values_list("claim__article__slug", "claim__start", "study__citation")),
        "ratings": sorted(
            Rating.objects.values_list(
                "claim__article__slug", "claim__start", "reviewer__username", "evidence_strength", "verdict", "notes"
            )
        ),
        "consensus": sorted(Consensus.objects.values_list("claim__article__slug", "claim__start", "verdict")),
        "flags": sorted(MarketingFlag.objects.values_list("article__slug", "start", "category", "state")),
    }


def delete_everything_seeded():
    for model in (MarketingFlag, Consensus, Rating, Citation, Claim, Study, Article):
        model.objects.all().delete()


def test_it_seeds_the_requested_numbers():
    seed()
    assert Article.objects.count() == 12
    assert Claim.objects.count() == 300
    assert Rating.objects.count() == 900
    assert Citation.objects.exists() and MarketingFlag.objects.exists()


def test_every_quote_and_flag_is_the_article_text_between_its_offsets():
    seed()
    for claim in Claim.objects.select_related("article"):
        assert claim.article.text[claim.start : claim.end] == claim.quote
    for flag in MarketingFlag.objects.select_related("article"):
        assert flag.article.text[flag.start : flag.end] == flag.text


def test_every_claim_quote_holds_the_citations_of_the_studies_it_cites():
    seed()
    for citation in Citation.objects.select_related("claim", "study"):
        assert citation.study.citation[1:-1] in citation.claim.quote


def test_the_data_is_marked_synthetic():
    seed()
    assert not Article.objects.real().exists()
    assert all(a.slug.startswith("synthetic-") for a in Article.objects.all())
    assert all(a.content_hash == Article.hash_text(a.text) for a in Article.objects.all())
    dois = list(Study.objects.exclude(doi="").values_list("doi", flat=True))
    assert dois and all(doi.startswith("10.1000/") for doi in dois)
    assert not Study.objects.exclude(pmid="").exists() and not Study.objects.exclude(url="").exists()


def test_finalized_claims_and_only_they_have_a_consensus():
    seed()
    finalized = Claim.objects.filter(status=ClaimStatus.FINALIZED)
    assert 0.3 < finalized.count() / Claim.objects.count() < 0.7
    assert Consensus.objects.count() == finalized.count()
    assert not Consensus.objects.exclude(claim__status=ClaimStatus.FINALIZED).exists()


def test_ratings_are_by_synthetic_reviewers_who_cannot_log_in_yet():
    seed()
    raters = User.objects.filter(ratings__isnull=False).distinct()
    assert raters.count() > 3
    for user in raters:
        assert user.username.startswith("synthetic-reviewer-")
        assert user.groups.filter(name=REVIEWERS_GROUP).exists()
        assert not user.has_usable_password()
    assert not Rating.objects.filter(claim__status=ClaimStatus.SUGGESTED).exists()


def test_it_makes_an_article_with_the_benchmarks_2000_claims():
    seed(articles=3, claims=2 * LARGE_ARTICLE_CLAIMS, ratings_per_claim=0)
    sizes = sorted(Article.objects.annotate(n=Count("claims")).values_list("n", flat=True))
    assert sizes[-1] == LARGE_ARTICLE_CLAIMS
    assert sum(sizes) == 2 * LARGE_ARTICLE_CLAIMS


def test_the_same_seed_gives_the_same_data():
    seed(seed=7)
    first = snapshot()
    delete_everything_seeded()
    seed(seed=7)
    assert snapshot() == first


def test_another_seed_gives_other_data():
    seed(seed=7)
    first = snapshot()
    delete_everything_seeded()
    seed(seed=8)
    assert snapshot()["claims"] != first["claims"]


def test_it_refuses_a_database_with_real_articles():
    make_article()
    with pytest.raises(CommandError, match="real"):
        seed()
    assert Article.objects.count() == 1
    assert not Claim.objects.exists() and not Study.objects.exists()


def test_force_seeds_beside_real_articles():
    real = make_article()
    seed(force=True)
    assert Article.objects.real().get() == real
    assert Article.objects.filter(is_synthetic=True).count() == 12


def test_it_refuses_to_seed_twice():
    seed()
    with pytest.raises(CommandError, match="already holds synthetic"):
        seed(seed=2)
    assert Claim.objects.count() == 300


@pytest.mark.parametrize("options", [{"articles": 0}, {"claims": -1}, {"ratings_per_claim": 51}])
def test_it_rejects_impossible_sizes(options):
    with pytest.raises(CommandError):
        seed(**options)
    assert not Article.objects.exists()


def test_the_seeded_claims_are_in_the_search_index():
    seed()
    cited = Claim.objects.filter(citations__isnull=False).distinct()
    assert set(Claim.objects.search("synthetic study")) == set(cited)
    some = Claim.objects.order_by("pk")[5]
    assert some in Claim.objects.search(some.statement)
