"""While a demonstration review's ratings are published, every public page and both CSV exports say so."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from claims.policy import DEMONSTRATION_GROUP
from tests import export_helpers as csv
from tests import factories as f

pytestmark = pytest.mark.django_db
NOTICE = "The ratings on this site are a demonstration review by the mgreview maintainers"


def demonstration_account(user):
    user.groups.add(Group.objects.get_or_create(name=DEMONSTRATION_GROUP)[0])
    return user


@pytest.fixture
def finalized(alice, bob, carol):
    claim = f.make_claim()
    f.make_rating(claim, alice)
    f.make_rating(claim, bob)
    claim.record_consensus(carol, "low", "partially", "Two small trials.")
    return claim


def public_pages(claim):
    return [
        reverse("home"),
        reverse("claim_list"),
        reverse("claim_detail", args=[claim.pk]),
        reverse("article_list"),
        reverse("article_detail", args=[claim.article.slug]),
        reverse("stats"),
    ]


def test_no_notice_without_demonstration_ratings(client, finalized):
    for url in public_pages(finalized):
        assert NOTICE not in client.get(url).content.decode(), url
    assert {row["demonstration_review"] for row in csv.ratings(client)} == {"no"}
    assert {row["demonstration_consensus"] for row in csv.claims(client)} == {"no"}


def test_every_public_page_and_both_exports_say_so_while_they_are_published(client, finalized, alice, carol):
    demonstration_account(alice)
    demonstration_account(carol)
    for url in public_pages(finalized):
        assert NOTICE in client.get(url).content.decode(), url
    rows = {row["reviewer"]: row["demonstration_review"] for row in csv.ratings(client)}
    assert sorted(rows.values()) == ["no", "yes"]
    assert {row["demonstration_consensus"] for row in csv.claims(client)} == {"yes"}


def test_the_notice_goes_when_no_demonstration_rating_is_published(client, finalized, alice, carol):
    demonstration_account(alice)
    finalized.reopen(carol)  # its ratings are no longer published
    assert NOTICE not in client.get(reverse("home")).content.decode()
    [row] = csv.claims(client)
    assert row["demonstration_consensus"] == ""


def test_unpublished_demonstration_ratings_do_not_show_the_notice(client, alice, claim):
    demonstration_account(alice)
    f.make_rating(claim, alice)  # under review: not published
    assert NOTICE not in client.get(reverse("claim_list")).content.decode()
