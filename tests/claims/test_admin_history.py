"""
The admin's history pages (django-simple-history) are a way in: they list only
what the policy lets the user see, and nobody writes through them.
"""

import pytest
from django.urls import reverse

from claims.models import Article, Claim, Consensus, MarketingFlag, Rating
from tests import factories as f

pytestmark = pytest.mark.django_db


def history_form_url(obj, record):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_simple_history", args=[obj.pk, record.history_id])


def history_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[obj.pk])


def rating_form(**values):
    return {"evidence_strength": "high", "verdict": "supports", "extrapolation_concerns": [], "notes": "", **values}


@pytest.fixture
def rated(alice, bob, claim):
    """Both reviewers rated the claim; bob then changed his rating (two history rows)."""
    Rating.objects.record(claim, alice, evidence_strength="low", verdict="partially")
    rating, _ = Rating.objects.record(claim, bob, evidence_strength="very_low", verdict="does_not_support")
    Rating.objects.record(claim, bob, evidence_strength="very_low", verdict="does_not_support", notes="second look")
    return rating


def test_a_reviewer_cannot_revert_another_reviewers_rating(client, alice, rated):
    first = rated.history.earliest("history_date")
    client.force_login(alice)
    response = client.post(history_form_url(rated, first), rating_form(notes="alice wrote this"))
    assert response.status_code == 403
    rated.refresh_from_db()
    assert (rated.evidence_strength, rated.notes, rated.reviewer.username) == ("very_low", "second look", "bob")


def test_a_reviewer_cannot_revert_their_own_rating_either(client, bob, rated):
    # A revert would write past Rating.objects.record: history is a record, not an editor.
    first = rated.history.earliest("history_date")
    client.force_login(bob)
    assert client.post(history_form_url(rated, first), rating_form()).status_code == 403
    rated.refresh_from_db()
    assert rated.notes == "second look"


def test_not_even_a_superuser_reverts(client, superuser, rated):
    first = rated.history.earliest("history_date")
    client.force_login(superuser)
    assert client.post(history_form_url(rated, first), rating_form()).status_code == 403
    rated.refresh_from_db()
    assert rated.notes == "second look"


def test_a_reviewer_cannot_rewrite_the_leads_consensus(client, alice, bob, carol, claim):
    f.make_rating(claim, alice)
    f.make_rating(claim, bob)
    consensus = claim.record_consensus(carol, "low", "partially", "Two small trials.")
    record = consensus.history.latest("history_date")
    client.force_login(alice)
    data = {"claim": claim.pk, "evidence_strength": "high", "verdict": "supports", "rationale": "alice's text"}
    assert client.post(history_form_url(consensus, record), data).status_code == 403
    consensus.refresh_from_db()
    assert (consensus.evidence_strength, consensus.rationale, consensus.decided_by) == (
        "low",
        "Two small trials.",
        carol,
    )


def test_a_reviewer_cannot_refinalize_a_reopened_claim_from_its_history(client, alice, bob, carol, claim):
    f.make_rating(claim, alice)
    f.make_rating(claim, bob)
    claim.record_consensus(carol, "low", "partially", "Two small trials.")
    finalized_row = Claim.history.filter(id=claim.pk, status="finalized").latest("history_date")
    claim.reopen(carol)
    client.force_login(alice)
    data = {"article": claim.article_id, "quote": claim.quote, "start": claim.start, "end": claim.end}
    data |= {"statement": claim.statement, "topic": claim.topic, "population": claim.population, "status": "finalized"}
    assert client.post(history_form_url(claim, finalized_row), data).status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == "under_review"


def test_a_reviewer_cannot_change_another_reviewers_flag_from_its_history(client, alice, bob, claim):
    flag = MarketingFlag.objects.raise_on_claim(claim, "cures", "disease-claim", bob)
    record = flag.history.latest("history_date")
    client.force_login(alice)
    data = {"article": flag.article_id, "claim": claim.pk, "start": flag.start, "end": flag.end, "text": flag.text}
    data |= {"category": "hype", "state": "dismissed"}
    assert client.post(history_form_url(flag, record), data).status_code == 403
    flag.refresh_from_db()
    assert (flag.category, flag.state) == ("disease-claim", "confirmed")


def test_history_pages_show_no_revert_button(client, bob, rated):
    client.force_login(bob)
    page = client.get(history_form_url(rated, rated.history.earliest("history_date")))
    assert page.status_code == 200
    assert b"Revert" not in page.content


def test_a_blinded_rating_history_is_a_404(client, alice, bob, claim):
    """alice has not rated the claim: bob's rating, its notes and earlier values stay hidden."""
    rating, _ = Rating.objects.record(claim, bob, evidence_strength="low", verdict="partially", notes="bob-secret")
    Rating.objects.record(claim, bob, evidence_strength="very_low", verdict="partially", notes="bob-secret-2")
    client.force_login(alice)
    assert client.get(history_url(rating)).status_code == 404
    for record in rating.history.all():
        response = client.get(history_form_url(rating, record))
        assert response.status_code == 404
        assert b"bob-secret" not in response.content


def test_a_rating_history_opens_once_the_reviewer_has_rated(client, alice, rated):
    client.force_login(alice)
    response = client.get(history_url(rated))
    assert response.status_code == 200
    assert b"second look" in response.content


def test_a_reopened_claims_consensus_history_is_hidden_from_reviewers(client, alice, bob, carol, claim):
    f.make_rating(claim, alice)
    f.make_rating(claim, bob)
    consensus = claim.record_consensus(carol, "low", "partially", "secret-rationale")
    claim.reopen(carol)
    record = consensus.history.latest("history_date")
    client.force_login(alice)
    assert client.get(history_url(consensus)).status_code == 404
    assert client.get(history_form_url(consensus, record)).status_code == 404
    client.force_login(carol)
    assert client.get(history_url(consensus)).status_code == 200


def test_an_unknown_or_malformed_history_id_is_a_404(client, bob, rated):
    client.force_login(bob)
    assert client.get(history_url(rated).replace(str(rated.pk), "not-a-number")).status_code == 404
    base = reverse("admin:claims_rating_simple_history", args=[rated.pk, 1]).rsplit("/1/", 1)[0]
    assert client.get(f"{base}/999999/").status_code == 404
    assert client.get(f"{base}/abc/").status_code == 404


def test_the_article_history_page_works(client, alice):
    article = f.make_article()
    client.force_login(alice)
    assert client.get(history_url(article)).status_code == 200


def test_an_article_change_is_kept_in_history(client, carol):
    article = f.make_article(title="Old title")
    client.force_login(carol)
    data = {"title": "New title", "slug": article.slug, "text": article.text, "source_url": "", "publisher": ""}
    response = client.post(reverse("admin:claims_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    titles = list(Article.history.filter(id=article.pk).order_by("history_date").values_list("title", flat=True))
    assert titles == ["Old title", "New title"]


def test_consensus_history_rows_are_written_by_record_consensus(alice, bob, carol, claim):
    f.make_rating(claim, alice)
    f.make_rating(claim, bob)
    claim.record_consensus(carol, "low", "partially", "Two small trials.")
    assert Consensus.history.filter(claim_id=claim.pk).get().history_user == carol
