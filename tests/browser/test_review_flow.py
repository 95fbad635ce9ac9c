"""
Reviewers in a real browser: log in through the form, rate a claim, "Save and next",
see the progress move; then the consensus: a second reviewer rates differently, a lead
reviewer settles it in /review/conflicts/, and the public claim page shows the consensus.
"""

import re

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from claims.models import Claim, ClaimStatus, Rating
from tests import factories
from tests.site_pages import build_site

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def review_pages_routed():
    try:
        reverse("review:queue")
    except NoReverseMatch:
        pytest.skip("the review pages (review:queue) are not on this branch yet")


def progress(page):
    """(rated, total) from the queue's progress line."""
    text = page.locator(".progress label").inner_text()
    rated, total = re.search(r"Rated (\d+) of (\d+)", text).groups()
    return int(rated), int(total)


def rate(page, strength, verdict, concern=None, notes=""):
    """Fill the rating form on a claim's review page (labels start with the level's name)."""
    form = page.locator("form.rating-form")
    form.get_by_role("radio", name=re.compile(rf"^{re.escape(strength)} — ")).check()
    form.get_by_role("radio", name=re.compile(rf"^{re.escape(verdict)} — ")).check()
    if concern:
        form.get_by_role("checkbox", name=concern).check()
    if notes:
        form.get_by_label("Notes").fill(notes)
    return form


def test_reviewer_logs_in_rates_saves_and_moves_to_the_next_claim(page, audit):
    site = build_site()

    page.goto("/accounts/login/")
    audit(page)
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/review/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your review queue")
    audit(page)
    rated_before, total = progress(page)
    assert rated_before == Rating.objects.filter(reviewer=site.alice).count()

    queue = page.locator("ol.queue > li")
    first = queue.first.get_by_role("link")
    statement = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(statement)
    claim_url = page.url
    audit(page)

    # Saving an empty form explains what is missing, and the page stays accessible.
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("form.rating-form [role=alert]")).to_be_visible()
    expect(page.locator("form.rating-form")).to_contain_text("Choose an evidence strength.")
    audit(page, posted.value.status)

    rate(page, "Low", "Partially supports (overstated)", concern="Animal → human", notes="Rat study only.")
    page.get_by_role("button", name="Save and next").click()
    page.wait_for_url(lambda url: url != claim_url)
    expect(page).to_have_url(re.compile(r"/review/claims/\d+/$"))
    audit(page)

    rating = Rating.objects.get(reviewer=site.alice, claim__statement=statement)
    assert (rating.evidence_strength, rating.verdict) == ("low", "partially")
    assert rating.extrapolation_concerns == ["animal_to_human"]
    assert rating.notes == "Rat study only."
    # The next page is the next claim alice has not rated yet.
    next_pk = int(re.search(r"/review/claims/(\d+)/$", page.url).group(1))
    assert not Rating.objects.filter(reviewer=site.alice, claim_id=next_pk).exists()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Queue").click()
    expect(page).to_have_url(re.compile(r"/review/$"))
    assert progress(page) == (rated_before + 1, total)
    expect(page.locator("ol.queue").get_by_role("link", name=statement, exact=True)).to_have_count(0)


def test_second_reviewer_disagrees_lead_settles_it_and_the_public_sees_the_consensus(new_context, log_in, audit):
    site = build_site()
    claim = site.unrated
    factories.make_rating(claim, site.alice, evidence_strength="very_low", verdict="does_not_support")

    # Bob rates differently; only after saving does he see alice's rating.
    bob = new_context().new_page()
    log_in(bob.context, site.bob)
    bob.goto(reverse("review:claim", args=[claim.pk]))
    others = bob.locator("#others")
    expect(others).to_contain_text("Blinded")
    expect(others).not_to_contain_text("Very low")
    rate(bob, "Moderate", "Supports the claim")
    bob.get_by_role("button", name="Save", exact=True).click()
    expect(others).to_contain_text("Very low")
    audit(bob)
    assert Rating.objects.filter(claim=claim).count() == 2

    # Carol, a lead reviewer, finds the conflict and records the consensus.
    carol = new_context().new_page()
    log_in(carol.context, site.carol)
    carol.goto("/review/")
    carol.get_by_role("navigation", name="Main").get_by_role("link", name="Conflicts").click()
    expect(carol).to_have_url(re.compile(r"/review/conflicts/"))
    audit(carol)
    conflict = carol.locator(f"article:has(#claim-{claim.pk}-heading)")
    expect(conflict).to_contain_text("Very low")
    expect(conflict).to_contain_text("Moderate")
    form = conflict.locator("form.consensus-form")
    form.get_by_label("Evidence strength").select_option(label="Low")
    form.get_by_label("Verdict").select_option(label="Partially supports (overstated)")
    form.get_by_label("Rationale").fill("One small trial in people; the article overstates it.")
    form.get_by_role("button", name="Record consensus and finalize").click()
    carol.wait_for_load_state()
    audit(carol)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.FINALIZED

    # The public claim page now shows the consensus and the two ratings, without names.
    visitor = new_context().new_page()
    visitor.goto(reverse("claim_detail", args=[claim.pk]))
    rating = visitor.locator("dl.rating")
    expect(rating).to_contain_text("Low")
    expect(rating).to_contain_text("Partially supports (overstated)")
    expect(visitor.locator(".rationale")).to_have_text("One small trial in people; the article overstates it.")
    ratings = visitor.locator("table.ratings tbody tr")
    expect(ratings).to_have_count(2)
    expect(visitor.locator("main")).not_to_contain_text("alice")
    expect(visitor.locator("main")).not_to_contain_text("bob")
    audit(visitor)
    assert Claim.objects.get(pk=claim.pk).consensus.decided_by == site.carol
