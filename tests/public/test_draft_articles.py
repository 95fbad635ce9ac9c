"""
A draft article (imported, not yet published by a lead) is on no public
surface: pages, counts, search, facets, charts, JSON-LD, exports. Each test
pairs the draft with a published article, so it fails if drafts leak and also
if the surface shows nothing at all.
"""

import pytest
from django.urls import reverse

from claims.models import Rating
from tests import export_helpers, factories
from tests.public_pages import reviewed_claim

pytestmark = pytest.mark.django_db

# Plainly fictional wording: "Quibbleroot" and "Zanthium" are made-up names.
PUBLISHED_TEXT = "Published page. Quibbleroot eases tired legs. More text."
DRAFT_TEXT = "Draft page. Zanthium cures every headache. More text."


@pytest.fixture
def pair(alice, bob, carol):
    published = factories.make_article(PUBLISHED_TEXT, title="Quibbleroot published page", slug="quibbleroot-page")
    draft = factories.make_article(DRAFT_TEXT, title="Zanthium draft page", slug="zanthium-draft", published_at=None)
    shown = reviewed_claim(published, "Quibbleroot eases tired legs.", [alice, bob], carol, strength="low")
    hidden = reviewed_claim(draft, "Zanthium cures every headache.", [alice, bob], carol, strength="high")
    shown_study = factories.make_study("(Fictional Quibble 2020)")
    hidden_study = factories.make_study("(Fictional Zanth 2021)")
    factories.cite(shown, shown_study)
    factories.cite(hidden, hidden_study)
    factories.make_flag(published, "eases", state="confirmed")
    factories.make_flag(draft, "cures", state="confirmed")
    return {"shown": shown, "hidden": hidden, "draft": draft, "shown_study": shown_study, "hidden_study": hidden_study}


def html(client, name, *args, **params):
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_draft_article_page_is_a_404(client, pair):
    assert client.get(reverse("article_detail", args=["zanthium-draft"])).status_code == 404
    assert client.get(reverse("article_detail", args=["quibbleroot-page"])).status_code == 200


def test_a_claim_of_a_draft_is_a_404(client, pair):
    assert client.get(reverse("claim_detail", args=[pair["hidden"].pk])).status_code == 404
    assert client.get(reverse("claim_detail", args=[pair["shown"].pk])).status_code == 200


def test_a_study_cited_only_by_a_draft_is_a_404(client, pair):
    assert client.get(reverse("study_detail", args=[pair["hidden_study"].pk])).status_code == 404
    assert client.get(reverse("study_detail", args=[pair["shown_study"].pk])).status_code == 200


def test_home_counts_leave_drafts_out(client, pair):
    context = client.get(reverse("home")).context
    assert (context["article_count"], context["claim_count"], context["finalized_count"], context["flag_count"]) == (
        1,
        1,
        1,
        1,
    )


def test_claim_list_search_and_article_choices_leave_drafts_out(client, pair):
    page = html(client, "claim_list")
    assert "Quibbleroot eases" in page and "Zanthium" not in page
    assert "Zanthium cures" not in html(client, "claim_list", q="Zanthium")
    assert "Quibbleroot eases" in html(client, "claim_list", q="Quibbleroot")


def test_the_article_filter_refuses_a_draft(client, pair):
    assert client.get(reverse("claim_list"), {"article": "zanthium-draft"}).status_code == 400
    assert client.get(reverse("claim_list"), {"article": "quibbleroot-page"}).status_code == 200


def test_facet_filters_leave_drafts_out(client, pair):
    # The draft's claim is the only 'high' and the only one citing its study.
    assert "Zanthium" not in html(client, "claim_list", strength="high")
    assert "Quibbleroot eases" in html(client, "claim_list", strength="low")


def test_article_and_study_lists_leave_drafts_out(client, pair):
    articles = html(client, "article_list")
    assert "Quibbleroot published page" in articles and "Zanthium" not in articles
    studies = html(client, "study_list")
    assert "Fictional Quibble" in studies and "Fictional Zanth" not in studies


def test_stats_charts_and_agreement_leave_drafts_out(client, pair):
    context = client.get(reverse("stats")).context
    page = context["by_article"]
    assert "Zanthium" not in str(page) and "Quibbleroot" in str(page)
    totals = {row.label: row.total for row in context["overall"].rows}
    assert (totals["High"], totals["Low"]) == (0, 1)
    flags = {row.label: row.total for row in context["flags"].rows}
    assert sum(flags.values()) == 1
    assert Rating.objects.visible_to(None).filter(claim=pair["hidden"]).count() == 0
    assert Rating.objects.visible_to(None).filter(claim=pair["shown"]).count() == 2


def test_exports_leave_drafts_out(client, pair):
    claims = export_helpers.claims(client)
    assert [row["claim_id"] for row in claims] == [str(pair["shown"].pk)]
    ratings = export_helpers.ratings(client)
    assert {row["claim_id"] for row in ratings} == {str(pair["shown"].pk)}


def test_exports_leave_drafts_out_for_a_reviewer_too(client, alice, pair):
    client.force_login(alice)
    claims = export_helpers.claims(client)
    assert [row["claim_id"] for row in claims] == [str(pair["shown"].pk)]


def test_publishing_puts_the_draft_on_every_surface(client, carol, pair):
    pair["draft"].publish(by=carol)
    assert client.get(reverse("article_detail", args=["zanthium-draft"])).status_code == 200
    assert client.get(reverse("claim_detail", args=[pair["hidden"].pk])).status_code == 200
    assert "Zanthium cures" in html(client, "claim_list", q="Zanthium")
    assert client.get(reverse("home")).context["article_count"] == 2
    assert len(export_helpers.claims(client)) == 2


def test_a_study_page_lists_only_the_published_claims_citing_it(client, pair):
    factories.cite(pair["hidden"], pair["shown_study"])
    page = html(client, "study_detail", pair["shown_study"].pk)
    assert "Quibbleroot eases" in page and "Zanthium" not in page
    studies = client.get(reverse("study_list")).context["studies"]
    assert {study.citation: study.claim_count for study in studies} == {"(Fictional Quibble 2020)": 1}


def test_reviewers_still_see_the_ratings_of_a_finalized_draft_claim(alice, pair):
    # Drafts are hidden from the public, not from the review: blinding ends at finalization as usual.
    assert Rating.objects.visible_to(alice).filter(claim=pair["hidden"]).count() == 2
