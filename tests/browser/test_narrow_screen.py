"""
At 360 px wide (a small phone) the claim list and the review form are usable: nothing
scrolls sideways, and every control is on screen and can be used.
"""

import re

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, horizontal_overflow
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
    form = page.locator("form.filter-form")
    # Folded: the first claim is on the first screen, under the summary.
    expect(form.get_by_label("Evidence strength")).to_be_hidden()
    first_card = page.locator("ol.claim-list > li").first
    assert first_card.bounding_box()["y"] < PHONE["height"]
    form.locator("summary").click()
    expect(form.get_by_label("Evidence strength")).to_be_visible()
    assert not controls_off_screen(page, "form.filter-form")

    form.get_by_label("Evidence strength").select_option(label="Very low")
    form.get_by_label("Review status").select_option(label="Finalized")
    form.get_by_role("button", name="Show claims").click()
    page.wait_for_url(re.compile(r"status=finalized"))
    # A filter is set: the fold is open, and says how many.
    expect(form.locator("details")).to_have_attribute("open", "")
    expect(form.locator("summary")).to_contain_text("(2 set)")
    expect(form.get_by_label("Evidence strength")).to_be_visible()
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


@pytest.mark.parametrize("path", ["/claims/", "/studies/"])
def test_on_a_wide_screen_the_filters_are_shown_without_a_fold(new_context, audit, path):
    build_site()
    page = new_context(viewport=DESKTOP).new_page()
    page.goto(path)
    form = page.locator("form.filter-form")
    expect(form.locator("details")).not_to_have_attribute("open", "")
    expect(form.locator("summary")).to_be_hidden()
    expect(form.get_by_role("heading", level=2)).to_be_visible()
    expect(form.get_by_role("button")).to_be_visible()
    form.locator("select").first.focus()  # reachable, not only painted
    assert form.locator("select").first.evaluate("e => e === document.activeElement")
    audit(page)


def test_the_study_filters_fold_and_open_when_a_filter_is_set(new_context, audit):
    build_site()
    page = new_context(viewport=PHONE).new_page()
    page.goto("/studies/")
    form = page.locator("form.filter-form")
    expect(form.get_by_label("Study design")).to_be_hidden()
    page.goto("/studies/?identified=false")
    expect(form.get_by_label("Study design")).to_be_visible()
    expect(form.locator("summary")).to_contain_text("(1 set)")
    assert not horizontal_overflow(page)
    assert not controls_off_screen(page, "main")
    audit(page)


def test_the_individual_ratings_reflow_at_360px(new_context, audit):
    site = build_site()
    page = new_context(viewport=PHONE).new_page()
    page.goto(reverse("claim_detail", args=[site.finalized.pk]))
    cells = page.locator("table.ratings tbody").locator("th, td")
    expect(cells).to_have_count(8)
    for cell in cells.all():
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], cell.inner_text()
    # Each cell names its column once the header row is out of sight.
    expect(page.locator("table.ratings tbody tr").first).to_contain_text("Extrapolation concerns:")
    assert not horizontal_overflow(page)
    audit(page)


LABEL_SIZES = """
() => [...document.querySelectorAll('.chart-svg text')].map(
  (t) => t.getScreenCTM().a * parseFloat(getComputedStyle(t).fontSize))
"""


def test_the_stats_charts_are_legible_and_their_wide_tables_say_they_scroll(new_context, audit):
    build_site()
    page = new_context(viewport=PHONE).new_page()
    page.goto(reverse("stats"))
    sizes = page.evaluate(LABEL_SIZES)
    assert sizes and min(sizes) >= 13, sizes  # drawn at 13 px or more on the screen
    assert not horizontal_overflow(page)
    for region in page.locator(".table-scroll[role=region]").all():
        # A stacked table is wider than the phone: it scrolls in its box, says so, and takes focus to scroll.
        assert region.evaluate("e => e.scrollWidth > e.clientWidth")
        hint = page.locator("#" + region.get_attribute("aria-describedby"))
        expect(hint).to_be_visible()
        expect(region).to_have_attribute("tabindex", "0")
    audit(page)
