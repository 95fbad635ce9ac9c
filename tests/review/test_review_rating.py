"""Rating a claim from its review page: save, update, double submit, save and next, bad input."""

import pytest
from django.urls import reverse

from claims.models import Rating
from tests.factories import finalize, make_article, make_claim, make_rating

pytestmark = pytest.mark.django_db

VALID = {"evidence_strength": "low", "verdict": "partially", "extrapolation_concerns": ["dose"], "notes": "Rats."}


def claim_url(claim):
    return reverse("review:claim", args=[claim.pk])


def test_reviewer_saves_a_rating(client, alice, claim):
    client.force_login(alice)
    response = client.post(claim_url(claim), VALID)
    assert response.status_code == 302
    assert response.url == claim_url(claim)
    rating = Rating.objects.get(claim=claim, reviewer=alice)
    assert (rating.evidence_strength, rating.verdict, rating.extrapolation_concerns, rating.notes) == (
        "low",
        "partially",
        ["dose"],
        "Rats.",
    )
    assert "Your rating is saved." in client.get(claim_url(claim)).content.decode()


def test_second_submit_updates_the_one_rating(client, alice, claim):
    client.force_login(alice)
    client.post(claim_url(claim), VALID)
    response = client.post(claim_url(claim), {**VALID, "evidence_strength": "very_low", "notes": "Second tab."})
    assert response.status_code == 302
    rating = Rating.objects.get(claim=claim, reviewer=alice)
    assert (rating.evidence_strength, rating.notes) == ("very_low", "Second tab.")


def test_double_submission_keeps_one_rating_and_one_history_entry(client, alice, claim):
    client.force_login(alice)
    first = client.post(claim_url(claim), VALID)
    second = client.post(claim_url(claim), VALID)
    assert (first.status_code, second.status_code) == (302, 302)
    assert Rating.objects.filter(claim=claim, reviewer=alice).count() == 1
    # The identical resubmission wrote nothing, so history has only the creation.
    assert Rating.history.filter(claim_id=claim.pk).count() == 1


def test_record_retries_as_an_update_when_another_request_won_the_insert(alice, claim, monkeypatch):
    """Simulates the race: the row appears between our lookup and our insert."""
    from django.db import IntegrityError

    from claims.models import RatingQuerySet

    real_save = RatingQuerySet._save
    calls = []

    def racing_save(self, claim, reviewer, values):
        calls.append(1)
        if len(calls) == 1:
            make_rating(claim, reviewer, evidence_strength="high", verdict="supports")  # the other tab
            raise IntegrityError("duplicate key value violates unique constraint")
        return real_save(self, claim, reviewer, values)

    monkeypatch.setattr(RatingQuerySet, "_save", racing_save)
    rating, created = Rating.objects.record(claim, alice, evidence_strength="low", verdict="partially")
    assert not created
    assert Rating.objects.filter(claim=claim, reviewer=alice).count() == 1
    assert Rating.objects.get(claim=claim, reviewer=alice).evidence_strength == "low"


def test_a_posted_reviewer_field_is_ignored(client, alice, bob, claim):
    bobs = make_rating(claim, bob, evidence_strength="high", verdict="supports", notes="bob's")
    client.force_login(alice)
    client.post(claim_url(claim), {**VALID, "reviewer": bob.pk, "id": bobs.pk})
    bobs.refresh_from_db()
    assert (bobs.evidence_strength, bobs.notes) == ("high", "bob's")
    assert Rating.objects.filter(claim=claim, reviewer=alice).exists()


