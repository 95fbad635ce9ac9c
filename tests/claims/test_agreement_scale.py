"""
The public statistics page names the articles with the most paired claims in its
agreement table, not every article: alpha per article was most of the page's time
at 2,000 articles. The overall row still counts every article.
"""

import pytest
from django.urls import reverse

from claims import agreement
from claims.models import Rating
from tests import factories

pytestmark = pytest.mark.django_db


def rated_article(title, claims, reviewers):
    article = factories.make_article(" ".join(f"Claim {i} here." for i in range(claims)), title=title)
    for i in range(claims):
        claim = factories.make_claim(article, f"Claim {i} here.")
        for reviewer in reviewers:
            factories.make_rating(claim, reviewer)
    return article


@pytest.fixture
def three_articles(alice, bob):
    return [
        rated_article("Alpha", 1, [alice, bob]),
        rated_article("Beta", 3, [alice, bob]),
        rated_article("Gamma", 2, [alice, bob]),
    ]


def test_without_a_limit_every_article_is_listed_by_title(three_articles):
    result = agreement.summary(Rating.objects.all())
    assert [row["title"] for row in result["articles"]] == ["Alpha", "Beta", "Gamma"]
    assert result["articles_total"] == 3


def test_a_limit_keeps_the_articles_with_most_paired_claims_in_title_order(three_articles):
    result = agreement.summary(Rating.objects.all(), max_articles=2)
    assert [row["title"] for row in result["articles"]] == ["Beta", "Gamma"]
    assert result["articles_total"] == 3


def test_the_overall_row_counts_every_article_whatever_the_limit(three_articles):
    limited = agreement.summary(Rating.objects.all(), max_articles=1)
    assert limited["overall"]["claims_paired"] == 6


def test_the_stats_page_says_how_many_articles_its_table_leaves_out(client, alice, bob, carol, monkeypatch):
    monkeypatch.setattr("public.charts.MAX_GROUPS", 2)
    for title, claims in (("Alpha", 1), ("Beta", 3), ("Gamma", 2)):
        article = rated_article(title, claims, [alice, bob])
        for claim in article.claims.all():
            factories.finalize(claim, carol)
    html = client.get(reverse("stats")).content.decode()
    table = html.split('class="agreement"', 1)[1].split("</table>", 1)[0]
    assert "the 2 articles with the most claims rated by two or more reviewers, of 3" in table
    assert "Alpha" not in table and "Beta" in table and "Gamma" in table
