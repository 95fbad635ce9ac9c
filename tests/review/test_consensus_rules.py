"""Publishing takes a review: enough ratings by different reviewers, and a form that does not lean."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.models import Claim, Consensus
from review.forms import ConsensusForm
from tests import factories as f

pytestmark = pytest.mark.django_db

CONSENSUS = {"evidence_strength": "very_low", "verdict": "does_not_support", "rationale": "Only rat studies."}


def consensus_url(claim):
    return reverse("review:consensus", args=[claim.pk])


@pytest.mark.parametrize("ratings", [0, 1])
def test_a_consensus_needs_two_ratings(carol, alice, claim, ratings):
    if ratings:
        f.make_rating(claim, alice)
    with pytest.raises(ValidationError) as refused:
        claim.record_consensus(carol, **CONSENSUS)
    assert refused.value.code == "too_few_ratings"
    assert not Consensus.objects.exists()
    assert Claim.objects.get(pk=claim.pk).status == "under_review"


def test_two_ratings_by_different_reviewers_are_enough(carol, alice, bob, claim):
    f.make_rating(claim, alice)
    f.make_rating(claim, bob)
    claim.record_consensus(carol, **CONSENSUS)
    assert Claim.objects.get(pk=claim.pk).status == "finalized"


def test_the_minimum_is_a_setting(settings, carol, alice, bob, claim):
    settings.MGREVIEW_MIN_RATINGS = 3
    f.make_rating(claim, alice)
    f.make_rating(claim, bob)
    with pytest.raises(ValidationError):
        claim.record_consensus(carol, **CONSENSUS)
    f.make_rating(claim, carol)
    claim.record_consensus(carol, **CONSENSUS)
    assert Claim.objects.get(pk=claim.pk).status == "finalized"


def test_the_review_route_refuses_a_consensus_on_an_unrated_claim(client, carol, claim):
    client.force_login(carol)
    response = client.post(consensus_url(claim), {**CONSENSUS, "rationale": "ok"})
    assert response.status_code == 400
    assert "this claim has 0" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "under_review"
    assert client.get(reverse("claim_detail", args=[claim.pk])).context["consensus"] is None


def test_the_claim_page_says_a_claim_is_not_ready(client, carol, alice, claim):
    f.make_rating(claim, alice)
    client.force_login(carol)
    page = client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "Not ready: a consensus needs ratings from at least 2 different reviewers; this claim has 1." in page
    assert 'action="' + consensus_url(claim) + '"' not in page


def test_the_conflicts_page_shows_which_claims_are_ready(settings, client, alice, bob, carol, claim):
    settings.MGREVIEW_MIN_RATINGS = 3
    f.make_rating(claim, alice, evidence_strength="low")
    f.make_rating(claim, bob, evidence_strength="high")
    client.force_login(carol)
    response = client.get(reverse("review:conflicts"))
    (row,) = response.context["rows"]
    assert row["ready"] is False
    assert "2 of the 3 ratings a consensus needs" in response.content.decode()
    settings.MGREVIEW_MIN_RATINGS = 2
    (row,) = client.get(reverse("review:conflicts")).context["rows"]
    assert row["ready"] is True


def test_the_form_preselects_nothing_when_ratings_disagree(alice, bob, claim):
    f.make_rating(claim, alice, evidence_strength="low", verdict="partially")
    f.make_rating(claim, bob, evidence_strength="low", verdict="supports")
    initial, note = claim.consensus_initial()
    assert (initial, note) == ({}, "")
    form = ConsensusForm(initial=initial)
    html = form.as_div()
    assert 'value="" selected' in html  # the empty choice, twice
    assert html.count('value="" selected') == 2


def test_the_form_preselects_and_says_so_when_every_rating_agrees(alice, bob, claim):
    f.make_rating(claim, alice, evidence_strength="low", verdict="partially")
    f.make_rating(claim, bob, evidence_strength="low", verdict="partially")
    initial, note = claim.consensus_initial()
    assert initial == {"evidence_strength": "low", "verdict": "partially"}
    assert note == "Preselected: all 2 ratings agree on this strength and verdict."


def test_one_rating_alone_preselects_nothing(alice, claim):
    f.make_rating(claim, alice, evidence_strength="high", verdict="supports")
    assert claim.consensus_initial() == ({}, "")


def test_a_consensus_form_without_choices_is_refused(client, alice, bob, carol, claim):
    f.make_rating(claim, alice)
    f.make_rating(claim, bob)
    client.force_login(carol)
    response = client.post(consensus_url(claim), {"evidence_strength": "", "verdict": "", "rationale": "x"})
    assert response.status_code == 400
    assert "Choose an evidence strength." in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "under_review"
