"""
The admin goes through the domain: ratings through Rating.objects.record and
withdraw, consensus through record_consensus, suggestions through
decide_suggestion, flags through set_state and edit. Each tried from both
sides; "refused" means nothing changed.
"""

import pytest
from django.urls import reverse

from claims.models import Claim, Consensus, MarketingFlag, Rating
from tests import factories as f

pytestmark = pytest.mark.django_db

RATINGS_ADD = reverse("admin:claims_rating_add")
CONSENSUS_ADD = reverse("admin:claims_consensus_add")
CLAIMS = reverse("admin:claims_claim_changelist")
FLAGS = reverse("admin:claims_marketingflag_changelist")


def rating_data(claim, **values):
    return {"claim": claim.pk, "evidence_strength": "high", "verdict": "supports", "notes": "", **values}


def finalized_claim(alice, bob, carol):
    claim = f.make_claim()
    f.make_rating(claim, alice)
    f.make_rating(claim, bob)
    claim.record_consensus(carol, "low", "partially", "Two small trials.")
    return claim


# Ratings


def test_a_reviewer_adds_a_rating_in_the_admin_through_record(client, alice, claim):
    client.force_login(alice)
    response = client.post(RATINGS_ADD, rating_data(claim, notes="from the admin"))
    assert response.status_code == 302
    rating = Rating.objects.get(claim=claim)
    assert (rating.reviewer, rating.notes, rating.rated_blind) == (alice, "from the admin", True)
    assert rating.history.get().history_user == alice


def test_a_second_rating_of_the_same_claim_is_a_form_error_not_a_500(client, alice, claim):
    f.make_rating(claim, alice, notes="first")
    client.force_login(alice)
    response = client.post(RATINGS_ADD, rating_data(claim))
    assert response.status_code == 200
    assert "You have already rated this claim" in response.content.decode()
    assert list(Rating.objects.values_list("notes", flat=True)) == ["first"]


@pytest.mark.parametrize("status", ["finalized", "rejected", "suggested"])
def test_no_rating_is_added_to_a_claim_that_is_not_under_review(client, alice, status):
    claim = f.make_claim(status=status)
    client.force_login(alice)
    response = client.post(RATINGS_ADD, rating_data(claim))
    assert response.status_code == 200
    assert "ratings can only be given or changed while it is under review" in response.content.decode()
    assert not Rating.objects.exists()


def test_a_rating_of_a_finalized_claim_cannot_change_in_the_admin(client, alice, bob, carol):
    claim = finalized_claim(alice, bob, carol)
    rating = Rating.objects.get(claim=claim, reviewer=alice)
    client.force_login(alice)
    url = reverse("admin:claims_rating_change", args=[rating.pk])
    assert client.post(url, rating_data(claim, notes="changed after the consensus")).status_code == 403
    rating.refresh_from_db()
    assert rating.notes == ""
    assert b'name="evidence_strength"' not in client.get(url).content  # shown read-only


