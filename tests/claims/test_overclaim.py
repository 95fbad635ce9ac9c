"""The overclaim facet: wording stronger than the evidence, by the published review or, before it, automatically."""

import pytest

from claims.choices import ClaimStatus, EvidenceHint, Overclaim, WordingStrength
from claims.models import Claim
from tests import factories as f

pytestmark = pytest.mark.django_db

DIRECT, CONDITIONAL = WordingStrength.DIRECT_CAUSAL, WordingStrength.CONDITIONAL_CAUSAL
CORRELATIONAL = WordingStrength.CORRELATIONAL


def read_as(claim, strength, hint=EvidenceHint.NONE):
    """Store a reading on the claim (cues as the quote's first word) and return its overclaim facet."""
    word = claim.quote.split()[0]
    Claim.objects.record_readings({claim.pk: (strength, [(word, 0, len(word))], hint, [])})
    claim.refresh_from_db()
    return claim.overclaim


@pytest.mark.parametrize("strength", ["low", "very_low", "none"])
def test_direct_wording_on_weak_reviewed_evidence_overclaims(carol, strength):
    claim = f.make_claim()
    f.finalize(claim, carol, evidence_strength=strength, verdict="partially")
    assert read_as(claim, DIRECT) == Overclaim.REVIEWED


@pytest.mark.parametrize("strength", ["moderate", "high"])
def test_direct_wording_on_good_reviewed_evidence_does_not(carol, strength):
    claim = f.make_claim()
    f.finalize(claim, carol, evidence_strength=strength, verdict="supports")
    assert read_as(claim, DIRECT) == ""


@pytest.mark.parametrize("verdict", ["does_not_support", "not_found"])
@pytest.mark.parametrize("strength", [DIRECT, CONDITIONAL])
def test_causal_wording_the_evidence_does_not_support_overclaims(carol, verdict, strength):
    claim = f.make_claim()
    f.finalize(claim, carol, evidence_strength="moderate", verdict=verdict)
    assert read_as(claim, strength) == Overclaim.REVIEWED


def test_hedged_wording_on_weak_evidence_that_supports_it_does_not(carol):
    claim = f.make_claim()
    f.finalize(claim, carol, evidence_strength="low", verdict="partially")
    assert read_as(claim, CONDITIONAL) == ""


def test_correlational_wording_never_overclaims_by_verdict(carol):
    claim = f.make_claim()
    f.finalize(claim, carol, evidence_strength="none", verdict="not_found")
    assert read_as(claim, CORRELATIONAL) == ""


@pytest.mark.parametrize(
    "hint", [EvidenceHint.ANIMAL, EvidenceHint.IN_VITRO, EvidenceHint.TESTIMONIAL, EvidenceHint.AUTHORITY, "none"]
)
def test_before_review_direct_wording_on_weak_mentioned_evidence_is_flagged_automatically(hint):
    assert read_as(f.make_claim(), DIRECT, hint) == Overclaim.AUTOMATIC


@pytest.mark.parametrize(
    "hint", [EvidenceHint.REVIEW, EvidenceHint.HUMAN_TRIAL, EvidenceHint.HUMAN_OBSERVATIONAL, EvidenceHint.STUDY]
)
def test_before_review_direct_wording_on_human_or_unstated_studies_is_not_flagged(hint):
    assert read_as(f.make_claim(), DIRECT, hint) == ""


def test_before_review_hedged_wording_is_not_flagged():
    assert read_as(f.make_claim(), CONDITIONAL, EvidenceHint.ANIMAL) == ""


def test_a_consensus_replaces_the_automatic_flag(carol):
    claim = f.make_claim()
    assert read_as(claim, DIRECT, EvidenceHint.ANIMAL) == Overclaim.AUTOMATIC
    f.finalize(claim, carol, evidence_strength="moderate", verdict="supports")
    claim.refresh_from_db()
    assert claim.overclaim == ""


def test_a_reopened_claim_falls_back_to_the_automatic_reading(carol):
    # The blinding rule: a consensus counts only while the claim is finalized.
    claim = f.make_claim()
    f.finalize(claim, carol, evidence_strength="very_low", verdict="does_not_support")
    assert read_as(claim, DIRECT, EvidenceHint.ANIMAL) == Overclaim.REVIEWED
    claim.status = ClaimStatus.UNDER_REVIEW
    claim.save(update_fields=["status", "updated_at"])
    claim.refresh_from_db()
    assert claim.overclaim == Overclaim.AUTOMATIC


def test_record_readings_stores_only_what_changed():
    claim = f.make_claim()
    reading = (DIRECT, [("Magnesium", 0, 9)], EvidenceHint.NONE, [])
    assert Claim.objects.record_readings({claim.pk: reading}) == 1
    assert Claim.objects.record_readings({claim.pk: reading}) == 0
    claim.refresh_from_db()
    assert (claim.wording_strength, claim.wording_cues) == (DIRECT, [["Magnesium", 0, 9]])
