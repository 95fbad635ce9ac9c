"""Reviewers use the admin for bulk work; their ratings stay their own."""

import pytest
from django.urls import reverse

from claims.models import Rating
from tests.factories import make_claim, make_rating

pytestmark = pytest.mark.django_db


def change_url(rating):
    return reverse("admin:claims_rating_change", args=[rating.pk])


def test_reviewer_can_edit_their_own_rating(client, alice, claim):
    rating = make_rating(claim, alice, notes="first")
    client.force_login(alice)
    response = client.post(change_url(rating), {"evidence_strength": "high", "verdict": "supports", "notes": "second"})
    assert response.status_code == 302
    rating.refresh_from_db()
    assert (rating.evidence_strength, rating.notes) == ("high", "second")


def test_reviewer_cannot_edit_another_reviewers_rating(client, alice, bob, claim):
    make_rating(claim, alice)  # alice has rated too, so bob's rating is visible to her
    rating = make_rating(claim, bob, notes="bob's")
    client.force_login(alice)
    response = client.post(change_url(rating), {"evidence_strength": "high", "verdict": "supports", "notes": "x"})
    assert response.status_code == 403
    rating.refresh_from_db()
    assert (rating.evidence_strength, rating.notes) == ("low", "bob's")


def test_reviewer_sees_another_reviewers_rating_read_only(client, alice, bob, claim):
    make_rating(claim, alice)
    rating = make_rating(claim, bob)
    client.force_login(alice)
    response = client.get(change_url(rating))
    assert response.status_code == 200
    assert b'name="evidence_strength"' not in response.content


def test_reviewer_cannot_delete_another_reviewers_rating(client, alice, bob, claim):
    make_rating(claim, alice)
    rating = make_rating(claim, bob)
    client.force_login(alice)
    response = client.post(reverse("admin:claims_rating_delete", args=[rating.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Rating.objects.filter(pk=rating.pk).exists()


def test_bulk_delete_including_another_reviewers_rating_is_refused_whole(client, alice, bob, claim):
    own = make_rating(claim, alice)
    other = make_rating(claim, bob)
    client.force_login(alice)
    response = client.post(
        reverse("admin:claims_rating_changelist"),
        {"action": "delete_selected", "_selected_action": [own.pk, other.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert Rating.objects.filter(pk__in=[own.pk, other.pk]).count() == 2


def test_reviewer_can_bulk_delete_their_own_ratings(client, alice, claim):
    own = make_rating(claim, alice)
    client.force_login(alice)
    client.post(
        reverse("admin:claims_rating_changelist"),
        {"action": "delete_selected", "_selected_action": [own.pk], "post": "yes"},
    )
    assert not Rating.objects.filter(pk=own.pk).exists()


def test_reviewer_does_not_see_unblinded_ratings_in_the_list(client, alice, bob, claim):
    make_rating(claim, bob, notes="bob-secret-note")
    client.force_login(alice)
    response = client.get(reverse("admin:claims_rating_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


def test_reviewer_cannot_open_a_blinded_rating(client, alice, bob, claim):
    rating = make_rating(claim, bob)
    client.force_login(alice)
    response = client.get(change_url(rating))
    assert response.status_code == 302  # the admin redirects: "doesn't exist"
    assert response.url == reverse("admin:index")


def test_new_rating_is_saved_under_the_logged_in_reviewer(client, alice, bob, claim):
    client.force_login(alice)
    response = client.post(
        reverse("admin:claims_rating_add"),
        {"claim": claim.pk, "evidence_strength": "low", "verdict": "partially", "notes": "", "reviewer": bob.pk},
    )
    assert response.status_code == 302
    assert Rating.objects.get().reviewer == alice


def test_claim_admin_shows_quote_in_context_and_inlines(client, carol):
    claim = make_claim()
    client.force_login(carol)
    response = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert response.status_code == 200
    assert b"<mark>Magnesium cures everything.</mark>" in response.content


def test_outsider_without_a_role_cannot_use_the_admin(client, charlie):
    client.force_login(charlie)
    response = client.get(reverse("admin:claims_rating_changelist"))
    assert response.status_code == 302
