"""GET /export/claims.csv: one row per listed claim, the claim columns of ratings.csv plus its own."""

import pytest
from django.urls import reverse

from claims.models import ClaimStatus
from tests import factories as f
from tests.export_helpers import get_export, read, records

pytestmark = pytest.mark.django_db

CLAIM_COLUMNS = [
    "claim_id",
    "claim_quote",
    "claim_statement",
    "article_title",
    "article_url",
    "topic",
    "population",
    "claim_status",
    "consensus_strength",
    "consensus_verdict",
    "consensus_rationale",
    "rating_count",
    "marketing_flags",
    "study_citations",
    "study_urls",
    "study_dois",
    "study_pmids",
    "study_designs",
    # Added after the others: whether the published consensus is a demonstration review's.
    "demonstration_consensus",
    # Then the automatic reading and the overclaim facet.
    "wording_strength",
    "wording_cues",
    "evidence_hint",
    "evidence_cues",
    "overclaim",
    # Added after the others: the claims a lead confirmed make the same assertion (claims/models.py AssertionGroup).
    "assertion_group",
    # Added last: the substance the claim is about (its slug, as ?substance= takes it).
    "substance",
]


def test_header_and_filename(client):
    response = get_export(client, "claims")
    assert read(response) == [CLAIM_COLUMNS]
    assert response["Content-Disposition"].startswith('attachment; filename="mgreview-claims-')


def test_it_refuses_post(client):
    assert client.post(reverse("export_claims")).status_code == 405


def test_one_row_per_public_claim_rated_or_not(client):
    listed = [f.make_claim(), f.make_claim()]
    f.make_claim(status=ClaimStatus.SUGGESTED)
    assert [row["claim_id"] for row in records(get_export(client, "claims"))] == [str(c.pk) for c in listed]


def test_a_finalized_claim_carries_its_consensus_and_rationale(client, alice, carol):
    claim = f.make_claim(topic="sleep", population="human")
    f.cite(claim, f.make_study("(Alpha 2001)", doi="10.1000/xyz", design="rct"))
    f.make_rating(claim, alice)
    f.finalize(claim, carol, evidence_strength="low", verdict="partially", rationale="Small trial.")
    [row] = records(get_export(client, "claims"))
    assert {k: row[k] for k in CLAIM_COLUMNS[5:]} == {
        "topic": "sleep",
        "population": "human",
        "claim_status": "finalized",
        "consensus_strength": "low",
        "consensus_verdict": "partially",
        "consensus_rationale": "Small trial.",
        "rating_count": "1",
        "marketing_flags": "",
        "study_citations": "(Alpha 2001)",
        "study_urls": "",
        "study_dois": "10.1000/xyz",
        "study_pmids": "",
        "study_designs": "rct",
        "demonstration_consensus": "no",
        "wording_strength": "",
        "wording_cues": "",
        "evidence_hint": "",
        "evidence_cues": "",
        "overclaim": "",
        "assertion_group": "",
        "substance": "",
    }


def test_a_reopened_claim_keeps_its_consensus_out_of_the_file(client, carol):
    claim = f.make_claim()
    f.finalize(claim, carol, rationale="Old reasons.")
    claim.status = ClaimStatus.UNDER_REVIEW
    claim.save()
    [row] = records(get_export(client, "claims"))
    assert (row["consensus_strength"], row["consensus_verdict"], row["consensus_rationale"]) == ("", "", "")


def test_a_confirmed_flag_overlapping_the_quote_counts_in_the_csv_as_in_the_flag_filter(client):
    # One rule (policy.flag_touches_claim_q): the flag is not linked to the claim, only overlaps its quote.
    claim = f.make_claim()
    f.make_flag(claim.article, "cures everything", category="disease-claim", state="confirmed")
    f.make_flag(claim.article, "natural", category="appeal-to-nature", state="dismissed")
    listed = client.get(reverse("claim_list"), {"flag": "disease-claim"}).context["page_obj"].object_list
    assert [c.pk for c in listed] == [claim.pk]
    [row] = records(get_export(client, "claims", {"flag": "disease-claim"}))
    assert row["marketing_flags"] == "disease-claim"
