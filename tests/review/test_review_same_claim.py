"""The review page's "The same claim elsewhere": matches, blinding, lead decisions and consensus reuse."""

import pytest
from django.urls import reverse

from claims.models import ClaimMatch, ClaimStatus, Consensus, MatchState
from tests.factories import finalize, make_article, make_claim, make_rating

pytestmark = pytest.mark.django_db


def fictional_claim(text, **fields):
    return make_claim(make_article(f"{text} Fictional test page."), text, statement=text, **fields)


@pytest.fixture
def pair(db):
    here = fictional_claim("Magnesium relieves nerve pain.")
    there = fictional_claim("Nerve pain is relieved by magnesium.")
    return here, there, ClaimMatch.objects.suggest(here.pk, there.pk, 0.9, ("nerve_pain", "reliev"))


def page(client, claim):
    return client.get(reverse("review:claim", args=[claim.pk]))


def decide(client, claim, match, decision, confirmed=True):
    data = {"decision": decision, **({"confirmed": "yes"} if confirmed else {})}
    return client.post(reverse("review:decide_match", args=[claim.pk, match.pk]), data)


def test_the_page_lists_the_matching_claim_with_its_words(client, alice, pair):
    here, there, _ = pair
    client.force_login(alice)
    response = page(client, here)
    assert [row["other"] for row in response.context["same_elsewhere"]] == [there]
    assert b"nerve_pain reliev" in response.content


def test_a_suggested_claim_is_not_listed(client, alice, pair):
    here, there, _ = pair
    there.status = ClaimStatus.SUGGESTED
    there.save()
    client.force_login(alice)
    assert page(client, here).context["same_elsewhere"] == []


def test_reviewer_does_not_see_the_consensus_of_a_reopened_claim(client, alice, carol, pair):
    here, there, _ = pair
    finalize(there, carol, rationale="Secret while reopened.")
    there.reopen(carol)
    client.force_login(alice)
    row = page(client, here).context["same_elsewhere"][0]
    assert row["consensus"] is None


def test_everyone_sees_a_finalized_consensus(client, alice, carol, pair):
    here, there, _ = pair
    finalize(there, carol, "moderate", "partially")
    client.force_login(alice)
    assert page(client, here).context["same_elsewhere"][0]["consensus"].evidence_strength == "moderate"


def test_blinding_is_unchanged_by_a_match(client, alice, bob, pair):
    here, there, _ = pair
    make_rating(here, bob)
    client.force_login(alice)
    response = page(client, here)
    assert not response.context["unblinded"]
    assert list(response.context["other_ratings"]) == []


def test_reviewer_gets_no_decision_buttons_and_is_refused(client, alice, pair):
    here, _, match = pair
    client.force_login(alice)
    assert page(client, here).context["same_elsewhere"][0]["may_decide"] is False
    assert decide(client, here, match, "confirm").status_code == 403
    match.refresh_from_db()
    assert match.state == MatchState.SUGGESTED


def test_lead_is_asked_before_deciding(client, carol, pair):
    here, _, match = pair
    client.force_login(carol)
    response = decide(client, here, match, "confirm", confirmed=False)
    assert response.status_code == 200
    assert b"Same assertion as claim" in response.content
    match.refresh_from_db()
    assert match.state == MatchState.SUGGESTED


def test_lead_confirms_a_match_kept_in_history(client, carol, pair):
    here, there, match = pair
    client.force_login(carol)
    assert decide(client, here, match, "confirm").status_code == 302
    match.refresh_from_db()
    here.refresh_from_db()
    there.refresh_from_db()
    assert match.state == MatchState.CONFIRMED and match.decided_by == carol
    assert here.assertion_group_id == there.assertion_group_id is not None
    assert [h.state for h in match.history.all()] == [MatchState.CONFIRMED, MatchState.SUGGESTED]


def test_lead_rejects_a_match(client, carol, pair):
    here, _, match = pair
    client.force_login(carol)
    decide(client, here, match, "reject")
    match.refresh_from_db()
    assert match.state == MatchState.REJECTED
    assert page(client, here).context["same_elsewhere"] == []


def test_a_bad_decision_is_a_400_and_changes_nothing(client, carol, pair):
    here, _, match = pair
    client.force_login(carol)
    assert decide(client, here, match, "maybe").status_code == 400
    match.refresh_from_db()
    assert match.state == MatchState.SUGGESTED


def test_a_match_of_another_claim_is_a_404(client, carol, pair):
    _, _, match = pair
    stranger = fictional_claim("Magnesium improves sleep.")
    client.force_login(carol)
    assert decide(client, stranger, match, "confirm").status_code == 404


def reuse(client, claim, source):
    return client.post(reverse("review:reuse_consensus", args=[claim.pk, source.pk]), {"confirmed": "yes"})


def test_lead_applies_the_consensus_of_a_finalized_same_claim(client, carol, pair):
    here, there, match = pair
    match.decide(carol, confirm=True)
    finalize(there, carol, "moderate", "partially", rationale="Two small trials.")
    client.force_login(carol)
    assert page(client, here).context["same_elsewhere"][0]["may_reuse"] is True
    assert reuse(client, here, there).status_code == 302
    here.refresh_from_db()
    assert here.status == ClaimStatus.FINALIZED
    assert f"claim {there.pk}" in here.consensus.rationale


def test_reuse_refused_without_a_finalized_member(client, carol, pair):
    here, there, match = pair
    match.decide(carol, confirm=True)
    client.force_login(carol)
    assert page(client, here).context["same_elsewhere"][0]["may_reuse"] is False
    assert reuse(client, here, there).status_code == 400
    assert not Consensus.objects.filter(claim=here).exists()


def test_reuse_refused_to_a_reviewer(client, alice, carol, pair):
    here, there, match = pair
    match.decide(carol, confirm=True)
    finalize(there, carol)
    client.force_login(alice)
    assert page(client, here).context["same_elsewhere"][0]["may_reuse"] is False
    assert reuse(client, here, there).status_code == 403
    assert not Consensus.objects.filter(claim=here).exists()


# The claim page for a lead, whatever the number of matches; the section itself is one
# query (the matches with both claims, their articles and consensus).
LEAD_PAGE_QUERIES = 17


@pytest.mark.parametrize("count", [1, 6])
def test_the_section_costs_the_same_queries_for_any_number_of_matches(client, carol, django_assert_num_queries, count):
    here = fictional_claim("Magnesium relieves nerve pain.")
    for n in range(count):
        there = fictional_claim(f"Nerve pain is relieved by magnesium, page {n}.")
        ClaimMatch.objects.suggest(here.pk, there.pk, 0.5, ())
        finalize(there, carol)
    client.force_login(carol)
    page(client, here)  # warm the session
    with django_assert_num_queries(LEAD_PAGE_QUERIES):
        response = page(client, here)
    assert len(response.context["same_elsewhere"]) == count
