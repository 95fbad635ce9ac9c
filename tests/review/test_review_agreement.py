"""
Agreement: Krippendorff's alpha against the published worked example, percent agreement, the page.

The worked example is Krippendorff's reliability data for 4 observers × 12
units with missing values (K. Krippendorff, "Computing Krippendorff's
Alpha-Reliability", 2011, section C): nominal alpha = 0.743 (exactly 113/152);
the same data read as ordinal give 0.815, as the `krippendorff` package's own
documentation reproduces from that paper.
"""

import math

import pytest
from django.urls import reverse

from claims import agreement
from claims.models import EvidenceStrength, Rating
from tests.factories import make_article, make_claim, make_rating, make_reviewer

N = None
WORKED_EXAMPLE = {  # observer -> values for units 1..12; None = missing
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    "C": [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
}


def worked_units():
    return [
        {observer: values[unit] for observer, values in WORKED_EXAMPLE.items() if values[unit] is not None}
        for unit in range(12)
    ]


def test_nominal_alpha_matches_the_worked_example():
    assert agreement.alpha(worked_units(), "nominal") == pytest.approx(113 / 152)
    assert round(agreement.alpha(worked_units(), "nominal"), 3) == 0.743


def test_ordinal_alpha_matches_the_worked_example():
    assert round(agreement.alpha(worked_units(), "ordinal"), 3) == 0.815


def test_alpha_is_none_when_it_cannot_be_computed():
    assert agreement.alpha([], "nominal") is None
    assert agreement.alpha([{"A": 1}, {"B": 2}], "nominal") is None  # nothing pairable
    assert agreement.alpha([{"A": 1, "B": 1}, {"A": 1, "B": 1}], "nominal") is None  # no variation


def test_perfect_agreement_is_alpha_one():
    assert agreement.alpha([{"A": 1, "B": 1}, {"A": 2, "B": 2}], "nominal") == 1.0


def test_percent_agreement_is_the_share_of_agreeing_pairs():
    assert agreement.percent_agreement(["a", "a"]) == 1.0
    assert agreement.percent_agreement(["a", "b"]) == 0.0
    assert agreement.percent_agreement(["a", "a", "b"]) == pytest.approx(1 / 3)
    assert agreement.percent_agreement(["a"]) is None


# The worked example's values 1..5 as evidence strengths, in rank order: ordinal alpha is unchanged.
STRENGTH_FOR = {1: "none", 2: "very_low", 3: "low", 4: "moderate", 5: "high"}


def load_worked_example_as_ratings():
    """Twelve claims in one article, four reviewers, evidence strengths as in the worked example."""
    article = make_article(text="A claim.", title="Worked example")
    claims = [make_claim(article, quote="A claim.") for _ in range(12)]
    for observer, values in WORKED_EXAMPLE.items():
        reviewer = make_reviewer(f"observer-{observer.lower()}")
        for claim, value in zip(claims, values, strict=True):
            if value is not None:
                make_rating(claim, reviewer, evidence_strength=STRENGTH_FOR[value], verdict="supports")
    return article


@pytest.mark.django_db
def test_summary_reproduces_the_worked_example_from_ratings():
    article = load_worked_example_as_ratings()
    stats = agreement.summary(Rating.objects.all())
    overall = stats["overall"]
    assert round(overall["evidence_strength"]["alpha"], 3) == 0.815
    assert overall["evidence_strength"]["level"] == "ordinal"
    assert overall["claims_paired"] == 11  # unit 12 has a single rating
    assert overall["claims_rated"] == 12
    assert overall["verdict"]["alpha"] is None  # every verdict the same: no variation
    assert overall["verdict"]["percent_agreement"] == 1.0
    assert [a["slug"] for a in stats["articles"]] == [article.slug]
    assert stats["articles"][0]["evidence_strength"]["alpha"] == overall["evidence_strength"]["alpha"]


@pytest.mark.django_db
def test_summary_is_per_article(alice, bob):
    agreeing, disagreeing = make_article(title="A agrees"), make_article(title="B disagrees")
    one, two = make_claim(agreeing), make_claim(disagreeing)
    for reviewer in (alice, bob):
        make_rating(one, reviewer, evidence_strength="low", verdict="supports")
    make_rating(two, alice, evidence_strength="low", verdict="supports")
    make_rating(two, bob, evidence_strength="high", verdict="partially")
    rows = agreement.summary(Rating.objects.all())["articles"]
    assert [r["title"] for r in rows] == ["A agrees", "B disagrees"]
    assert rows[0]["verdict"]["percent_agreement"] == 1.0
    assert rows[1]["verdict"]["percent_agreement"] == 0.0
    assert agreement.summary(Rating.objects.all())["overall"]["verdict"]["percent_agreement"] == 0.5


@pytest.mark.django_db
def test_agreement_page_shows_the_worked_example_alpha(client, carol):
    load_worked_example_as_ratings()
    client.force_login(carol)
    response = client.get(reverse("review:agreement"))
    assert response.status_code == 200
    assert "<td>0.815</td>" in response.content.decode()


@pytest.mark.django_db
def test_agreement_page_counts_only_ratings_the_reviewer_may_see(client, alice, bob, carol):
    claim = make_claim()
    make_rating(claim, bob, evidence_strength="low")
    make_rating(claim, carol, evidence_strength="high")
    client.force_login(alice)
    assert client.get(reverse("review:agreement")).context["stats"]["overall"]["claims_paired"] == 0
    client.force_login(carol)
    assert client.get(reverse("review:agreement")).context["stats"]["overall"]["claims_paired"] == 1


def test_strength_ranks_are_the_ordinal_scale():
    level, to_number, domain = agreement.VARIABLES["evidence_strength"]
    assert level == "ordinal"
    assert [to_number(v) for v in ("none", "very_low", "low", "moderate", "high")] == [0, 1, 2, 3, 4]
    assert domain == sorted(EvidenceStrength.rank(v) for v in EvidenceStrength)
    assert not math.isnan(agreement.alpha([{"A": 0, "B": 4}, {"A": 4, "B": 4}], level, domain))
