"""
Honest agreement: a rating changed after its reviewer could see another's
keeps its blind values, which the agreement figures use; the change is kept
and shown as revised after discussion, and exported with both values.
"""

import pytest
from django.urls import reverse

from claims import agreement
from claims.models import Rating
from tests import export_helpers as csv

pytestmark = pytest.mark.django_db


def rate(claim, user, strength, verdict="partially", **extra):
    rating, _ = Rating.objects.record(claim, user, evidence_strength=strength, verdict=verdict, **extra)
    return rating


def strength_agreement(ratings):
    return agreement.summary(ratings)["overall"]["evidence_strength"]["percent_agreement"]


def test_changing_to_match_after_seeing_another_rating_does_not_raise_agreement(alice, bob, claim):
    rate(claim, alice, "low")
    rate(claim, bob, "very_low")  # alice can see bob's rating from now on
    copied = rate(claim, alice, "very_low")
    assert copied.evidence_strength == "very_low"  # the change is kept
    assert (copied.blind_evidence_strength, copied.is_revised) == ("low", True)
    assert strength_agreement(Rating.objects.all()) == 0.0


def test_changes_before_anyone_else_rated_are_still_blind(alice, bob, claim):
    rate(claim, alice, "low")
    first_thoughts = rate(claim, alice, "very_low")  # nobody else has rated: nothing to copy
    assert (first_thoughts.blind_evidence_strength, first_thoughts.is_revised) == ("", False)
    rate(claim, bob, "very_low")
    assert strength_agreement(Rating.objects.all()) == 1.0


def test_the_second_rater_is_unblinded_by_saving_and_kept_honest_too(alice, bob, claim):
    rate(claim, alice, "low")
    rate(claim, bob, "very_low")
    bob_changed = rate(claim, bob, "low")  # bob now sees alice's and moves to it
    assert (bob_changed.blind_evidence_strength, bob_changed.is_revised) == ("very_low", True)
    assert strength_agreement(Rating.objects.all()) == 0.0


def test_a_notes_change_after_unblinding_keeps_the_values_blind(alice, bob, claim):
    rate(claim, alice, "low")
    rate(claim, bob, "very_low")
    noted = rate(claim, alice, "low", notes="read the paper again")
    assert noted.is_revised is False
    later = rate(claim, alice, "very_low", notes="read the paper again")
    assert (later.blind_evidence_strength, later.is_revised) == ("low", True)


def test_a_lead_who_rates_after_seeing_others_is_left_out_of_agreement(alice, bob, carol, claim):
    rate(claim, alice, "low")
    rate(claim, bob, "low")
    lead_rating = rate(claim, carol, "high")  # leads see every rating before they rate
    assert lead_rating.rated_blind is False
    figures = agreement.summary(Rating.objects.all())["overall"]
    assert figures["ratings"] == 2
    assert figures["evidence_strength"]["percent_agreement"] == 1.0


def test_a_lead_who_rates_first_rates_blind(alice, carol, claim):
    assert rate(claim, carol, "high").rated_blind is True
    rate(claim, alice, "low")
    assert Rating.objects.get(reviewer=carol).others_seen_at is not None


def test_the_review_page_shows_a_revised_rating(client, alice, bob, claim):
    rate(claim, alice, "low")
    rate(claim, bob, "very_low")
    rate(claim, alice, "very_low")
    client.force_login(bob)
    page = client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "Revised after discussion; before seeing other ratings: Low, partially supports (overstated)" in page
    assert "revised after seeing other reviewers&#x27; ratings" in page  # in the history


def test_the_ratings_csv_keeps_its_23_columns_and_adds_both_values_at_the_end(client, alice, bob, carol, claim):
    rate(claim, alice, "low")
    rate(claim, bob, "very_low")
    rate(claim, alice, "very_low")
    client.force_login(carol)
    header, *_ = csv.read(csv.get_export(client, "ratings"))
    assert header[:23] == csv.RATING_COLUMNS
    assert header[23:] == csv.RATING_COLUMNS_ADDED
    rows = {row["reviewer"]: row for row in csv.ratings(client)}
    assert (rows["alice"]["evidence_strength"], rows["alice"]["independent_evidence_strength"]) == ("very_low", "low")
    assert rows["alice"]["revised_after_discussion"] == "yes"
    assert (rows["bob"]["independent_evidence_strength"], rows["bob"]["revised_after_discussion"]) == ("very_low", "no")


def test_the_csv_leaves_independent_values_empty_for_a_rating_that_was_not_blind(client, alice, carol, claim):
    rate(claim, alice, "low")
    rate(claim, carol, "high")
    client.force_login(carol)
    rows = {row["reviewer"]: row for row in csv.ratings(client)}
    assert (rows["carol"]["independent_evidence_strength"], rows["carol"]["revised_after_discussion"]) == ("", "")