def test_a_rating_of_a_finalized_claim_cannot_be_deleted(client, alice, bob, carol):
    claim = finalized_claim(alice, bob, carol)
    rating = Rating.objects.get(claim=claim, reviewer=alice)
    client.force_login(alice)
    response = client.post(reverse("admin:claims_rating_delete", args=[rating.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Rating.objects.filter(pk=rating.pk).exists()


def test_an_admin_change_after_seeing_others_keeps_the_blind_values(client, alice, bob, claim):
    own = f.make_rating(claim, alice, evidence_strength="low", verdict="partially")
    Rating.objects.record(claim, bob, evidence_strength="very_low", verdict="does_not_support")
    client.force_login(alice)
    url = reverse("admin:claims_rating_change", args=[own.pk])
    data = rating_data(claim, evidence_strength="very_low", verdict="does_not_support")
    assert client.post(url, data).status_code == 302
    own.refresh_from_db()
    assert (own.blind_evidence_strength, own.blind_verdict, own.is_revised) == ("low", "partially", True)


# Consensus


def test_a_reopened_claims_consensus_is_hidden_from_reviewers_in_the_admin(client, alice, bob, carol):
    claim = finalized_claim(alice, bob, carol)
    consensus = claim.consensus
    claim.reopen(carol)
    client.force_login(alice)
    listing = client.get(reverse("admin:claims_consensus_changelist"))
    assert listing.context["cl"].result_count == 0
    assert client.get(reverse("admin:claims_consensus_change", args=[consensus.pk])).status_code == 302
    client.force_login(carol)
    assert client.get(reverse("admin:claims_consensus_changelist")).context["cl"].result_count == 1


def test_a_finalized_claims_consensus_is_listed_for_reviewers(client, alice, bob, carol):
    finalized_claim(alice, bob, carol)
    client.force_login(alice)
    assert client.get(reverse("admin:claims_consensus_changelist")).context["cl"].result_count == 1


def consensus_data(claim):
    return {"claim": claim.pk, "evidence_strength": "low", "verdict": "partially", "rationale": "Two trials."}


def test_the_admin_refuses_a_consensus_with_too_few_ratings(client, alice, carol, claim):
    f.make_rating(claim, alice)
    client.force_login(carol)
    response = client.post(CONSENSUS_ADD, consensus_data(claim))
    assert response.status_code == 200
    assert "needs ratings from at least 2 different reviewers; this claim has 1" in response.content.decode()
    assert not Consensus.objects.exists()
    assert Claim.objects.get(pk=claim.pk).status == "under_review"


def test_a_consensus_added_in_the_admin_finalizes_the_claim(client, alice, bob, carol, claim):
    f.make_rating(claim, alice)
    f.make_rating(claim, bob)
    client.force_login(carol)
    assert client.post(CONSENSUS_ADD, consensus_data(claim)).status_code == 302
    claim.refresh_from_db()
    assert claim.status == "finalized"
    assert claim.consensus.decided_by == carol


def test_a_reviewer_cannot_add_a_consensus_in_the_admin(client, alice, bob, claim):
    f.make_rating(claim, alice)
    f.make_rating(claim, bob)
    client.force_login(alice)
    assert client.post(CONSENSUS_ADD, consensus_data(claim)).status_code == 403
    assert not Consensus.objects.exists()


def test_a_finalized_consensus_is_read_only_and_never_deleted(client, alice, bob, carol):
    claim = finalized_claim(alice, bob, carol)
    consensus = claim.consensus
    client.force_login(carol)
    url = reverse("admin:claims_consensus_change", args=[consensus.pk])
    data = consensus_data(claim) | {"rationale": "rewritten"}
    assert client.post(url, data).status_code == 403
    delete = reverse("admin:claims_consensus_delete", args=[consensus.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    consensus.refresh_from_db()
    assert consensus.rationale == "Two small trials."


def test_the_claim_status_is_read_only_in_the_admin(client, carol, claim):
    client.force_login(carol)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert "status" not in page.context["adminform"].form.fields
    assert b'name="status"' not in page.content


# Suggestions


def suggestion_action(client, action, claim):
    return client.post(CLAIMS, {"action": action, "_selected_action": [claim.pk]})


@pytest.mark.parametrize("action", ["accept_suggestions", "reject_suggestions"])
def test_a_reviewer_cannot_decide_suggestions_in_the_admin(client, alice, action):
    claim = f.make_claim(status="suggested")
    client.force_login(alice)
    response = suggestion_action(client, action, claim)
    assert Claim.objects.get(pk=claim.pk).status == "suggested"
    assert response.status_code in (200, 302)  # Django: "No action selected", nothing run
    assert f'value="{action}"' not in client.get(CLAIMS).content.decode()


@pytest.mark.parametrize(
    ("action", "status"), [("accept_suggestions", "under_review"), ("reject_suggestions", "rejected")]
)
def test_a_lead_decides_suggestions_in_the_admin_with_history(client, carol, action, status):
    claim = f.make_claim(status="suggested")
    client.force_login(carol)
    suggestion_action(client, action, claim)
    assert Claim.objects.get(pk=claim.pk).status == status
    latest = Claim.history.filter(id=claim.pk).latest("history_date")
    assert (latest.status, latest.history_user) == (status, carol)


def test_the_lead_action_leaves_claims_that_are_not_suggestions_alone(client, carol, claim):
    client.force_login(carol)
    suggestion_action(client, "reject_suggestions", claim)
    assert Claim.objects.get(pk=claim.pk).status == "under_review"


# Flags


def test_a_reviewer_cannot_edit_another_reviewers_flag_in_the_admin(client, alice, bob, claim):
    flag = MarketingFlag.objects.raise_on_claim(claim, "cures", "disease-claim", bob)
    client.force_login(alice)
    url = reverse("admin:claims_marketingflag_change", args=[flag.pk])
    assert client.post(url, {"category": "hype", "claim": claim.pk, "state": "dismissed"}).status_code == 403
    flag.refresh_from_db()
    assert (flag.category, flag.state) == ("disease-claim", "confirmed")


def test_a_flag_changed_in_the_admin_goes_through_the_domain(client, alice, claim):
    flag = MarketingFlag.objects.raise_on_claim(claim, "cures", "disease-claim", alice)
    client.force_login(alice)
    url = reverse("admin:claims_marketingflag_change", args=[flag.pk])
    assert client.post(url, {"category": "hype", "claim": claim.pk, "state": "dismissed"}).status_code == 302
    flag.refresh_from_db()
    assert (flag.category, flag.state) == ("hype", "dismissed")
    assert flag.history.latest("history_date").history_user == alice


def test_a_bulk_flag_action_with_a_forbidden_flag_changes_nothing(client, alice, bob, claim):
    own = MarketingFlag.objects.raise_on_claim(claim, "cures", "disease-claim", alice)
    other = MarketingFlag.objects.raise_on_claim(claim, "everything", "absolute", bob)
    client.force_login(alice)
    client.post(FLAGS, {"action": "dismiss_flags", "_selected_action": [own.pk, other.pk]})
    assert set(MarketingFlag.objects.values_list("state", flat=True)) == {"confirmed"}


def test_a_bulk_flag_action_on_allowed_flags_sets_each_state(client, alice, claim):
    own = MarketingFlag.objects.raise_on_claim(claim, "cures", "disease-claim", alice)
    client.force_login(alice)
    client.post(FLAGS, {"action": "dismiss_flags", "_selected_action": [own.pk]})
    own.refresh_from_db()
    assert own.state == "dismissed"
