"""/overclaims/ and the automatic reading on the public pages, filters and exports."""

import pytest
from django.urls import reverse

from claims.choices import EvidenceHint, WordingStrength
from claims.models import Claim, ClaimStatus
from tests import factories as f
from tests.export_helpers import claims as exported_claims
from tests.public_pages import VERSION_QUERY

pytestmark = pytest.mark.django_db
DIRECT = WordingStrength.DIRECT_CAUSAL


@pytest.fixture
def readings(carol):
    """A reviewed overclaim, an automatic one, a claim that does not overclaim, and an unread claim."""
    article = f.make_article(
        "Zorbium cures nerve pain. Zorbium may help sleep. Zorbium heals nerves. Zorbium is a mineral.",
        slug="zorbium",
    )
    reviewed = f.make_claim(article, "Zorbium heals nerves.", statement="Heals nerves")
    automatic = f.make_claim(article, "Zorbium cures nerve pain.", statement="Cures nerve pain")
    fine = f.make_claim(article, "Zorbium may help sleep.", statement="May help sleep")
    f.make_claim(article, "Zorbium is a mineral.", statement="A mineral")
    f.finalize(reviewed, carol, evidence_strength="very_low", verdict="partially")
    Claim.objects.record_readings(
        {
            reviewed.pk: (DIRECT, [("heals", 8, 13)], EvidenceHint.ANIMAL, []),
            automatic.pk: (DIRECT, [("cures", 8, 13)], EvidenceHint.AUTHORITY, []),
            fine.pk: (WordingStrength.CONDITIONAL_CAUSAL, [("may help", 8, 16)], EvidenceHint.NONE, []),
        }
    )
    return reviewed, automatic, fine


def statements(response):
    return [claim.statement for claim in response.context["claims"]]


def test_the_page_lists_reviewed_overclaims_first_then_automatic_ones(client, readings):
    response = client.get(reverse("overclaims"))
    assert response.status_code == 200
    assert statements(response) == ["Heals nerves", "Cures nerve pain"]
    html = response.content.decode()
    assert "2 claims: 1 reviewed, 1 automatic" in html
    assert "The rule" in html


def test_the_counts_of_each_kind_stop_at_the_lists_cap_and_say_so(client, readings, monkeypatch):
    monkeypatch.setattr("public.views.LIST_COUNT_CAP", 1)
    another = f.make_claim(f.make_article("Zorbium cures all. More."), "Zorbium cures all.")
    Claim.objects.record_readings({another.pk: (DIRECT, [], EvidenceHint.AUTHORITY, [])})
    html = client.get(reverse("overclaims")).content.decode()
    assert "More than 1 claims: 1 reviewed, more than 1 automatic" in html


def test_the_page_shows_the_cue_words_in_the_quote(client, readings):
    html = client.get(reverse("overclaims")).content.decode()
    assert 'Zorbium <b class="cue">cures</b> nerve pain.' in html
    assert "Automatic reading:" in html


def test_the_page_is_linked_from_home(client):
    assert reverse("overclaims") in client.get(reverse("home")).content.decode()


def test_the_page_leaves_out_claims_the_public_may_not_see(client, readings):
    _, automatic, _ = readings
    automatic.status = ClaimStatus.SUGGESTED
    automatic.save(update_fields=["status"])
    assert statements(client.get(reverse("overclaims"))) == ["Heals nerves"]


def test_the_page_costs_a_fixed_number_of_queries(client, readings, django_assert_num_queries):
    # Session-free anonymous request: a capped count of each kind (their sum is the list's count),
    # ids, rows + studies, flags on the cards, notice.
    client.get(reverse("overclaims"))
    with django_assert_num_queries(VERSION_QUERY + 7):
        client.get(reverse("overclaims"))
    f.make_claim(f.make_article("Zorbium cures all. More."), "Zorbium cures all.")
    Claim.objects.record_readings({Claim.objects.latest("pk").pk: (DIRECT, [], EvidenceHint.NONE, [])})
    with django_assert_num_queries(VERSION_QUERY + 7):
        client.get(reverse("overclaims"))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"overclaim": "any"}, ["Cures nerve pain", "Heals nerves"]),
        ({"overclaim": "reviewed"}, ["Heals nerves"]),
        ({"overclaim": "automatic"}, ["Cures nerve pain"]),
        ({"wording": "conditional_causal"}, ["May help sleep"]),
        ({"evidence": "authority"}, ["Cures nerve pain"]),
        ({"wording": "direct_causal", "evidence": "animal"}, ["Heals nerves"]),
    ],
)
def test_the_claim_list_filters_on_the_reading_and_so_do_both_exports(client, readings, params, expected):
    assert statements(client.get(reverse("claim_list"), params)) == expected
    assert [row["claim_statement"] for row in exported_claims(client, params)] == expected


