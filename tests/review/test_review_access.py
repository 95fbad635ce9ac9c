"""Who may use /review/: reviewers only; anonymous users go to the login page; CSRF is enforced."""

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Rating
from tests.factories import make_flag, make_rating, make_study

pytestmark = pytest.mark.django_db


def review_urls(claim, study, flag):
    """Every /review/ URL, with the method it answers."""
    pk = claim.pk
    return [
        ("get", reverse("review:queue")),
        ("get", reverse("review:claim", args=[pk])),
        ("post", reverse("review:claim", args=[pk])),
        ("post", reverse("review:link_study", args=[pk])),
        ("post", reverse("review:add_study", args=[pk])),
        ("post", reverse("review:unlink_study", args=[pk, study.pk])),
        ("post", reverse("review:add_flag", args=[pk])),
        ("post", reverse("review:flag_state", args=[pk, flag.pk])),
        ("post", reverse("review:consensus", args=[pk])),
        ("post", reverse("review:reopen", args=[pk])),
        ("get", reverse("review:conflicts")),
        ("get", reverse("review:agreement")),
    ]


@pytest.fixture
def urls(claim):
    return review_urls(claim, make_study(), make_flag(claim.article, "cures everything"))


def test_anonymous_users_are_sent_to_login_from_every_review_url(client, urls):
    for method, url in urls:
        for verb in {method, "get"}:
            response = getattr(client, verb)(url)
            assert response.status_code == 302, (verb, url)
            assert response.url.startswith(reverse("login") + "?next="), (verb, url)


def test_anonymous_post_changes_nothing(client, claim):
    client.post(reverse("review:claim", args=[claim.pk]), {"evidence_strength": "high", "verdict": "supports"})
    assert not Rating.objects.exists()


def test_logged_in_user_without_a_role_is_refused_everywhere(client, charlie, urls):
    client.force_login(charlie)
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 403, (method, url)
    assert b"for reviewers" in client.get(reverse("review:queue")).content


def test_reviewer_may_open_the_review_pages(client, alice, claim):
    client.force_login(alice)
    for url in (reverse("review:queue"), reverse("review:claim", args=[claim.pk]), reverse("review:conflicts")):
        assert client.get(url).status_code == 200, url


def test_navigation_shows_review_links_to_reviewers_only(client, alice, charlie):
    client.force_login(charlie)
    assert reverse("review:conflicts").encode() not in client.get(reverse("home")).content
    client.force_login(alice)
    content = client.get(reverse("home")).content
    for name in ("review:queue", "review:conflicts", "review:agreement"):
        assert f'href="{reverse(name)}"'.encode() in content


def test_post_without_csrf_token_is_refused(alice, claim):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(
        reverse("review:claim", args=[claim.pk]), {"evidence_strength": "high", "verdict": "supports"}
    )
    assert response.status_code == 403
    assert not Rating.objects.exists()


def test_post_with_csrf_token_is_accepted(alice, claim):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    client.get(reverse("review:claim", args=[claim.pk]))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("review:claim", args=[claim.pk]),
        {"evidence_strength": "high", "verdict": "supports", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert Rating.objects.filter(claim=claim, reviewer=alice).exists()


def test_consensus_without_csrf_token_is_refused(carol, claim, alice):
    make_rating(claim, alice)
    client = Client(enforce_csrf_checks=True)
    client.force_login(carol)
    response = client.post(
        reverse("review:consensus", args=[claim.pk]),
        {"evidence_strength": "low", "verdict": "partially", "rationale": "x"},
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == "under_review"


@pytest.mark.parametrize(
    "name,args",
    [
        ("review:claim", [999999]),
        ("review:link_study", [999999]),
        ("review:add_flag", [999999]),
        ("review:consensus", [999999]),
        ("review:reopen", [999999]),
    ],
)
def test_unknown_claim_is_404(client, carol, name, args):
    client.force_login(carol)
    method = client.get if name == "review:claim" else client.post
    assert method(reverse(name, args=args)).status_code == 404


def test_unknown_study_or_flag_is_404(client, alice, claim):
    client.force_login(alice)
    assert client.post(reverse("review:unlink_study", args=[claim.pk, 999999])).status_code == 404
    assert client.post(reverse("review:flag_state", args=[claim.pk, 999999]), {"state": "confirmed"}).status_code == 404


def test_suggested_claim_is_not_open_to_review(client, alice):
    from tests.factories import make_claim

    suggested = make_claim(status="suggested")
    client.force_login(alice)
    assert client.get(reverse("review:claim", args=[suggested.pk])).status_code == 404


def test_get_only_pages_refuse_post(client, alice):
    client.force_login(alice)
    for name in ("review:queue", "review:conflicts", "review:agreement"):
        assert client.post(reverse(name)).status_code == 405
