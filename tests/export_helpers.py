"""Helpers for the CSV export tests: fetch an export and read it back with Python's csv reader."""

import csv
import io

from django.urls import reverse

# The contract as docs/export.md states it, written out here rather than copied from public.exports.
RATING_COLUMNS = (  # noqa: SIM905
    "rating_id, claim_id, claim_quote, claim_statement, article_title, article_url, topic, population, reviewer, "
    "evidence_strength, verdict, extrapolation_concerns, marketing_flags, study_citations, study_urls, study_dois, "
    "study_pmids, study_designs, notes, rated_at, claim_status, consensus_strength, consensus_verdict"
).split(", ")


# Added at the end (honest agreement, the demonstration mark); the 23 above keep their places.
RATING_COLUMNS_ADDED = [
    "independent_evidence_strength",
    "independent_verdict",
    "revised_after_discussion",
    "demonstration_review",
]


def body(response):
    return b"".join(response.streaming_content).decode("utf-8")


def read(response):
    """[header, row, row, ...] as csv.reader reads the body."""
    assert response.status_code == 200, response.content
    return list(csv.reader(io.StringIO(body(response), newline="")))


def records(response):
    """The rows as dicts keyed by the header."""
    header, *rows = read(response)
    return [dict(zip(header, row, strict=True)) for row in rows]


def get_export(client, name, params=None):
    return client.get(reverse(f"export_{name}"), params or {})


def ratings(client, params=None):
    return records(get_export(client, "ratings", params))


def claims(client, params=None):
    return records(get_export(client, "claims", params))
