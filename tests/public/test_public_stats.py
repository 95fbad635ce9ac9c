"""/stats/: evidence strength overall, by article and by topic, marketing flags, as SVG with tables."""

import pytest
from django.urls import reverse

from claims.models import ClaimStatus
from public import charts
from tests import factories
from tests.public_pages import page, reviewed_claim

pytestmark = pytest.mark.django_db
URL = reverse("stats")


@pytest.fixture
def reviewed(alice, bob, carol):
    article = factories.make_article("One works. Two fails. Three waits. Four hides.", title="Stats", slug="stats")
    reviewed_claim(article, "One works.", [alice, bob], carol, strength="high", topic="sleep")
    reviewed_claim(article, "Two fails.", [alice], carol, strength="none", topic="sleep")
    reopened = reviewed_claim(article, "Three waits.", [alice, bob], carol, strength="high", topic="migraine")
    reopened.status = ClaimStatus.UNDER_REVIEW
    reopened.save()
    factories.make_claim(article, "Four hides.", status=ClaimStatus.SUGGESTED)
    factories.make_flag(article, "works", category="hype", state="confirmed")
    factories.make_flag(article, "fails", category="hype", state="confirmed")
    factories.make_flag(article, "waits", category="absolute", state="dismissed")
    return article


def totals(chart):
    return {row.label: row.total for row in chart.rows}


def test_overall_strength_counts_only_finalized_ratings(client, reviewed):
    overall = client.get(URL).context["overall"]
    # The reopened claim's consensus (high) is not counted: it is under review.
    assert totals(overall) == {
        "High": 1,
        "Moderate": 0,
        "Low": 0,
        "Very low": 0,
        "No evidence": 1,
        "Under review": 1,
    }


def test_strength_by_topic_and_article(client, reviewed):
    context = client.get(URL).context
    sleep = next(row for row in context["by_topic"].rows if row.label == "Sleep")
    assert {s.key: s.value for s in sleep.segments if s.value} == {"high": 1, "none": 1}
    migraine = next(row for row in context["by_topic"].rows if row.label == "Migraine")
    assert {s.key: s.value for s in migraine.segments if s.value} == {"under_review": 1}
    [article_row] = context["by_article"].rows
    assert (article_row.label, article_row.total, article_row.url) == ("Stats", 3, "/articles/stats/")


def test_flags_by_category_counts_confirmed_flags(client, reviewed):
    flags = totals(client.get(URL).context["flags"])
    assert flags["Hype"] == 2
    assert flags["Absolute claim"] == 0


def test_each_chart_is_svg_with_a_title_and_a_table(client, reviewed):
    response = client.get(URL)
    parsed = page(response)
    svgs = parsed.find_all("svg", role="img")
    # Overall, by article, by topic, wording against evidence, overclaims by article, flags.
    assert len(svgs) == 6
    html = response.content.decode()
    assert html.count("<title id=") == 6
    assert html.count('<table class="chart-table">') == 6
    assert parsed.errors == []
    assert "<script" not in html


def test_bars_are_scaled_to_the_largest(client, reviewed):
    overall = client.get(URL).context["overall"]
    widths = {row.label: float(row.segments[0].width) for row in overall.rows}
    assert widths["High"] == widths["No evidence"] == charts.MAX_BAR
    assert widths["Moderate"] == 0


def test_reviewer_agreement_counts_only_finalized_claims(client, reviewed):
    agreement = client.get(URL).context["agreement"]["overall"]
    # 'One works.' (two agreeing ratings); 'Three waits.' is reopened, so its ratings are blinded again.
    assert agreement["claims_paired"] == 1
    assert agreement["evidence_strength"]["percent_agreement"] == 1.0


def test_reviewer_agreement_is_shown_per_article(client, reviewed, alice, bob, carol):
    article = factories.make_article("Five splits.", title="Disputed", slug="disputed")
    claim = factories.make_claim(article, "Five splits.")
    factories.make_rating(claim, alice, evidence_strength="high", verdict="supports")
    factories.make_rating(claim, bob, evidence_strength="low", verdict="supports")
    factories.finalize(claim, carol)
    response = client.get(URL)
    rows = {row["title"]: row for row in response.context["agreement"]["articles"]}
    assert rows["Disputed"]["evidence_strength"]["percent_agreement"] == 0.0
    assert rows["Disputed"]["verdict"]["percent_agreement"] == 1.0
    html = response.content.decode()
    assert 'id="agreement"' in html
    assert '<th scope="row">Disputed</th>' in html


def test_it_works_with_no_data(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["by_article"].rows == []


def test_many_articles_are_capped(client, db):
    for i in range(charts.MAX_GROUPS + 2):
        factories.make_claim(factories.make_article(f"Claim {i}.", slug=f"s{i}"), f"Claim {i}.")
    chart = client.get(URL).context["by_article"]
    assert len(chart.rows) == charts.MAX_GROUPS
    assert chart.note == f"The {charts.MAX_GROUPS} with the most claims, of {charts.MAX_GROUPS + 2}."
