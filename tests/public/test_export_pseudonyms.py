"""Pseudonyms: reviewer-N, the same in every export, not derived from the username or the user id."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from claims.models import Claim, Rating, ReviewerPseudonym
from public import exports
from tests import factories as f
from tests.export_helpers import ratings

pytestmark = pytest.mark.django_db


def reviewers_by_rating(client):
    return {row["rating_id"]: row["reviewer"] for row in ratings(client)}


def finalized_claim_rated_by(lead, *reviewers):
    claim = f.make_claim()
    for reviewer in reviewers:
        f.make_rating(claim, reviewer)
    f.finalize(claim, lead)
    return claim


def test_pseudonyms_look_like_reviewer_n_and_differ_per_reviewer(client, alice, bob, carol):
    finalized_claim_rated_by(carol, alice, bob)
    labels = list(reviewers_by_rating(client).values())
    assert all(re.fullmatch(r"reviewer-[1-9]\d*", label) for label in labels)
    assert len(set(labels)) == 2


def test_pseudonyms_are_stable_across_exports_as_reviewers_join(client, alice, bob, carol):
    finalized_claim_rated_by(carol, alice, bob)
    before = reviewers_by_rating(client)
    dave = f.make_reviewer("dave")
    finalized_claim_rated_by(carol, dave, bob)
    after = reviewers_by_rating(client)
    assert {rating: after[rating] for rating in before} == before
    assert len(set(after.values())) == 3


def test_numbers_follow_first_rating_not_user_id_or_username(client, carol):
    # zed joins first (lower id, later in the alphabet) but rates second.
    zed, amy = f.make_reviewer("zed"), f.make_reviewer("amy")
    claim = f.make_claim()
    f.make_rating(claim, amy)
    f.make_rating(claim, zed)
    f.finalize(claim, carol)
    ratings(client)
    assert zed.pk < amy.pk
    assert ReviewerPseudonym.objects.get(user=amy).number == 1
    assert ReviewerPseudonym.objects.get(user=zed).number == 2


def test_users_who_never_rated_get_no_pseudonym(client, alice, bob, carol):
    finalized_claim_rated_by(carol, alice)
    ratings(client)
    assert list(ReviewerPseudonym.objects.values_list("user__username", flat=True)) == ["alice"]


def test_a_number_is_never_reused_after_its_user_is_gone(alice, bob, carol):
    charlie = f.make_reviewer("charlie")
    claim = f.make_claim()
    rating = f.make_rating(claim, charlie)
    ReviewerPseudonym.objects.assign_missing()
    assert ReviewerPseudonym.objects.get(user=charlie).number == 1
    rating.delete()
    charlie.delete()
    f.make_rating(claim, alice)
    ReviewerPseudonym.objects.assign_missing()
    assert ReviewerPseudonym.objects.get(user=alice).number == 2


def test_assigning_twice_changes_nothing(alice, bob):
    claim = f.make_claim()
    f.make_rating(claim, alice)
    f.make_rating(claim, bob)
    assert ReviewerPseudonym.objects.assign_missing() == 2
    before = list(ReviewerPseudonym.objects.values_list("user_id", "number"))
    assert ReviewerPseudonym.objects.assign_missing() == 0
    assert list(ReviewerPseudonym.objects.values_list("user_id", "number")) == before


def test_a_reviewer_sees_others_under_pseudonyms_and_themself_by_name(client, alice, bob, carol):
    finalized_claim_rated_by(carol, alice, bob)
    client.force_login(alice)
    labels = sorted(reviewers_by_rating(client).values())
    bob.refresh_from_db()
    assert labels == sorted(["alice", ReviewerPseudonym.label(bob.pseudonym.number)])


def test_a_reviewer_whose_first_rating_lands_mid_export_still_gets_a_pseudonym(alice, carol):
    claim = finalized_claim_rated_by(carol, alice)
    pieces = exports.RATINGS.stream(Rating.objects.order_by("id"), AnonymousUser())  # pseudonyms assigned here
    dave = f.make_reviewer("dave")
    f.make_rating(Claim.objects.get(pk=claim.pk), dave)
    text = "".join(pieces)
    assert ReviewerPseudonym.label(ReviewerPseudonym.objects.get(user=dave).number) in text
    assert "dave" not in text