@pytest.mark.parametrize(
    "data,message",
    [
        ({"verdict": "supports"}, "Choose an evidence strength."),
        ({"evidence_strength": "low"}, "Choose a verdict."),
        ({"evidence_strength": "strong", "verdict": "supports"}, "“strong” is not an evidence strength"),
        ({"evidence_strength": "low", "verdict": "maybe"}, "“maybe” is not a verdict"),
        (
            {"evidence_strength": "low", "verdict": "supports", "extrapolation_concerns": ["telepathy"]},
            "“telepathy” is not an extrapolation concern",
        ),
    ],
)
def test_bad_values_come_back_with_clear_messages(client, alice, claim, data, message):
    client.force_login(alice)
    response = client.post(claim_url(claim), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Your rating was not saved" in response.content.decode()
    assert not Rating.objects.exists()


def test_rating_a_finalized_claim_is_refused_with_a_message(client, alice, carol, claim):
    make_rating(claim, alice, notes="before")
    finalize(claim, carol)
    client.force_login(alice)
    response = client.post(claim_url(claim), {**VALID, "notes": "after"})
    assert response.status_code == 400
    assert "ratings can only be given or changed while it is under review" in response.content.decode()
    assert Rating.objects.get(claim=claim, reviewer=alice).notes == "before"


def test_claim_page_shows_the_quote_highlighted_in_its_paragraph(client, alice):
    article = make_article(text="Intro line.\nBefore it. Magnesium heals nerves. After it.\nNext paragraph.")
    claim = make_claim(article, quote="Magnesium heals nerves.")
    client.force_login(alice)
    content = client.get(claim_url(claim)).content.decode()
    assert "Before it. <mark>Magnesium heals nerves.</mark> After it." in content
    assert "Next paragraph." not in content


def test_claim_page_prefills_the_form_with_the_reviewers_rating(client, alice, claim):
    make_rating(claim, alice, evidence_strength="very_low", verdict="does_not_support", notes="my note")
    client.force_login(alice)
    form = client.get(claim_url(claim)).context["rating_form"]
    assert form.initial["evidence_strength"] == "very_low"
    assert form.initial["notes"] == "my note"


def test_save_and_next_goes_to_the_next_unrated_claim_in_reading_order(client, alice, bob):
    article = make_article(text="One claim. Two claim. Three claim. Four claim.")
    one, two, three, four = (
        make_claim(article, quote=q) for q in ("One claim.", "Two claim.", "Three claim.", "Four claim.")
    )
    make_rating(three, alice)  # already rated: skipped
    client.force_login(alice)
    response = client.post(claim_url(two), {**VALID, "save_next": "1"})
    assert response.url == claim_url(four)
    response = client.post(claim_url(four), {**VALID, "save_next": "1"})
    assert response.url == claim_url(one)  # wraps round to the first unrated claim
    response = client.post(claim_url(one), {**VALID, "save_next": "1"})
    assert response.url == reverse("review:queue")
    assert "You have rated every claim under review." in client.get(response.url).content.decode()


def test_record_refuses_a_user_without_the_reviewer_role(charlie, claim):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        Rating.objects.record(claim, charlie, evidence_strength="low", verdict="supports")
    assert not Rating.objects.exists()


def test_record_validates_values_like_the_form(alice, claim):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        Rating.objects.record(claim, alice, evidence_strength="low", verdict="supports", extrapolation_concerns=["x"])
    assert "extrapolation_concerns" in caught.value.message_dict
    assert not Rating.objects.exists()


def test_the_form_says_which_fields_are_published(client, alice, claim):
    client.force_login(alice)
    page = client.get(claim_url(claim)).content.decode()
    assert (
        "Once the claim is finalized, its evidence strength, verdict, extrapolation concerns and notes "
        "are published under your reviewer pseudonym." in page
    )
    assert "Published with your rating, under your reviewer pseudonym, once the claim is finalized" in page


def test_a_blinded_rating_from_the_review_page_leaves_the_public_data_version_alone(client, alice, claim):
    # The page cache is keyed on the version: a rating that moved it would rebuild every
    # public page after each rating of a review session.
    from claims.models import DataVersion

    before = DataVersion.current().number
    client.force_login(alice)
    assert client.post(claim_url(claim), VALID).status_code == 302
    assert Rating.objects.filter(claim=claim, reviewer=alice).exists()
    assert DataVersion.current().number == before
