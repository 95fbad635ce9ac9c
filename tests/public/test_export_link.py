"""The /claims/ page links to the exports with its current filters, and they export what it lists."""

import csv
import io
import re
from html import unescape

import pytest
from django.urls import reverse

from tests import factories
from tests.public_pages import reviewed_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(alice, bob, carol):
    article = factories.make_article("Sleep one. Sleep two. Pain three.", slug="mixed")
    reviewed_claim(article, "Sleep one.", [alice, bob], carol, strength="low", topic="sleep")
    reviewed_claim(article, "Sleep two.", [alice], carol, strength="high", topic="sleep")
    reviewed_claim(article, "Pain three.", [bob], carol, strength="low", topic="neuropathic_pain")
    return article


def export_href(html, name):
    match = re.search(r'href="(' + re.escape(reverse(name)) + r'[^"]*)"', html)
    assert match, f"no link to {name}"
    return unescape(match.group(1))


def test_download_links_carry_the_filters_but_not_the_page(client, listed):
    html = client.get(reverse("claim_list"), {"topic": "sleep", "strength": "low", "page": "1"}).content.decode()
    href = export_href(html, "export_ratings")
    assert "topic=sleep" in href and "strength=low" in href and "page=" not in href
    assert "topic=sleep" in export_href(html, "export_claims")


def test_the_linked_csv_holds_the_listed_claims(client, listed):
    response = client.get(reverse("claim_list"), {"topic": "sleep"})
    listed_ids = {claim.pk for claim in response.context["claims"]}
    csv_response = client.get(export_href(response.content.decode(), "export_ratings"))
    rows = list(csv.DictReader(io.StringIO(b"".join(csv_response.streaming_content).decode())))
    assert {int(row["claim_id"]) for row in rows} == listed_ids
    assert len(rows) == 3  # two ratings on 'Sleep one.', one on 'Sleep two.'


def test_no_download_link_while_the_filters_are_invalid(client, listed):
    html = client.get(reverse("claim_list"), {"topic": "nonsense"}).content.decode()
    assert reverse("export_ratings") not in html
