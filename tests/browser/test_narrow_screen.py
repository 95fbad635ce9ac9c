"""
At 360 px wide (a small phone) the claim list and the review form are usable: nothing
scrolls sideways, and every control is on screen and can be used.
"""

import re

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, horizontal_overflow
from tests.site_pages import build_site

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CONTROLS = "input:not([type=hidden]), select, textarea, button, a[href]"


def controls_off_screen(page, scope):
    """Controls in `scope` that stick out of the viewport sideways, or are too small to tap."""
    problems = []
    width = page.viewport_size["width"]
    for control in page.locator(scope).locator(CONTROLS).all():
        if not control.is_visible():
            continue
        control.scroll_into_view_if_needed()
        box = control.bounding_box()
        name = control.get_attribute("name") or control.inner_text()[:30] or control.evaluate("e => e.outerHTML")[:60]
        if box["x"] < 0 or box["x"] + box["width"] > width + 1:
            problems.append(f"{name}: x={box['x']:.0f}, width={box['width']:.0f}")
        elif tap_height(control, box) < 16:
            problems.append(f"{name}: only {box['height']:.0f}px high")
    return problems


def tap_height(control, box):
    """A radio button or checkbox is tapped through its label, so the label's height counts."""
    label_height = control.evaluate("e => e.labels && e.labels.length ? e.labels[0].getBoundingClientRect().height : 0")
    return max(box["height"], label_height)


def test_claim_list_is_usable_at_360px(new_context, audit):
    site = build_site()
    page = new_context(viewport=PHONE).new_page()
    page.goto("/claims/")
    assert not horizontal_overflow(page)
    assert not controls_off_screen(page, "form.filter-form")

    form = page.locator("form.filter-form")
    form.get_by_label("Evidence strength").select_option(label="Very low")
    form.get_by_label("Review status").select_option(label="Finalized")
    form.get_by_role("button", name="Show claims").click()
    page.wait_for_url(re.compile(r"status=finalized"))
    card = page.locator("ol.claim-list > li")
    expect(card).to_have_count(1)
    assert not horizontal_overflow(page)
    assert not controls_off_screen(page, "main")
    audit(page)

    card.get_by_role("link", name=site.finalized.statement).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(site.finalized.statement)
    assert not horizontal_overflow(page)


def test_review_form_is_usable_at_360px(new_context, log_in, audit):
    try:
        reverse("review:claim", args=[1])
    except NoReverseMatch:
        pytest.skip("the review form (review:claim) is not on this branch yet")
    site = build_site()
    ctx = new_context(viewport=PHONE)
    log_in(ctx, site.alice)
    page = ctx.new_page()
    page.goto(reverse("review:claim", args=[site.unrated.pk]))
    assert not horizontal_overflow(page)
    assert not controls_off_screen(page, "main")
    audit(page)
