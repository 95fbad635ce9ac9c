"""Conflicts and consensus: the full flow, leads only, pre-filled forms, reopening, query counts."""

import pytest
from django.urls import reverse

from claims.models import Claim, Consensus, Rating
from tests.factories import finalize, make_claim, make_rating, make_reviewer

pytestmark = pytest.mark.django_db

CONFLICTS = reverse("review:conflicts")
CONSENSUS = {"evidence_strength": "very_low", "verdict": "does_not_support", "rationale": "Only rat studies are cited."}


def consensus_url(claim):
    return reverse("review:consensus", args=[claim.pk])


def test_two_reviewers_disagree_then_a_lead_records_consensus(client, alice, bob, carol, claim):
    rate = reverse("review:claim", args=[claim.pk])
    client.force_login(alice)
    client.post(rate, {"evidence_strength": "low", "verdict": "partially"})
    client.force_login(bob)
    client.post(rate, {"evidence_strength": "very_low", "verdict": "does_not_support"})
    assert Rating.objects.filter(claim=claim).count() == 2

    client.force_login(carol)
    listed = client.get(CONFLICTS)
    assert [row["claim"].pk for row in listed.context["rows"]] == [claim.pk]

    response = client.post(consensus_url(claim), {**CONSENSUS, "next": CONFLICTS})
    assert response.status_code == 302
    assert response.url == CONFLICTS
    claim.refresh_from_db()
    assert claim.status == "finalized"
    consensus = Consensus.objects.get(claim=claim)
    assert (consensus.evidence_strength, consensus.verdict, consensus.decided_by) == (
        "very_low",
        "does_not_support",
        carol,
    )
    assert client.get(CONFLICTS).context["rows"] == []
    finalized = client.get(CONFLICTS + "?show=finalized").context["rows"]
    assert [row["claim"].pk for row in finalized] == [claim.pk]


def test_agreeing_ratings_are_not_a_conflict_and_prefill_the_consensus_form(client, alice, bob, carol, claim):
    make_rating(claim, alice, evidence_strength="moderate", verdict="supports")
    make_rating(claim, bob, evidence_strength="moderate", verdict="supports")
    assert not Claim.objects.in_conflict().exists()
    client.force_login(carol)
    assert client.get(CONFLICTS).context["rows"] == []
    rows = client.get(CONFLICTS + "?show=agreed").context["rows"]
    assert [row["claim"].pk for row in rows] == [claim.pk]
    assert rows[0]["form"].initial == {"evidence_strength": "moderate", "verdict": "supports"}


def test_disagreeing_ratings_do_not_prefill(client, alice, bob, carol, claim):
    make_rating(claim, alice, evidence_strength="moderate", verdict="supports")
    make_rating(claim, bob, evidence_strength="moderate", verdict="partially")
    client.force_login(carol)
    rows = client.get(CONFLICTS).context["rows"]
    assert rows[0]["form"].initial == {}


def test_in_conflict_needs_two_ratings_that_differ_on_strength_or_verdict(alice, bob, carol):
    single = make_claim()
    make_rating(single, alice)
    by_strength, by_verdict, agreed = make_claim(), make_claim(), make_claim()
    make_rating(by_strength, alice, evidence_strength="low", verdict="supports")
    make_rating(by_strength, bob, evidence_strength="high", verdict="supports")
    make_rating(by_verdict, alice, evidence_strength="low", verdict="supports")
    make_rating(by_verdict, bob, evidence_strength="low", verdict="partially")
    for reviewer in (alice, bob, carol):
        make_rating(agreed, reviewer, evidence_strength="low", verdict="supports")
    assert set(Claim.objects.in_conflict().values_list("pk", flat=True)) == {by_strength.pk, by_verdict.pk}
    assert set(Claim.objects.in_agreement().values_list("pk", flat=True)) == {agreed.pk}


def test_reviewer_cannot_finalize(client, alice, bob, claim):
    make_rating(claim, alice, evidence_strength="low")
    make_rating(claim, bob, evidence_strength="high")
    client.force_login(alice)
    response = client.post(consensus_url(claim), CONSENSUS)
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == "under_review"
    assert not Consensus.objects.exists()


