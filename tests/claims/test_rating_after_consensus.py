"""No rating changes once a consensus is recorded: the claim row is locked and re-read for the status check."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from claims.models import Claim, Rating
from tests import factories as f
from tests.concurrency import run_together


@pytest.mark.django_db
def test_a_rating_saved_from_a_stale_page_after_finalization_is_refused(alice, bob, carol):
    claim = f.make_claim()
    f.make_rating(claim, alice, evidence_strength="low")
    f.make_rating(claim, bob)
    stale = Claim.objects.get(pk=claim.pk)  # the reviewer's request read the claim under review
    Claim.objects.get(pk=claim.pk).record_consensus(carol, "low", "partially", "Two small trials.")
    with pytest.raises(ValidationError):
        Rating.objects.record(stale, alice, evidence_strength="high", verdict="supports")
    assert Rating.objects.get(claim=claim, reviewer=alice).evidence_strength == "low"


@pytest.mark.django_db
def test_a_rating_is_not_withdrawn_after_finalization_from_a_stale_object(alice, bob, carol):
    claim = f.make_claim()
    rating = f.make_rating(claim, alice)
    f.make_rating(claim, bob)
    Claim.objects.get(pk=claim.pk).record_consensus(carol, "low", "partially", "Two small trials.")
    with pytest.raises(ValidationError):
        rating.withdraw(alice)  # `rating.claim` is the stale copy, still under review
    assert Rating.objects.filter(pk=rating.pk).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
def test_a_rating_saved_while_the_consensus_commits_is_refused():
    f.ensure_roles()  # an earlier transactional test may have flushed the migrations' groups
    alice, bob, carol = f.make_reviewer("alice"), f.make_reviewer("bob"), f.make_lead("carol")
    claim = f.make_claim()
    f.make_rating(claim, alice, evidence_strength="low", verdict="partially")
    f.make_rating(claim, bob)
    stale = Claim.objects.get(pk=claim.pk)
    finalized = threading.Event()

    def lead():
        with transaction.atomic():
            Claim.objects.get(pk=claim.pk).record_consensus(carol, "low", "partially", "Two small trials.")
            finalized.set()
            time.sleep(0.5)  # the reviewer's save arrives before this commits

    def reviewer():
        finalized.wait(5)
        Rating.objects.record(stale, alice, evidence_strength="high", verdict="supports")

    errors = run_together(lead, reviewer)
    assert "lead" not in errors
    assert isinstance(errors.get("reviewer"), ValidationError)  # without the claim lock: saved, no error
    assert errors["reviewer"].code == "not_under_review"
    rating = Rating.objects.get(claim=claim, reviewer=alice)
    assert (rating.evidence_strength, rating.verdict) == ("low", "partially")
    assert Claim.objects.get(pk=claim.pk).status == "finalized"
