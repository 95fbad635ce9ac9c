"""Blinding: another reviewer's rating is hidden until you have saved your own; leads see all."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, Rating, visible_ratings_q
from review.history import claim_history
from tests.factories import finalize, make_article, make_claim, make_rating

pytestmark = pytest.mark.django_db

BOBS_NOTE = "bob-secret-note"


def claim_page(client, claim):
    return client.get(reverse("review:claim", args=[claim.pk])).content.decode()


def test_reviewer_does_not_see_others_ratings_before_rating(client, alice, bob, claim):
    make_rating(claim, bob, notes=BOBS_NOTE)
    client.force_login(alice)
    content = claim_page(client, claim)
    assert BOBS_NOTE not in content
    assert "Blinded: other reviewers' ratings appear here once you have saved your own." in content


def test_reviewer_sees_others_ratings_after_rating(client, alice, bob, claim):
    make_rating(claim, bob, notes=BOBS_NOTE)
    client.force_login(alice)
    client.post(reverse("review:claim", args=[claim.pk]), {"evidence_strength": "low", "verdict": "partially"})
    content = claim_page(client, claim)
    assert BOBS_NOTE in content
    assert "Blinded" not in content


def test_lead_sees_every_rating_without_rating(client, carol, bob, claim):
    make_rating(claim, bob, notes=BOBS_NOTE)
    client.force_login(carol)
    assert BOBS_NOTE in claim_page(client, claim)


def test_everyone_with_the_role_sees_ratings_of_a_finalized_claim(client, alice, bob, carol, claim):
    make_rating(claim, bob, notes=BOBS_NOTE)
    finalize(claim, carol)
    client.force_login(alice)
    assert BOBS_NOTE in claim_page(client, claim)


def test_history_hides_others_rating_changes_until_you_rate(client, alice, bob, claim):
    rating = make_rating(claim, bob, notes=BOBS_NOTE)
    rating.evidence_strength = "high"
    rating.save()
    client.force_login(alice)
    content = claim_page(client, claim)
    assert "Rating by bob" not in content
    assert BOBS_NOTE not in content
    client.post(reverse("review:claim", args=[claim.pk]), {"evidence_strength": "low", "verdict": "partially"})
    content = claim_page(client, claim)
    assert "Rating by bob" in content
    assert BOBS_NOTE in content


def test_history_hides_the_consensus_of_a_reopened_claim_from_reviewers(alice, bob, carol, claim):
    # One rule with the claim page and the admin (policy.may_see_consensus): a reopened
    # claim's consensus is the lead's until it is finalized again, rated or not.
    make_rating(claim, alice)
    make_rating(claim, bob)
    claim.record_consensus(carol, "low", "partially", "panel-rationale")
    assert "Consensus" in [entry.subject for entry in claim_history(claim, alice)]
    claim.reopen(carol)
    assert "Consensus" not in [entry.subject for entry in claim_history(claim, alice)]
    assert "Consensus" in [entry.subject for entry in claim_history(claim, carol)]


def test_conflicts_page_shows_a_reviewer_only_claims_they_rated(client, alice, bob, carol, claim):
    from tests.factories import make_claim

    other = make_claim()
    for c in (claim, other):
        make_rating(c, bob, evidence_strength="high", verdict="supports", notes=f"{BOBS_NOTE}-{c.pk}")
        make_rating(c, carol, evidence_strength="low", verdict="partially")
    make_rating(claim, alice, evidence_strength="low", verdict="partially")
    client.force_login(alice)
    content = client.get(reverse("review:conflicts")).content.decode()
    assert f"{BOBS_NOTE}-{claim.pk}" in content
    assert f"{BOBS_NOTE}-{other.pk}" not in content
    assert "Record consensus" not in content


def test_unblinded_for_follows_the_rule(alice, bob, carol, charlie, claim):
    make_rating(claim, bob)
    assert not claim.is_unblinded_for(alice)
    assert not claim.is_unblinded_for(charlie)
    assert claim.is_unblinded_for(carol)
    make_rating(claim, alice)
    assert claim.is_unblinded_for(alice)
    finalize(claim, carol)
    assert Claim.objects.unblinded_for(charlie).filter(pk=claim.pk).exists()


def test_one_claims_rule_shows_what_the_whole_rule_shows(alice, bob, carol, charlie):
    article = make_article(text="Rated by both. Rated by bob. Finalized. Unrated.")
    both, bobs, done, unrated = (
        make_claim(article, quote=q) for q in ("Rated by both.", "Rated by bob.", "Finalized.", "Unrated.")
    )
    for rated, reviewers in ((both, [alice, bob]), (bobs, [bob]), (done, [alice, bob])):
        for reviewer in reviewers:
            make_rating(rated, reviewer)
    finalize(done, carol)
    for user in (alice, bob, carol, charlie, None):
        whole_rule = visible_ratings_q(user)
        for claim in (both, bobs, done, unrated):
            ratings = Rating.objects.filter(claim=claim)
            whole = set(ratings.filter(whole_rule) if whole_rule is not None else ratings)
            assert set(Rating.objects.visible_to(user, claim)) == whole, (user, claim)
            history = Rating.history.filter(claim_id=claim.pk)
            one_rule = visible_ratings_q(user, claim)
            assert set(history.filter(one_rule) if one_rule is not None else history) == set(
                history.filter(whole_rule) if whole_rule is not None else history
            ), (user, claim)


def test_the_claim_page_decides_blinding_for_its_claim_without_reading_every_claim(client, alice, bob, claim):
    make_rating(claim, bob, notes=BOBS_NOTE)
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        content = claim_page(client, claim)
    assert BOBS_NOTE not in content
    rating_queries = [q["sql"] for q in queries if 'FROM "claims_rating"' in q["sql"] or "historicalrating" in q["sql"]]
    assert rating_queries
    # The rule comes from one EXISTS on this claim (is_unblinded_for), not a subquery of every claim per query.
    assert not [sql for sql in rating_queries if 'FROM "claims_claim"' in sql.split("WHERE", 1)[-1]]