def test_record_consensus_refuses_a_reviewer_at_the_model_too(alice, claim):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        claim.record_consensus(alice, "low", "partially", "x")
    assert not Consensus.objects.exists()


def rated_by_two(claim):
    make_rating(claim, make_reviewer("rater-1"))
    make_rating(claim, make_reviewer("rater-2"))


def test_consensus_without_rationale_is_refused_with_a_message(client, carol, claim):
    rated_by_two(claim)
    client.force_login(carol)
    response = client.post(consensus_url(claim), {**CONSENSUS, "rationale": "  "})
    assert response.status_code == 400
    assert "Write the rationale" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "under_review"


def test_consensus_with_an_unknown_verdict_is_refused(client, carol, claim):
    rated_by_two(claim)
    client.force_login(carol)
    response = client.post(consensus_url(claim), {**CONSENSUS, "verdict": "true"})
    assert response.status_code == 400
    assert "“true” is not a verdict." in response.content.decode()
    assert not Consensus.objects.exists()


def test_consensus_on_a_finalized_claim_is_refused_until_reopened(client, carol, claim):
    finalize(claim, carol, rationale="first")
    client.force_login(carol)
    response = client.post(consensus_url(claim), CONSENSUS)
    assert response.status_code == 400
    assert "reopen it first" in response.content.decode()
    assert Consensus.objects.get(claim=claim).rationale == "first"


def test_a_next_parameter_off_site_is_ignored(client, carol, claim):
    rated_by_two(claim)
    client.force_login(carol)
    response = client.post(consensus_url(claim), {**CONSENSUS, "next": "https://example.invalid/"})
    assert response.url == reverse("review:claim", args=[claim.pk])


def test_lead_reopens_a_finalized_claim_and_the_consensus_is_kept(client, carol, claim):
    rated_by_two(claim)
    finalize(claim, carol, rationale="first")
    client.force_login(carol)
    response = client.post(reverse("review:reopen", args=[claim.pk]), {"confirmed": "yes"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "under_review"
    assert Consensus.objects.get(claim=claim).rationale == "first"
    # The consensus form now starts from the earlier decision.
    form = client.get(reverse("review:claim", args=[claim.pk])).context["consensus_form"]
    assert form.initial["rationale"] == "first"
    # And recording again updates the one consensus row.
    client.post(consensus_url(claim), CONSENSUS)
    assert Consensus.objects.get(claim=claim).rationale == CONSENSUS["rationale"]


def test_reviewer_cannot_reopen(client, alice, carol, claim):
    finalize(claim, carol)
    client.force_login(alice)
    assert client.post(reverse("review:reopen", args=[claim.pk])).status_code == 403
    claim.refresh_from_db()
    assert claim.status == "finalized"


def test_reopening_a_claim_under_review_is_refused_with_a_message(client, carol, claim):
    client.force_login(carol)
    response = client.post(reverse("review:reopen", args=[claim.pk]), {"confirmed": "yes"})
    assert response.status_code == 400
    assert "Only a finalized claim can be reopened." in response.content.decode()


def test_unknown_tab_falls_back_to_conflicts(client, carol):
    client.force_login(carol)
    assert client.get(CONFLICTS + "?show=__class__").context["show"] == "conflict"


def make_conflicts(count, reviewers):
    for _ in range(count):
        claim = make_claim()
        make_rating(claim, reviewers[0], evidence_strength="low", verdict="supports")
        make_rating(claim, reviewers[1], evidence_strength="high", verdict="partially")


# Queries for /review/conflicts/ as a lead, whatever the number of claims:
# 1 session, 2 user, 3 user permissions, 4 group permissions,
# 5 count (paginator), 6 the page of claims with article and consensus, 7 their ratings with reviewers,
# 8 the topics table for the topic labels (ClaimTopic, cached per process; every test starts with it empty).
CONFLICT_QUERIES = 8


@pytest.mark.parametrize("count", [2, 15])
def test_conflicts_query_count_is_flat(client, carol, django_assert_num_queries, count):
    reviewers = [make_reviewer("r1"), make_reviewer("r2")]
    make_conflicts(count, reviewers)
    client.force_login(carol)
    with django_assert_num_queries(CONFLICT_QUERIES):
        response = client.get(CONFLICTS)
    assert len(response.context["rows"]) == count
