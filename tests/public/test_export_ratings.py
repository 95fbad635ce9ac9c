"""GET /export/ratings.csv: the column contract, one row per rating, the cell values."""

import datetime

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from claims.models import ClaimStatus
from tests import factories as f
from tests.export_helpers import RATING_COLUMNS, RATING_COLUMNS_ADDED, get_export, read, records

pytestmark = pytest.mark.django_db


def test_the_header_is_the_contract_in_order(client):
    header, *rows = read(get_export(client, "ratings"))
    assert header == RATING_COLUMNS + RATING_COLUMNS_ADDED
    assert rows == []


def test_it_streams_utf8_csv_as_an_attachment(client):
    response = get_export(client, "ratings")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="mgreview-ratings-')


def test_filename_carries_the_utc_date(client, monkeypatch):
    # 23:30 in UTC is already the next day east of Greenwich; the name uses the UTC date.
    moment = datetime.datetime(2031, 5, 17, 23, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr("public.exports.timezone.now", lambda: moment)
    response = get_export(client, "ratings")
    assert response["Content-Disposition"] == 'attachment; filename="mgreview-ratings-2031-05-17.csv"'


def test_it_refuses_post(client):
    assert client.post(reverse("export_ratings")).status_code == 405


def test_one_row_per_rating(client, alice, bob, carol):
    rated, unrated = f.make_claim(), f.make_claim()
    mine, theirs = f.make_rating(rated, alice), f.make_rating(rated, bob)
    f.finalize(rated, carol)
    f.finalize(unrated, carol)
    rows = records(get_export(client, "ratings"))
    assert [(row["rating_id"], row["claim_id"]) for row in rows] == [
        (str(mine.pk), str(rated.pk)),
        (str(theirs.pk), str(rated.pk)),
    ]


def test_cells_hold_stable_machine_values(client, alice, carol):
    article = f.make_article(
        "Intro. Magnesium cures nerve pain, miraculously. The end.",
        title="Magnesium, nerves",
        source_url="https://example.org/magnesium",
    )
    claim = f.make_claim(article, "Magnesium cures nerve pain", topic="neuropathic_pain", population="animal")
    rating = f.make_rating(
        claim,
        alice,
        evidence_strength="very_low",
        verdict="does_not_support",
        extrapolation_concerns=["animal_to_human", "dose"],
        notes="Rats only.",
    )
    f.finalize(claim, carol, evidence_strength="low", verdict="partially")
    client.force_login(carol)
    [row] = records(get_export(client, "ratings"))
    rated_at = rating.updated_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert row == {
        "rating_id": str(rating.pk),
        "claim_id": str(claim.pk),
        "claim_quote": "Magnesium cures nerve pain",
        "claim_statement": claim.statement,
        "article_title": "Magnesium, nerves",
        "article_url": "https://example.org/magnesium",
        "topic": "neuropathic_pain",
        "population": "animal",
        "reviewer": "alice",
        "evidence_strength": "very_low",
        "verdict": "does_not_support",
        "extrapolation_concerns": "animal_to_human; dose",
        "marketing_flags": "",
        "study_citations": "",
        "study_urls": "",
        "study_dois": "",
        "study_pmids": "",
        "study_designs": "",
        "notes": "Rats only.",
        "rated_at": rated_at,
        "claim_status": "finalized",
        "consensus_strength": "low",
        "consensus_verdict": "partially",
        "independent_evidence_strength": "very_low",
        "independent_verdict": "does_not_support",
        "revised_after_discussion": "no",
        "demonstration_review": "no",
    }


def test_rated_at_is_iso_8601_in_utc(client, alice, carol):
    claim = f.make_claim()
    f.make_rating(claim, alice)
    f.finalize(claim, carol)
    [row] = records(get_export(client, "ratings"))
    parsed = datetime.datetime.strptime(row["rated_at"], "%Y-%m-%dT%H:%M:%S%z")
    assert parsed.utcoffset() == datetime.timedelta(0)


def test_study_columns_line_up_study_by_study(client, alice, carol):
    claim = f.make_claim()
    # Ordered by citation: (Alpha 2001) first, (Beta 2002) second.
    f.cite(claim, f.make_study("(Beta 2002)", pmid="123456", design="animal"))
    f.cite(claim, f.make_study("(Alpha 2001)", doi="10.1000/xyz", url="https://example.org/alpha", design="rct"))
    f.make_rating(claim, alice)
    f.finalize(claim, carol)
    [row] = records(get_export(client, "ratings"))
    assert row["study_citations"] == "(Alpha 2001); (Beta 2002)"
    assert row["study_designs"] == "rct; animal"
    assert row["study_dois"] == "10.1000/xyz; "
    assert row["study_urls"] == "https://example.org/alpha; "
    assert row["study_pmids"] == "; 123456"


def test_a_study_column_with_no_value_at_all_is_empty(client, alice, carol):
    claim = f.make_claim()
    f.cite(claim, f.make_study("(Alpha 2001)"))
    f.cite(claim, f.make_study("(Beta 2002)"))
    f.make_rating(claim, alice)
    f.finalize(claim, carol)
    [row] = records(get_export(client, "ratings"))
    assert (row["study_dois"], row["study_pmids"], row["study_urls"]) == ("", "", "")


def test_marketing_flags_are_the_confirmed_categories_once_each(client, alice, carol):
    article = f.make_article("Miracle mineral! Magnesium cures everything. Act now, it is a miracle.")
    claim = f.make_claim(article, "Magnesium cures everything.")
    f.make_flag(article, "Miracle", "hype", claim=claim, state="confirmed")
    f.make_flag(article, "miracle", "hype", claim=claim, state="confirmed")
    f.make_flag(article, "Magnesium cures everything", "disease-claim", claim=claim, state="confirmed")
    f.make_flag(article, "Act now", "fear-urgency", claim=claim, state="dismissed")
    f.make_flag(article, "mineral", "appeal-to-nature", claim=claim, state="suggested")
    f.make_rating(claim, alice)
    f.finalize(claim, carol)
    [row] = records(get_export(client, "ratings"))
    assert row["marketing_flags"] == "disease-claim; hype"


def test_consensus_is_empty_while_the_claim_is_not_finalized(client, alice, carol):
    claim = f.make_claim()
    f.make_rating(claim, alice)
    f.finalize(claim, carol)
    claim.status = ClaimStatus.UNDER_REVIEW  # reopened: the consensus row stays but no longer counts
    claim.save()
    client.force_login(carol)
    [row] = records(get_export(client, "ratings"))
    assert (row["claim_status"], row["consensus_strength"], row["consensus_verdict"]) == ("under_review", "", "")


def test_rows_follow_the_claim_order_of_the_list(client, alice, carol):
    first, second = f.make_claim(), f.make_claim()
    for claim in (first, second):
        f.make_rating(claim, alice)
        f.finalize(claim, carol)
    oldest = [row["claim_id"] for row in records(get_export(client, "ratings", {"order": "oldest"}))]
    newest = [row["claim_id"] for row in records(get_export(client, "ratings", {"order": "newest"}))]
    assert oldest == [str(first.pk), str(second.pk)]
    assert newest == [str(second.pk), str(first.pk)]


def test_every_column_of_both_exports_is_documented():
    from pathlib import Path

    from django.conf import settings

    from public import exports

    docs = (Path(settings.BASE_DIR) / "docs" / "export.md").read_text()
    for name in exports.RATINGS.header + exports.CLAIMS.header:
        assert f"| `{name}` |" in docs, name
