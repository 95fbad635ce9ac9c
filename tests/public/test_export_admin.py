"""The admin's "Export selected as CSV" on ratings and claims: the same columns and rules as the URLs."""

import pytest
from django.urls import reverse

from claims.models import ReviewerPseudonym
from public import exports
from tests import factories as f
from tests.export_helpers import RATING_COLUMNS, RATING_COLUMNS_ADDED, read, records

pytestmark = pytest.mark.django_db


def export_selected(client, model, objects):
    return client.post(
        reverse(f"admin:claims_{model}_changelist"),
        {"action": "export_csv", "_selected_action": [obj.pk for obj in objects]},
    )


def test_a_lead_exports_exactly_the_selected_ratings(client, alice, bob, carol):
    claim = f.make_claim()
    chosen, other = f.make_rating(claim, alice), f.make_rating(claim, bob)
    client.force_login(carol)
    response = export_selected(client, "rating", [chosen])
    header, *rows = read(response)
    assert header == RATING_COLUMNS + RATING_COLUMNS_ADDED
    assert [(row[0], row[8]) for row in rows] == [(str(chosen.pk), "alice")]
    assert str(other.pk) not in {row[0] for row in rows}
    assert response["Content-Disposition"].startswith('attachment; filename="mgreview-ratings-')


def test_a_reviewers_rating_export_keeps_the_export_rule(client, alice, bob, carol):
    finalized, open_claim = f.make_claim(), f.make_claim()
    bob_finalized = f.make_rating(finalized, bob)
    f.finalize(finalized, carol)
    mine, bob_open = f.make_rating(open_claim, alice), f.make_rating(open_claim, bob)
    client.force_login(alice)
    # alice rated open_claim, so the admin lists bob's rating of it; the export still leaves it out.
    assert client.get(reverse("admin:claims_rating_changelist")).context["cl"].result_count == 3
    rows = records(export_selected(client, "rating", [bob_finalized, mine, bob_open]))
    bob.refresh_from_db()
    assert {(row["rating_id"], row["reviewer"]) for row in rows} == {
        (str(bob_finalized.pk), ReviewerPseudonym.label(bob.pseudonym.number)),
        (str(mine.pk), "alice"),
    }


def test_a_lead_exports_the_selected_claims(client, alice, carol):
    chosen, other = f.make_claim(), f.make_claim()
    f.make_rating(chosen, alice)
    client.force_login(carol)
    header, *rows = read(export_selected(client, "claim", [chosen]))
    assert header == exports.CLAIMS.header
    assert [(row[0], row[header.index("rating_count")]) for row in rows] == [(str(chosen.pk), "1")]
    assert str(other.pk) not in {row[0] for row in rows}


def test_a_reviewers_claim_export_counts_only_ratings_they_may_export(client, alice, bob):
    claim = f.make_claim()
    f.make_rating(claim, alice)
    f.make_rating(claim, bob)
    client.force_login(alice)
    [row] = records(export_selected(client, "claim", [claim]))
    assert row["rating_count"] == "1"  # her own; bob's is on a claim still under review


def test_the_admin_and_the_url_share_one_column_definition(client, alice, carol):
    claim = f.make_claim()
    rating = f.make_rating(claim, alice, notes="=1+1")
    f.finalize(claim, carol)
    client.force_login(carol)
    from_admin = read(export_selected(client, "rating", [rating]))
    from_url = read(client.get(reverse("export_ratings")))
    assert from_admin == from_url
