"""
Who sees which ratings in the exports: anonymous visitors and users without a
reviewer role get finalized claims' ratings under pseudonyms; a reviewer also
gets their own; lead reviewers and superusers get every rating with usernames.
"""

import pytest

from claims.models import Rating, ReviewerPseudonym
from tests import factories as f
from tests.export_helpers import body, claims, get_export, ratings

pytestmark = pytest.mark.django_db


@pytest.fixture
def ratings_world(alice, bob, carol):
    """A finalized claim rated by alice and bob; a claim under review rated by both; one rated by bob only."""
    finalized, both, bobs = f.make_claim(), f.make_claim(), f.make_claim()
    world = {
        "alice_finalized": f.make_rating(finalized, alice),
        "bob_finalized": f.make_rating(finalized, bob),
        "alice_open": f.make_rating(both, alice),
        "bob_open": f.make_rating(both, bob),
        "bob_alone": f.make_rating(bobs, bob),
    }
    f.finalize(finalized, carol)
    return {name: rating.pk for name, rating in world.items()}


def exported(client, world):
    names = {pk: name for name, pk in world.items()}
    return {names[int(row["rating_id"])]: row["reviewer"] for row in ratings(client)}


def label(user):
    return ReviewerPseudonym.label(user.pseudonym.number)


def test_anonymous_gets_finalized_claims_ratings_under_pseudonyms(client, ratings_world, alice, bob):
    rows = exported(client, ratings_world)
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert rows == {"alice_finalized": label(alice), "bob_finalized": label(bob)}


def test_a_reviewer_also_gets_their_own_ratings_with_their_name(client, ratings_world, alice, bob):
    client.force_login(alice)
    rows = exported(client, ratings_world)
    bob.refresh_from_db()
    # bob_open is visible to alice in the admin (she rated that claim too) but is not exported.
    assert rows == {"alice_finalized": "alice", "bob_finalized": label(bob), "alice_open": "alice"}


def test_exportable_is_narrower_than_visible_for_reviewers(ratings_world, alice):
    visible = set(Rating.objects.visible_to(alice).values_list("pk", flat=True))
    exportable = set(Rating.objects.exportable_to(alice).values_list("pk", flat=True))
    assert ratings_world["bob_open"] in visible - exportable
    assert exportable < visible


@pytest.mark.parametrize("extra", [{"is_staff": True}, {}], ids=["staff-only", "no-role"])
def test_a_user_without_a_reviewer_role_gets_what_anonymous_gets(client, ratings_world, alice, bob, extra):
    outsider = f.make_user("dave", **extra)
    client.force_login(outsider)
    rows = exported(client, ratings_world)
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert rows == {"alice_finalized": label(alice), "bob_finalized": label(bob)}


def test_a_lead_gets_every_rating_with_usernames(client, ratings_world, carol):
    client.force_login(carol)
    assert exported(client, ratings_world) == {
        "alice_finalized": "alice",
        "bob_finalized": "bob",
        "alice_open": "alice",
        "bob_open": "bob",
        "bob_alone": "bob",
    }


def test_a_superuser_gets_every_rating_with_usernames(client, ratings_world, superuser):
    client.force_login(superuser)
    rows = exported(client, ratings_world)
    assert set(rows) == set(ratings_world)
    assert set(rows.values()) == {"alice", "bob"}


def test_an_inactive_lead_gets_what_anonymous_gets(client, ratings_world, carol):
    carol.is_active = False
    carol.save()
    client.force_login(carol)
    assert set(exported(client, ratings_world)) == {"alice_finalized", "bob_finalized"}


def test_no_username_appears_anywhere_in_the_anonymous_export(client, ratings_world):
    text = body(get_export(client, "ratings"))
    assert text.count("\n") == 3  # the header and two ratings
    assert "alice" not in text
    assert "bob" not in text


@pytest.mark.parametrize(
    ("who", "expected"),
    [(None, {"finalized": 2, "both": 0, "bobs": 0}), ("alice", {"finalized": 2, "both": 1, "bobs": 0})],
)
def test_claims_rating_count_counts_only_exportable_ratings(client, ratings_world, who, expected, alice):
    if who:
        client.force_login(alice)
    claim_of = {
        "finalized": Rating.objects.get(pk=ratings_world["alice_finalized"]).claim_id,
        "both": Rating.objects.get(pk=ratings_world["alice_open"]).claim_id,
        "bobs": Rating.objects.get(pk=ratings_world["bob_alone"]).claim_id,
    }
    counts = {int(row["claim_id"]): int(row["rating_count"]) for row in claims(client)}
    assert {name: counts[pk] for name, pk in claim_of.items()} == expected


def test_a_leads_claims_rating_count_counts_every_rating(client, ratings_world, carol):
    client.force_login(carol)
    assert sorted(int(row["rating_count"]) for row in claims(client)) == [1, 2, 2]


def test_claims_rating_count_matches_the_rows_of_the_ratings_export(client, ratings_world, alice):
    client.force_login(alice)
    per_claim = {}
    for row in ratings(client):
        per_claim[row["claim_id"]] = per_claim.get(row["claim_id"], 0) + 1
    counts = {row["claim_id"]: int(row["rating_count"]) for row in claims(client) if row["rating_count"] != "0"}
    assert counts == per_claim
