"""ClaimMatch and AssertionGroup: leads confirm or reject matches (kept in history) and may reuse a consensus."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.models import ClaimMatch, ClaimStatus, Consensus, MatchState
from tests.factories import finalize, make_article, make_claim

pytestmark = pytest.mark.django_db


def two_claims():
    first = make_claim(make_article("Magnesium relieves nerve pain. Other text."), "Magnesium relieves nerve pain.")
    second = make_claim(make_article("Nerve pain eases with magnesium. More."), "Nerve pain eases with magnesium.")
    return first, second


@pytest.fixture
def match(db):
    first, second = two_claims()
    return ClaimMatch.objects.suggest(second.pk, first.pk, 0.8, ("nerve_pain",))


def test_suggest_stores_the_pair_lower_id_first(match):
    assert match.claim_id < match.other_id
    assert (match.state, match.score, match.words) == (MatchState.SUGGESTED, 0.8, "nerve_pain")


def test_suggest_does_not_clobber_a_decision(match, carol):
    match.decide(carol, confirm=False)
    again = ClaimMatch.objects.suggest(match.claim_id, match.other_id, 0.9, ("pain",))
    assert (again.state, again.score) == (MatchState.REJECTED, 0.8)


def test_suggest_updates_the_score_of_a_suggestion(match):
    assert ClaimMatch.objects.suggest(match.claim_id, match.other_id, 0.9, ("pain",)).score == 0.9


def test_lead_confirms_and_both_claims_join_one_group(match, carol):
    match.decide(carol, confirm=True)
    match.claim.refresh_from_db()
    match.other.refresh_from_db()
    assert match.claim.assertion_group_id is not None
    assert match.claim.assertion_group_id == match.other.assertion_group_id


def test_confirmation_is_kept_in_history(match, carol):
    match.decide(carol, confirm=True)
    latest = match.history.first()
    assert (latest.state, latest.history_user) == (MatchState.CONFIRMED, carol)
    assert match.claim.history.first().history_user == carol


def test_rejection_is_kept_in_history_and_groups_nothing(match, carol):
    match.decide(carol, confirm=False)
    assert match.history.first().state == MatchState.REJECTED
    match.claim.refresh_from_db()
    assert match.claim.assertion_group_id is None


def test_rejecting_a_confirmed_match_ungroups_the_pair(match, carol):
    match.decide(carol, confirm=True)
    match.decide(carol, confirm=False)
    match.claim.refresh_from_db()
    match.other.refresh_from_db()
    assert (match.claim.assertion_group_id, match.other.assertion_group_id) == (None, None)


def test_confirmed_matches_chain_into_one_group(match, carol):
    third = make_claim(make_article("Magnesium soothes nerve pain. End."), "Magnesium soothes nerve pain.")
    ClaimMatch.objects.suggest(match.other_id, third.pk, 0.7, ()).decide(carol, confirm=True)
    match.decide(carol, confirm=True)
    groups = {c.assertion_group_id for c in (match.claim, match.other, third) if not c.refresh_from_db()}
    assert len(groups) == 1 and None not in groups


def test_reviewer_cannot_decide_and_nothing_changes(match, alice):
    with pytest.raises(PermissionDenied):
        match.decide(alice, confirm=True)
    match.refresh_from_db()
    assert match.state == MatchState.SUGGESTED
    assert match.history.count() == 1


@pytest.fixture
def grouped(match, carol, bob):
    """Two confirmed-same claims: `source` finalized, `target` under review."""
    match.decide(carol, confirm=True)
    source, target = match.claim, match.other
    source.refresh_from_db()
    target.refresh_from_db()
    finalize(source, carol, "moderate", "partially", rationale="Two small trials.")
    return source, target


def test_lead_reuses_the_consensus_of_a_finalized_same_claim(grouped, carol):
    source, target = grouped
    consensus = target.reuse_consensus(carol, source)
    target.refresh_from_db()
    assert target.status == ClaimStatus.FINALIZED
    assert (consensus.evidence_strength, consensus.verdict) == ("moderate", "partially")
    assert f"claim {source.pk}" in consensus.rationale and "Two small trials." in consensus.rationale
    assert consensus.history.first().history_user == carol


def test_reuse_needs_no_ratings_on_the_claim(grouped, carol):
    # The rating minimum is met by the claim it reuses (docs/matching.md).
    source, target = grouped
    assert target.ratings.count() == 0
    target.reuse_consensus(carol, source)


def test_reviewer_cannot_reuse_a_consensus_and_nothing_changes(grouped, alice):
    source, target = grouped
    with pytest.raises(PermissionDenied):
        target.reuse_consensus(alice, source)
    target.refresh_from_db()
    assert target.status == ClaimStatus.UNDER_REVIEW
    assert not Consensus.objects.filter(claim=target).exists()


def test_reuse_refused_when_the_group_has_no_finalized_member(match, carol):
    match.decide(carol, confirm=True)
    source, target = match.claim, match.other
    source.refresh_from_db()
    target.refresh_from_db()
    with pytest.raises(ValidationError, match="no consensus to reuse"):
        target.reuse_consensus(carol, source)
    assert not Consensus.objects.filter(claim=target).exists()


def test_reuse_refused_from_a_claim_outside_the_group(carol):
    first, second = two_claims()
    finalize(first, carol)
    with pytest.raises(ValidationError, match="no confirmed assertion"):
        second.reuse_consensus(carol, first)
    second.refresh_from_db()
    assert second.status == ClaimStatus.UNDER_REVIEW


def test_reuse_refused_from_a_reopened_claim(grouped, carol):
    source, target = grouped
    source.reopen(carol)
    with pytest.raises(ValidationError, match="not finalized"):
        target.reuse_consensus(carol, source)
