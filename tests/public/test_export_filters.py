"""
The exports take the query string of /claims/ and export exactly the claims
that list shows: the same FilterSet (public.filters.ClaimFilter) over the same
queryset (Claim.objects.public()), in the same order. Bad values are a 400
naming them, never a 500.
"""

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimStatus
from public.filters import ClaimFilter
from tests import factories as f
from tests.export_helpers import claims, ratings

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(alice, bob, carol):
    nerves = f.make_article(
        "Magnesium calms the nerves. Rats slept longer on magnesium. "
        "Magnesium fixes insomnia. Magnesium is a miracle for nerves.",
        title="Nerves",
        slug="nerves",
    )
    sleep = f.make_article(
        "Magnesium helps sleep. Magnesium cures cancer. Magnesium cures gout.", title="Sleep", slug="sleep"
    )
    c = {
        "calms": f.make_claim(nerves, "Magnesium calms the nerves.", topic="nerve_signalling", population="human"),
        "rats": f.make_claim(nerves, "Rats slept longer on magnesium.", topic="sleep", population="animal"),
        "reopened": f.make_claim(nerves, "Magnesium fixes insomnia.", topic="sleep"),
        "miracle": f.make_claim(nerves, "Magnesium is a miracle for nerves.", topic="general"),
        "helps": f.make_claim(sleep, "Magnesium helps sleep.", topic="sleep", population="human"),
        "suggested": f.make_claim(sleep, "Magnesium cures cancer.", topic="sleep", status=ClaimStatus.SUGGESTED),
        "rejected": f.make_claim(sleep, "Magnesium cures gout.", topic="sleep", status=ClaimStatus.REJECTED),
    }
    f.cite(c["calms"], f.make_study("(Shin 2020)", doi="10.1000/xyz", design="rct"))
    f.cite(c["rats"], f.make_study("(Rodent 2019)", design="animal"))
    f.make_flag(nerves, "Magnesium calms the nerves", "hype", claim=c["calms"], state="confirmed")
    f.make_flag(nerves, "Rats slept longer", "hype", claim=c["rats"], state="suggested")
    f.make_flag(nerves, "miracle", "hype", claim=c["miracle"], state="confirmed")
    for name, claim in c.items():
        f.make_rating(claim, alice)
        if name != "helps":
            f.make_rating(claim, bob)
    f.finalize(c["calms"], carol, evidence_strength="very_low", verdict="does_not_support")
    f.finalize(c["helps"], carol, evidence_strength="low", verdict="partially")
    f.finalize(c["reopened"], carol, evidence_strength="very_low", verdict="does_not_support")
    c["reopened"].status = ClaimStatus.UNDER_REVIEW
    c["reopened"].save()
    return c


FILTERS = [
    {},
    {"topic": "sleep"},
    {"q": "nerves"},
    {"q": "Shin"},
    {"q": "magnesium sleep"},
    {"strength": "very_low"},
    {"verdict": "partially"},
    {"flag": "hype"},
    {"design": "rct"},
    {"design": "animal"},
    {"population": "human"},
    {"status": "finalized"},
    {"status": "under_review"},
    {"linked": "true"},
    {"linked": "false"},
    {"article": "sleep"},
    {"topic": "sleep", "status": "under_review", "population": "animal"},
    {"q": "magnesium", "linked": "false", "order": "newest"},
    {"article": "nerves", "flag": "hype", "order": "topic"},
    {"topic": "sleep", "page": "2", "unknown": "ignored"},
]


def listed(params):
    """The claim ids /claims/ lists for params, in its order."""
    return list(ClaimFilter(params, queryset=Claim.objects.public()).qs.values_list("id", flat=True))


def in_order(ids):
    """Claim ids of export rows, each once, in first-seen order."""
    return list(dict.fromkeys(int(claim_id) for claim_id in ids))


@pytest.mark.parametrize("params", FILTERS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "none")
def test_claims_export_holds_exactly_the_listed_claims_in_list_order(client, corpus, params):
    assert [int(row["claim_id"]) for row in claims(client, params)] == listed(params)


@pytest.mark.parametrize("params", FILTERS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "none")
def test_ratings_export_holds_the_ratings_of_exactly_the_listed_claims(client, corpus, carol, params):
    client.force_login(carol)  # a lead exports every rating, so every listed (and rated) claim appears
    exported = in_order(row["claim_id"] for row in ratings(client, params))
    assert exported == listed(params)


def test_the_filters_really_filter(client, corpus):
    # Not only "the same as the FilterSet": what the FilterSet gives for these is known.
    ids = {name: claim.pk for name, claim in corpus.items()}
    assert set(listed({})) == {ids[n] for n in ("calms", "rats", "reopened", "miracle", "helps")}
    assert listed({"topic": "sleep", "order": "oldest"}) == [ids["rats"], ids["reopened"], ids["helps"]]
    assert listed({"strength": "very_low"}) == [ids["calms"]]  # reopened's consensus no longer counts
    assert listed({"flag": "hype", "order": "oldest"}) == [ids["calms"], ids["miracle"]]
    assert listed({"q": "Shin"}) == [ids["calms"]]


def test_anonymous_ratings_are_those_of_listed_finalized_claims(client, corpus):
    exported = in_order(row["claim_id"] for row in ratings(client, {"topic": "sleep"}))
    assert exported == [corpus["helps"].pk]


def test_suggested_and_rejected_claims_are_never_exported_even_to_a_lead(client, corpus, carol):
    client.force_login(carol)
    hidden = {str(corpus["suggested"].pk), str(corpus["rejected"].pk)}
    assert not hidden & {row["claim_id"] for row in ratings(client)}
    assert not hidden & {row["claim_id"] for row in claims(client)}


BAD = [
    {"article": "no-such-article"},
    {"topic": "astrology"},
    {"strength": "' OR 1=1 --"},
    {"verdict": "maybe"},
    {"flag": "<script>"},
    {"design": "vibes"},
    {"population": "martians"},
    {"status": "suggested"},
    {"order": "id; DROP TABLE claims_claim"},
    {"q": "x" * 201},
    {"q": "nul\x00byte"},
]


@pytest.mark.parametrize("export", ["ratings", "claims"])
@pytest.mark.parametrize("params", BAD, ids=lambda p: next(iter(p)))
def test_bad_filter_values_are_a_400_naming_them(client, corpus, export, params):
    response = client.get(reverse(f"export_{export}"), params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("Nothing was exported")
    assert f"{next(iter(params))}: " in text


@pytest.mark.parametrize("export", ["ratings", "claims"])
def test_a_bad_value_among_good_ones_still_exports_nothing(client, corpus, carol, export):
    client.force_login(carol)
    response = client.get(reverse(f"export_{export}"), {"topic": "sleep", "population": "martians"})
    assert response.status_code == 400
    assert b"claim_id" not in response.content
