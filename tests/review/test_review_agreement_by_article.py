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


def test_the_article_table_names_the_most_paired_articles_and_the_total_counts_them_all(
    client, monkeypatch, alice, bob, carol
):
    monkeypatch.setattr("review.views.AGREEMENT_ARTICLES", 2)
    articles = [f.make_article(title=f"Fictional {name}") for name in ("A", "B", "C")]
    for article, paired in zip(articles, (1, 3, 2), strict=True):
        for _ in range(paired):
            claim = f.make_claim(article)
            f.make_rating(claim, alice, evidence_strength="low")
            f.make_rating(claim, bob, evidence_strength="high")
    client.force_login(carol)
    response = client.get(AGREEMENT)
    stats = response.context["stats"]
    assert [row["title"] for row in stats["articles"]] == ["Fictional B", "Fictional C"]
    assert stats["overall"]["claims_paired"] == 6
    assert "the 2 articles with the most claims rated by two or more reviewers, of 3" in response.content.decode()
    # The article filter still offers the one left out of the table.
    assert f'<option value="{articles[0].slug}">Fictional A</option>' in response.content.decode()
