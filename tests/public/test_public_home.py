"""/: what the site is, how ratings are made, headline numbers, links into the claim browser."""

import pytest
from django.urls import reverse

from claims.models import EVIDENCE_STRENGTH_MEANING, MARKETING_CATEGORY_MEANING, VERDICT_MEANING, ClaimStatus
from tests import factories
from tests.public_pages import page, reviewed_claim

pytestmark = pytest.mark.django_db


def test_it_explains_the_scales(client, db):
    html = client.get(reverse("home")).content.decode()
    assert 'id="methods"' in html
    for meaning in [
        *EVIDENCE_STRENGTH_MEANING.values(),
        *VERDICT_MEANING.values(),
        *MARKETING_CATEGORY_MEANING.values(),
    ]:
        assert meaning.replace("'", "&#x27;") in html


def test_it_documents_the_claim_review_rating_value(client, db):
    html = client.get(reverse("home")).content.decode()
    assert "ratingValue" in html
    assert "<td>5</td>" in html and "<td>1</td>" in html


def test_headline_numbers_count_only_public_claims(client, alice, carol):
    article = factories.make_article("One. Two. Three.")
    reviewed_claim(article, "One.", [alice], carol)
    factories.make_claim(article, "Two.")
    factories.make_claim(article, "Three.", status=ClaimStatus.SUGGESTED)
    factories.make_flag(article, "Two", state="confirmed")
    factories.make_flag(article, "Three", state="suggested")
    context = client.get(reverse("home")).context
    assert (context["claim_count"], context["finalized_count"], context["flag_count"]) == (2, 1, 1)


def test_it_links_to_useful_filtered_lists(client, db):
    parsed = page(client.get(reverse("home")))
    hrefs = {a.get("href") for a in parsed.find_all("a")}
    assert {"/claims/?strength=none", "/claims/?population=animal", "/claims/?flag=any"} <= hrefs
    for href in ("/claims/?strength=none", "/claims/?population=animal", "/claims/?flag=any"):
        response = client.get(href)
        assert response.status_code == 200
        assert not response.context["filter"].form.errors


def test_the_site_does_not_call_itself_a_magnesium_site(client, db):
    page = client.get("/").content.decode()
    head = page.split("</head>")[0]
    assert "magnesium" not in head.lower()
    assert "Evidence behind supplement health claims" in head


def _about(slug, quote, **fields):
    from claims.models import Substance

    article = factories.make_article(f"{quote} More.", **fields)
    return factories.make_claim(article, quote, substance=Substance.objects.get(slug=slug))


def test_it_says_which_substances_the_claims_are_about_with_counts_and_links(client, db):
    _about("ashwagandha", "Brightleaf ashwagandha gummies ease stress.")
    _about("magnesium", "Brightleaf magnesium soothes nerves.")
    _about("magnesium-glycinate", "Brightleaf glycinate tablets calm you.")
    _about("zinc", "Brightleaf zinc drops help colds.", published_at=None)  # a draft: not public, not listed
    from bs4 import BeautifulSoup

    response = client.get(reverse("home"))
    parsed = BeautifulSoup(response.content, "html.parser")
    links = {a.get("href"): a.get_text() for a in parsed.find_all("a")}
    assert links["/claims/?substance=magnesium"] == "magnesium"  # its form counted under it
    assert links["/claims/?substance=ashwagandha"] == "ashwagandha"
    assert "/claims/?substance=zinc" not in links
    assert [(s["slug"], s["n"]) for s in response.context["substances"]] == [("magnesium", 2), ("ashwagandha", 1)]
    description = parsed.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith("Claims about magnesium and ashwagandha")


def test_the_home_page_queries_do_not_grow_with_substances(client, db, django_assert_num_queries):
    from tests.public_pages import VERSION_QUERY

    for n, slug in enumerate(["magnesium", "ashwagandha", "turmeric", "zinc", "melatonin"]):
        _about(slug, f"Brightleaf {slug} product {n} works.")
    # 1 the site's kept sums (articles, claims, finalized claims, flags, claims by substance:
    # claims/tallies.py), 2 the names of those substances and their parents, 3 whether a
    # demonstration review's ratings are published (the notice).
    with django_assert_num_queries(VERSION_QUERY + 3):
        response = client.get(reverse("home"))
    assert len(response.context["substances"]) == 5
