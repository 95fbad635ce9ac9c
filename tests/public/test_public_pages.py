"""Rules every public page keeps: read-only, one h1, a title and a description, the navigation."""

import pytest
from django.urls import reverse

from claims.models import Claim, Consensus, Rating
from tests import factories
from tests.public_pages import page, reviewed_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(alice, carol):
    article = factories.make_article("Magnesium cures nerve pain. Rats healed.", title="Nerve", slug="nerve")
    claim = reviewed_claim(article, "Magnesium cures nerve pain.", [alice], carol)
    factories.cite(claim, study := factories.make_study("(Rat 2019)"))
    return [
        reverse("home"),
        reverse("claim_list"),
        reverse("claim_detail", args=[claim.pk]),
        reverse("article_list"),
        reverse("article_detail", args=[article.slug]),
        reverse("study_detail", args=[study.pk]),
        reverse("stats"),
    ]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_anonymous_writes_are_refused_and_change_nothing(client, urls, method):
    before = (Claim.objects.count(), Rating.objects.count(), Consensus.objects.count())
    for url in urls:
        response = getattr(client, method)(url, {"status": "rejected", "statement": "hacked"})
        assert response.status_code == 405, url
    assert (Claim.objects.count(), Rating.objects.count(), Consensus.objects.count()) == before
    assert not Claim.objects.filter(statement="hacked").exists()


def test_head_is_allowed(client, urls):
    for url in urls:
        assert client.head(url).status_code == 200, url


def test_every_page_has_one_h1_a_title_and_a_description(client, urls):
    titles = set()
    for url in urls:
        parsed = page(client.get(url))
        assert len(parsed.h1) == 1, url
        assert parsed.title and parsed.title.endswith("· mgreview"), url
        assert parsed.meta_description(), url
        assert parsed.errors == [], (url, parsed.errors)
        titles.add(parsed.title)
    assert len(titles) == len(urls)  # each page says what it is


def test_every_page_has_the_public_navigation(client, urls):
    for url in urls:
        hrefs = {a.get("href") for a in page(client.get(url)).find_all("a")}
        assert {"/claims/", "/articles/", "/stats/", "/#methods"} <= hrefs, url


def test_pages_carry_no_inline_style_or_script(client, urls):
    for url in urls:
        html = client.get(url).content.decode()
        assert "style=" not in html and "<style" not in html, url
        assert "<script>" not in html, url  # only the nonce'd JSON-LD block


def test_the_current_section_is_marked_in_the_navigation(client, urls):
    parsed = page(client.get(reverse("claim_list")))
    current = [a for a in parsed.find_all("a") if a.get("aria-current") == "page"]
    assert [a["href"] for a in current] == ["/claims/"]
