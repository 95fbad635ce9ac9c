"""
A visitor, no login: home → claim list → two filters through the form → a claim →
its highlight in the article; and the CSV of what they filtered. Every page is audited
(axe-core, CSP, console) on the way.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.site_pages import build_site

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def apply_filters(page):
    """From the claim list, filter through the form to the finalized, very-low-evidence claims."""
    form = page.locator("form.filter-form")
    form.get_by_label("Evidence strength").select_option(label="Very low")
    form.get_by_label("Review status").select_option(label="Finalized")
    form.get_by_role("button", name="Show claims").click()
    page.wait_for_url(re.compile(r"strength=very_low"))


def test_visitor_filters_claims_opens_one_and_sees_it_highlighted_in_its_article(page, audit):
    site = build_site()
    claim = site.finalized

    page.goto("/")
    audit(page)
    page.get_by_role("link", name="Claims", exact=True).click()
    expect(page).to_have_url(re.compile(r"/claims/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Claims")
    audit(page)

    apply_filters(page)
    assert "status=finalized" in page.url
    results = page.locator("ol.claim-list > li")
    expect(results).to_have_count(1)
    expect(page.get_by_role("heading", level=2, name="1 claim")).to_be_visible()
    audit(page)

    results.first.get_by_role("link", name=claim.statement).click()
    expect(page).to_have_url(re.compile(rf"/claims/{claim.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(claim.statement)
    rating = page.locator("dl.rating")
    expect(rating).to_contain_text("Very low")
    expect(rating).to_contain_text("Does not support the claim")
    # The JSON-LD data block carries no nonce; the audit's CSP watch sees no violation for it.
    json_ld = page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
    assert json_ld["@type"] == "ClaimReview"
    audit(page)

    page.locator("figcaption").get_by_role("link", name=claim.article.title).click()
    expect(page).to_have_url(re.compile(rf"/articles/{claim.article.slug}/#claim-{claim.pk}$"))
    highlight = page.locator(f"mark#claim-{claim.pk}")
    expect(highlight).to_be_in_viewport()
    expect(highlight).to_have_class(re.compile(r"\bs-very_low\b"))
    expect(highlight).to_contain_text(claim.quote[:40])
    audit(page)

    # The highlight's rating is there for keyboard users too: focus shows its tooltip.
    tip = highlight.locator(".claim-ref .tip")
    assert tip.bounding_box()["width"] <= 1
    highlight.locator(".claim-ref").focus()
    expect(tip).to_contain_text("very low")
    assert tip.bounding_box()["width"] > 50


def test_visitor_downloads_the_filtered_ratings_as_csv(page, audit):
    site = build_site()
    page.goto("/claims/")
    apply_filters(page)
    link = page.locator(f'a[href^="{reverse("export_ratings")}"]')
    expect(link).to_have_count(1)
    assert "strength=very_low" in link.get_attribute("href")

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert re.fullmatch(r"mgreview-ratings-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    # Exactly what the filtered list shows: the one finalized, very-low claim, with
    # its two ratings, under pseudonyms (the public never sees usernames).
    assert len(rows) == 2
    for row in rows:
        assert row["claim_id"] == str(site.finalized.pk)
        assert row["claim_statement"] == site.finalized.statement
        assert row["evidence_strength"] == "very_low"
        assert row["consensus_strength"] == "very_low"
        assert row["claim_status"] == "finalized"
        assert row["reviewer"] not in {"alice", "bob"}
    audit(page)
