"""
The exports' queries follow the number of chunks, never the number of rows,
and the body streams out chunk by chunk.
"""

import math

import pytest

from claims.models import Claim, ReviewerPseudonym
from public import exports
from tests import factories as f
from tests.export_helpers import get_export, read
from tests.public_pages import VERSION_QUERY

pytestmark = pytest.mark.django_db


def make_rated_claims(count, reviewers, lead):
    """count finalized claims, each citing two studies, flagged twice, rated by every reviewer."""
    for n in range(count):
        article = f.make_article(f"Intro {n}. Magnesium cures everything. Miracle! Act now.")
        claim = f.make_claim(article)
        f.cite(claim, f.make_study("(Alpha 2001)", doi=f"10.1000/xyz{n}"))  # one study per DOI
        f.cite(claim, f.make_study("(Beta 2002)", design="rct"))
        f.make_flag(article, "Miracle", "hype", claim=claim, state="confirmed")
        f.make_flag(article, "Act now", "fear-urgency", claim=claim, state="confirmed")
        for reviewer in reviewers:
            f.make_rating(claim, reviewer)
        f.finalize(claim, lead)
    ReviewerPseudonym.objects.assign_missing()


@pytest.mark.parametrize("count", [2, 12])
def test_anonymous_ratings_export_queries_do_not_grow_with_rows(
    client, django_assert_num_queries, count, alice, bob, carol
):
    make_rated_claims(count, [alice, bob], carol)
    # 1 the demonstration review's accounts, 2 reviewers still lacking a pseudonym (none),
    # 3 the ratings, then for the chunk: 4 its claims (their flags come with them, in the
    # flag facet), 5 their studies, 6 its reviewers' pseudonyms.
    with django_assert_num_queries(VERSION_QUERY + 6):
        rows = read(get_export(client, "ratings"))
    assert len(rows) == 1 + 2 * count


@pytest.mark.parametrize("count", [2, 12])
def test_lead_ratings_export_queries_do_not_grow_with_rows(client, django_assert_num_queries, count, alice, bob, carol):
    make_rated_claims(count, [alice, bob], carol)
    client.force_login(carol)
    # 1 session, 2 user, 3-4 user and group permissions (is_lead), 5 the demonstration review's
    # accounts, 6 the ratings, then for the chunk: 7 its claims (with their flag facet), 8 their
    # studies, 9 its reviewers' names. A lead sees usernames, so no pseudonym assignment.
    with django_assert_num_queries(9):
        rows = read(get_export(client, "ratings"))
    assert len(rows) == 1 + 2 * count


@pytest.mark.parametrize("count", [2, 12])
def test_claims_export_queries_do_not_grow_with_rows(client, django_assert_num_queries, count, alice, bob, carol):
    make_rated_claims(count, [alice, bob], carol)
    # 1 the demonstration review's accounts, 2 the claims (with their flag facet), 3 their
    # studies, 4 their exportable rating counts.
    with django_assert_num_queries(VERSION_QUERY + 4):
        rows = read(get_export(client, "claims"))
    assert len(rows) == 1 + count


def test_queries_follow_chunks_and_the_body_streams_chunk_by_chunk(
    client, django_assert_num_queries, monkeypatch, alice, bob, carol
):
    make_rated_claims(5, [alice, bob], carol)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 4)
    chunks = math.ceil(10 / 4)
    # The demonstration accounts, the pseudonym check, the ratings and the reviewers (all met
    # in the first chunk) once; claims (with their flag facet) and studies once per chunk of 4 rows.
    with django_assert_num_queries(VERSION_QUERY + 4 + 2 * chunks):
        pieces = list(get_export(client, "ratings").streaming_content)
    assert len(pieces) == 1 + chunks  # the header, then one piece per chunk
    assert [piece.count(b"\r\n") for piece in pieces] == [1, 4, 4, 2]


def test_the_first_export_assigns_missing_pseudonyms_once(client, django_assert_num_queries, alice, bob, carol):
    make_rated_claims(1, [alice], carol)
    f.make_rating(Claim.objects.get(), bob)
    read(get_export(client, "ratings"))
    assert ReviewerPseudonym.objects.filter(user=bob).exists()
    with django_assert_num_queries(VERSION_QUERY + 6):
        read(get_export(client, "ratings"))
