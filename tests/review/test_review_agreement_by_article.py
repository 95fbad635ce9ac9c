"""A lead narrows the agreement page to one article and sees it per pair of reviewers."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db
AGREEMENT = reverse("review:agreement")


@pytest.fixture
def two_articles(alice, bob, carol):
    agreed, split = f.make_claim(), f.make_claim()
    f.make_rating(agreed, alice, evidence_strength="low")
    f.make_rating(agreed, bob, evidence_strength="low")
    f.make_rating(split, alice, evidence_strength="low")
    f.make_rating(split, carol, evidence_strength="high")
    return agreed, split


def test_one_article_only(client, carol, two_articles):
    agreed, _ = two_articles
    client.force_login(carol)
    response = client.get(AGREEMENT, {"article": agreed.article.slug})
    assert response.status_code == 200
    assert response.context["stats"]["overall"]["claims_paired"] == 1
    assert response.context["stats"]["overall"]["evidence_strength"]["percent_agreement"] == 1.0
    assert agreed.article.title in response.content.decode()


def test_per_pair_of_reviewers_for_a_lead(client, carol, two_articles):
    client.force_login(carol)
    pairs = {row["pair"]: row for row in client.get(AGREEMENT).context["pairs"]}
    assert set(pairs) == {("alice", "bob"), ("alice", "carol")}
    assert pairs[("alice", "bob")]["evidence_strength"]["percent_agreement"] == 1.0
    assert pairs[("alice", "carol")]["evidence_strength"]["percent_agreement"] == 0.0
    assert "alice and carol" in client.get(AGREEMENT).content.decode()


def test_reviewers_do_not_see_the_pairs(client, alice, two_articles):
    client.force_login(alice)
    response = client.get(AGREEMENT)
    assert response.context["pairs"] is None
    assert "per pair of reviewers" not in response.content.decode()


def test_an_unknown_article_is_a_400_that_says_so(client, carol, two_articles):
    client.force_login(carol)
    response = client.get(AGREEMENT, {"article": "no-such-article"})
    assert response.status_code == 400
    assert "There is no article with that address" in response.content.decode()
