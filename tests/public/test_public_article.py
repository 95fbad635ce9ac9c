"""/articles/ and /articles/<slug>/: the article text with its claims and marketing phrases highlighted."""

import pytest
from django.urls import reverse

from claims.models import ClaimStatus
from tests import factories
from tests.public_pages import VERSION_QUERY, page, reviewed_claim

pytestmark = pytest.mark.django_db

TEXT = "Cart 0\nMagnesium cures nerve pain fast. Rats healed faster.\n\nIt is natural. Buy our oil today."


def url(article):
    return reverse("article_detail", args=[article.slug])


def text_section(response):
    return response.content.decode().split('class="article-text"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def article(alice, bob, carol):
    article = factories.make_article(TEXT, title="Nerve article", slug="nerve", promotes_product=True)
    reviewed_claim(
        article, "Magnesium cures nerve pain fast.", [alice, bob], carol, strength="very_low", verdict="partially"
    )
    factories.make_claim(article, "Rats healed faster.")
    factories.make_claim(article, "It is natural.", status=ClaimStatus.SUGGESTED)
    factories.make_flag(article, "cures nerve pain", category="disease-claim", state="confirmed")
    factories.make_flag(article, "natural", category="appeal-to-nature", state="suggested")
    factories.make_flag(article, "Buy our oil today", category="product-promotion", state="confirmed")
    return article


def test_every_public_claim_is_highlighted_with_its_strength(client, article):
    html = text_section(client.get(url(article)))
    finalized = article.claims.get(status=ClaimStatus.FINALIZED)
    under_review = article.claims.get(status=ClaimStatus.UNDER_REVIEW)
    assert f'<mark class="hl hl-claim s-very_low" id="claim-{finalized.pk}">' in html
    assert f'<mark class="hl hl-claim s-under_review" id="claim-{under_review.pk}">' in html
    assert f'href="/claims/{finalized.pk}/"' in html
    assert '<span class="badge s-very_low">Very low</span>' in html
    assert '<span class="badge s-under_review">Under review</span>' in html


def test_a_suggested_claim_is_not_highlighted(client, article):
    suggested = article.claims.get(status=ClaimStatus.SUGGESTED)
    assert f"claim-{suggested.pk}" not in client.get(url(article)).content.decode()


def test_only_confirmed_flags_are_marked(client, article):
    html = text_section(client.get(url(article)))
    assert html.count("hl-flag") == 2
    assert "(marketing language: Disease claim)" in html
    assert "(marketing language: Product promotion)" in html
    assert "Appeal to nature" not in html


def test_a_claim_under_review_shows_no_rating_in_the_highlights(client, article, carol):
    claim = article.claims.get(status=ClaimStatus.FINALIZED)
    claim.status = ClaimStatus.UNDER_REVIEW  # reopened: the consensus row stays
    claim.save()
    response = client.get(url(article))
    html = response.content.decode()
    assert "Very low" not in text_section(response)
    assert "s-very_low" not in html
    assert "Partially supports" not in html
    assert response.context["strength_summary"] == [("under_review", "Under review", 2)]


def test_overlapping_claims_and_flags_render_well_formed(client, article):
    parsed = page(client.get(url(article)))
    assert parsed.errors == []
    links = [a["href"] for a in parsed.find_all("a", class_="claim-ref")]
    assert len(links) == 2


def test_paragraphs_are_kept(client, article):
    html = text_section(client.get(url(article)))
    assert '<p class="article-subhead">Cart 0</p>' in html
    assert html.count("<p") == 3


def test_the_summary_counts_claims_by_strength_and_flags_by_category(client, article):
    response = client.get(url(article))
    assert response.context["strength_summary"] == [("very_low", "Very low", 1), ("under_review", "Under review", 1)]
    assert [(label, count) for label, _, count in response.context["flag_summary"]] == [
        ("Disease claim", 1),
        ("Product promotion", 1),
    ]
    assert "Sells a product:" in response.content.decode()


def test_article_text_is_escaped(client, db):
    attack = factories.make_article(
        'Before.\n"><img src=x onerror=alert(1)> <script>alert(2)</script> After.', title="<b>Title</b>", slug="attack"
    )
    factories.make_claim(attack, "<script>alert(2)</script>")
    factories.make_flag(attack, '"><img src=x onerror=alert(1)>', state="confirmed")
    response = client.get(url(attack))
    html = response.content.decode()
    assert "<img src=x" not in html
    assert "<script>alert" not in html
    assert "<b>Title</b>" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert page(response).errors == []


def test_an_unknown_slug_is_a_404(client, db):
    assert client.get("/articles/no-such-article/").status_code == 404


def test_the_page_has_one_h1_a_title_a_description_and_a_canonical_url(client, article):
    parsed = page(client.get(url(article)))
    assert parsed.h1 == ["Nerve article"]
    assert parsed.title.startswith("Nerve article")
    assert "2 health claims and 2 marketing phrases" in parsed.meta_description()
    assert parsed.canonical() == "http://testserver/articles/nerve/"


def test_the_article_list_counts_public_claims_and_confirmed_flags(client, article):
    factories.make_article("Another text.", title="Empty article", slug="empty")
    response = client.get(reverse("article_list"))
    rows = {a.slug: (a.claim_count, a.finalized_count, a.flag_count) for a in response.context["articles"]}
    assert rows == {"nerve": (2, 1, 2), "empty": (0, 0, 0)}
    assert page(response).h1 == ["Articles"]


@pytest.mark.parametrize("size", [3, 30])
def test_query_count_does_not_grow_with_rows(client, django_assert_num_queries, alice, bob, carol, size):
    article = factories.make_article(" ".join(f"Claim {i} is here, buy now {i}." for i in range(size)), slug="big")
    for i in range(size):
        quote = f"Claim {i} is here,"
        claim = reviewed_claim(article, quote, [alice, bob], carol) if i % 2 else factories.make_claim(article, quote)
        factories.cite(claim, factories.make_study(f"(Study {i})"))
        factories.make_flag(article, f"here, buy now {i}.", state="confirmed")
    with django_assert_num_queries(VERSION_QUERY + 4):
        # 1 the article, 2 its public claims with their consensus, 3 its confirmed flags,
        # 4 whether a demonstration review's ratings are published (the notice).
        response = client.get(url(article))
    assert response.context["claim_count"] == size
    assert response.content.decode().count("claim-ref") == size
