"""
The review form by keyboard alone: Tab reaches every control on the page, each shows
a visible focus indicator, and a rating can be filled in and saved without a mouse.
"""

import re

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from claims.models import Rating
from tests.site_pages import build_site

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Controls a keyboard user must be able to reach; radios count once per group
# (Tab enters a group, the arrow keys move within it).
MARK_CONTROLS = """
(scope) => {
  window.__kbNext = window.__kbNext || 0;
  const controls = [...document.querySelector(scope).querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary')]
    .filter((el) => el.checkVisibility() && !el.disabled);
  for (const el of controls) {
    el.dataset.kb ||= el.type === 'radio' ? `radio:${el.name}` : `#${window.__kbNext++}`;
  }
  return [...new Set(controls.map((el) => el.dataset.kb))];
}
"""
FOCUSED = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const ring = style.boxShadow && style.boxShadow !== 'none';
  return {
    key: el.dataset.kb || null,
    closedSummary: el.tagName === 'SUMMARY' && !el.parentElement.open,
    what: `${el.tagName.toLowerCase()} ${el.name || el.textContent.trim().slice(0, 40)}`,
    visible: el.matches(':focus-visible') && (outline || ring),
  };
}
"""


@pytest.fixture
def review_form(page, log_in):
    try:
        reverse("review:claim", args=[1])
    except NoReverseMatch:
        pytest.skip("the review form (review:claim) is not on this branch yet")
    site = build_site()
    log_in(page.context, site.alice)
    page.goto(reverse("review:claim", args=[site.unrated.pk]))
    return site


def test_tab_reaches_every_control_of_the_review_page_with_visible_focus(page, review_form):
    expected = set(page.evaluate(MARK_CONTROLS, "main"))
    reached, invisible = set(), []
    page.locator("body").focus()
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:  # past the last control
            break
        if focused["key"]:
            reached.add(focused["key"])
            if not focused["visible"]:
                invisible.append(focused["what"])
        if focused["closedSummary"]:
            # A keyboard user opens "Link a study" with Enter; its forms must be reachable too.
            page.keyboard.press("Enter")
            expected |= set(page.evaluate(MARK_CONTROLS, "main"))
    assert expected - reached == set(), "not reachable by Tab"
    assert not invisible, f"no visible focus indicator on: {invisible}"


def test_a_rating_can_be_made_and_saved_with_the_keyboard_alone(page, review_form):
    site = review_form
    form = page.locator("form.rating-form")
    # Tab into the evidence strength group: the first radio takes focus; arrows choose.
    form.get_by_role("radio").first.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # the third level: Low
    page.keyboard.press("Tab")  # into the verdict group
    page.keyboard.press("ArrowDown")  # the second verdict: Partially supports
    page.keyboard.press("Tab")  # the first extrapolation concern
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.name")
    while focused != "notes":  # past the other concerns
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.name")
    page.keyboard.type("Typed without a mouse.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("#others")).not_to_contain_text("Blinded")

    rating = Rating.objects.get(claim=site.unrated, reviewer=site.alice)
    assert (rating.evidence_strength, rating.verdict) == ("low", "partially")
    assert rating.extrapolation_concerns == ["animal_to_human"]
    assert rating.notes == "Typed without a mouse."
    assert re.search(rf"/review/claims/{site.unrated.pk}/", page.url)
