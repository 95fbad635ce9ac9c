"""History on the claim page: each change to a rating, consensus, study link or flag, who and old → new."""

import pytest
from django.urls import reverse

from review.history import claim_history
from tests.factories import make_flag, make_study

pytestmark = pytest.mark.django_db


def entries(claim, user):
    return [
        (e.who, e.action, e.subject, [(c.label, c.old, c.new) for c in e.changes]) for e in claim_history(claim, user)
    ]


def test_history_lists_each_change_made_through_the_pages(settings, client, alice, carol, claim):
    settings.MGREVIEW_MIN_RATINGS = 1  # alice's rating alone is the review here
    rate = reverse("review:claim", args=[claim.pk])
    study = make_study()
    flag = make_flag(claim.article, "cures everything", source="detector")
    client.force_login(alice)
    client.post(rate, {"evidence_strength": "low", "verdict": "partially", "notes": "first"})
    client.post(rate, {"evidence_strength": "very_low", "verdict": "partially", "notes": "second"})
    client.post(reverse("review:link_study", args=[claim.pk]), {"study": study.pk})
    client.post(reverse("review:flag_state", args=[claim.pk, flag.pk]), {"state": "confirmed"})
    client.force_login(carol)
    client.post(
        reverse("review:consensus", args=[claim.pk]),
        {"evidence_strength": "very_low", "verdict": "partially", "rationale": "agreed"},
    )
    client.post(reverse("review:reopen", args=[claim.pk]), {"confirmed": "yes"})

    history = entries(claim, carol)
    # Newest first.
    assert history[0] == ("carol", "changed", "Claim", [("status", "Finalized", "Under review")])
    assert history[1] == ("carol", "changed", "Claim", [("status", "Under review", "Finalized")])
    assert history[2][:3] == ("carol", "created", "Consensus")
    assert ("rationale", None, "agreed") in history[2][3]
    assert history[3] == (
        "alice",
        "changed",
        "Marketing flag “cures everything”",
        [("state", "Suggested", "Confirmed")],
    )
    assert history[4] == ("alice", "linked", "Study link: (Shin 2020)", [])
    assert history[5] == (
        "alice",
        "changed",
        "Rating by alice",
        [("evidence strength", "Low", "Very low"), ("notes", "first", "second")],
    )
    assert history[6][:3] == ("alice", "created", "Rating by alice")


def test_history_is_shown_on_the_claim_page(client, alice, claim):
    client.force_login(alice)
    rate = reverse("review:claim", args=[claim.pk])
    client.post(rate, {"evidence_strength": "low", "verdict": "partially"})
    client.post(rate, {"evidence_strength": "high", "verdict": "partially"})
    content = client.get(rate).content.decode()
    assert '<h2 id="history-heading">History</h2>' in content
    assert "<del>Low</del>" in content
    assert "<ins>High</ins>" in content


def test_a_deleted_rating_keeps_its_values_in_history(alice, carol, claim):
    from tests.factories import make_rating

    make_rating(claim, alice, notes="kept").delete()
    deleted = [e for e in claim_history(claim, carol) if e.action == "deleted"]
    assert len(deleted) == 1
    assert ("notes", "kept", None) in [(c.label, c.old, c.new) for c in deleted[0].changes]
