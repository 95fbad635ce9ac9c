"""Marketing flags on a claim's text: confirm, dismiss, add; others' flags are theirs."""

import pytest
from django.urls import reverse

from claims.models import MarketingFlag
from tests.factories import make_claim, make_flag

pytestmark = pytest.mark.django_db


def flag_url(claim, flag):
    return reverse("review:flag_state", args=[claim.pk, flag.pk])


def test_claim_page_lists_flags_attached_or_inside_the_quote(client, alice, claim):
    inside = make_flag(claim.article, "cures everything", source="detector")
    attached = make_flag(claim.article, "natural", claim=claim)
    outside = make_flag(claim.article, "safe")
    client.force_login(alice)
    flags = [flag for flag, _ in client.get(reverse("review:claim", args=[claim.pk])).context["flags"]]
    assert set(flags) == {inside, attached}
    assert outside not in flags


def test_reviewer_confirms_and_dismisses_a_detector_suggestion(client, alice, claim):
    flag = make_flag(claim.article, "cures everything", source="detector")
    client.force_login(alice)
    assert client.post(flag_url(claim, flag), {"state": "confirmed"}).status_code == 302
    flag.refresh_from_db()
    assert flag.state == "confirmed"
    client.post(flag_url(claim, flag), {"state": "dismissed"})
    flag.refresh_from_db()
    assert flag.state == "dismissed"


def test_reviewer_cannot_change_another_reviewers_flag(client, alice, bob, claim):
    flag = make_flag(claim.article, "cures everything", raised_by=bob, state="confirmed")
    client.force_login(alice)
    assert client.post(flag_url(claim, flag), {"state": "dismissed"}).status_code == 403
    flag.refresh_from_db()
    assert flag.state == "confirmed"


def test_lead_may_change_any_flag(client, carol, bob, claim):
    flag = make_flag(claim.article, "cures everything", raised_by=bob, state="confirmed")
    client.force_login(carol)
    client.post(flag_url(claim, flag), {"state": "dismissed"})
    flag.refresh_from_db()
    assert flag.state == "dismissed"


def test_a_bad_flag_decision_is_explained(client, alice, claim):
    flag = make_flag(claim.article, "cures everything", source="detector")
    client.force_login(alice)
    response = client.post(flag_url(claim, flag), {"state": "deleted"})
    assert response.status_code == 400
    assert "“deleted” is not a flag decision." in response.content.decode()
    flag.refresh_from_db()
    assert flag.state == "suggested"


def test_a_flag_outside_the_claim_is_404_from_its_page(client, alice, claim):
    elsewhere = make_flag(claim.article, "safe", source="detector")
    client.force_login(alice)
    assert client.post(flag_url(claim, elsewhere), {"state": "confirmed"}).status_code == 404


def test_reviewer_flags_a_phrase_found_in_the_quote(client, alice, claim):
    client.force_login(alice)
    response = client.post(
        reverse("review:add_flag", args=[claim.pk]), {"phrase": "cures everything", "category": "absolute"}
    )
    assert response.status_code == 302
    flag = MarketingFlag.objects.get()
    assert claim.article.text[flag.start : flag.end] == "cures everything"
    assert (flag.claim, flag.category, flag.state, flag.source, flag.raised_by) == (
        claim,
        "absolute",
        "confirmed",
        "reviewer",
        alice,
    )


def test_a_phrase_not_in_the_quote_is_explained(client, alice, claim):
    client.force_login(alice)
    response = client.post(reverse("review:add_flag", args=[claim.pk]), {"phrase": "natural", "category": "hype"})
    assert response.status_code == 400
    assert "“natural” is not in this claim&#x27;s quote" in response.content.decode()
    assert not MarketingFlag.objects.exists()


def test_a_phrase_already_flagged_is_explained(client, alice, claim):
    make_flag(claim.article, "cures everything", category="hype", source="detector")
    client.force_login(alice)
    response = client.post(
        reverse("review:add_flag", args=[claim.pk]), {"phrase": "cures everything", "category": "hype"}
    )
    assert response.status_code == 400
    assert "is already flagged as hype (suggested)" in response.content.decode()
    assert MarketingFlag.objects.count() == 1


def test_an_unknown_category_is_explained(client, alice, claim):
    client.force_login(alice)
    response = client.post(reverse("review:add_flag", args=[claim.pk]), {"phrase": "cures", "category": "rude"})
    assert response.status_code == 400
    assert "“rude” is not a marketing category." in response.content.decode()


def test_flag_offsets_use_the_quote_position_in_the_article(alice):
    claim = make_claim(quote="It is natural and safe.")
    flag = MarketingFlag.objects.raise_on_claim(claim, "natural", "appeal-to-nature", alice)
    assert claim.article.text[flag.start : flag.end] == "natural"
    assert flag.start == claim.start + len("It is ")