@pytest.mark.parametrize("params", [{"overclaim": "maybe"}, {"wording": "loud"}, {"evidence": "vibes"}])
def test_an_unknown_reading_value_is_a_400_for_the_list_and_the_exports(client, readings, params):
    assert client.get(reverse("claim_list"), params).status_code == 400
    assert client.get(reverse("export_claims"), params).status_code == 400
    assert client.get(reverse("export_ratings"), params).status_code == 400


def test_the_claims_csv_carries_the_reading(client, readings):
    rows = {row["claim_statement"]: row for row in exported_claims(client, {})}
    assert rows["Cures nerve pain"]["wording_strength"] == "direct_causal"
    assert rows["Cures nerve pain"]["wording_cues"] == "cures"
    assert rows["Cures nerve pain"]["evidence_hint"] == "authority"
    assert rows["Cures nerve pain"]["overclaim"] == "automatic"
    assert rows["Heals nerves"]["overclaim"] == "reviewed"
    assert rows["A mineral"]["wording_strength"] == ""


def test_the_claim_page_explains_the_reading_as_automatic(client, readings):
    _, automatic, _ = readings
    html = client.get(automatic.get_absolute_url()).content.decode()
    assert "Automatic reading of the wording" in html
    assert "Read by software, not by the reviewers" in html
    assert 'Zorbium <b class="cue">cures</b> nerve pain.' in html
    assert "Authority without a study" in html


def test_a_claim_not_yet_read_shows_no_reading(client, readings):
    unread = Claim.objects.get(statement="A mineral")
    assert "Automatic reading" not in client.get(unread.get_absolute_url()).content.decode()


def test_stats_chart_wording_against_evidence_and_overclaims_by_article(client, readings):
    context = client.get(reverse("stats")).context
    rows = {row.label: row.total for row in context["by_wording"].rows}
    assert rows == {"Direct causal wording": 2, "Conditional causal wording": 1}
    [article_row] = context["overclaims_by_article"].rows
    title = Claim.objects.get(statement="A mineral").article.title
    assert article_row.label == f"{title} (2 of 4)"
    assert article_row.total == 50  # per cent


def test_the_stats_page_costs_the_same_queries_with_more_articles(client, readings, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("stats"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("stats"))
    other = f.make_article("Zorbium fixes all. More text.", slug="other")
    Claim.objects.record_readings({f.make_claim(other, "Zorbium fixes all.").pk: (DIRECT, [], EvidenceHint.NONE, [])})
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("stats"))
    assert len(after) == len(before)


@pytest.mark.parametrize("params", [{"overclaim": "any"}, {"wording": "direct_causal", "evidence": "animal"}])
def test_the_reading_filters_cost_no_extra_query(client, readings, params, django_assert_num_queries):
    # As unfiltered /claims/ (docs/public-pages.md): the filters are columns of the claim.
    client.get(reverse("claim_list"), params)
    # + 1: the substance choices of the filter form (the topics table is cached by the first request).
    with django_assert_num_queries(VERSION_QUERY + 8):
        client.get(reverse("claim_list"), params)


def test_the_first_page_is_read_in_index_order_without_sorting_every_overclaim(readings):
    # With the index's overclaim column ascending, the database sorted every overclaim to find
    # the reviewed ones first: 110 ms at 1,000,000 claims on SQLite (docs/benchmarks.md).
    from django.db import connection

    from public.views import OverclaimListView

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's planner chooses by table statistics; the plan is pinned on SQLite")
    page = OverclaimListView().get_queryset().values_list("pk", flat=True)[:25]
    plan = page.explain()
    assert "claim_overclaim_order_idx" in plan
    assert "TEMP B-TREE" not in plan
