"""python manage.py match_claims: the JSON contract, storage of suggestions, bad input (exit 2, nothing stored)."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import ClaimMatch, MatchState
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(db):
    one = make_article("Magnesium relieves nerve pain. Magnesium improves sleep.", slug="fictional-one")
    two = make_article("Studies show nerve pain may be relieved by magnesium.", slug="fictional-two")
    return {
        "pain": make_claim(one, "Magnesium relieves nerve pain.", statement="Magnesium relieves nerve pain."),
        "sleep": make_claim(one, "Magnesium improves sleep.", statement="Magnesium improves sleep."),
        "pain2": make_claim(
            two,
            "Studies show nerve pain may be relieved by magnesium.",
            statement="Studies show nerve pain may be relieved by magnesium.",
        ),
    }


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("match_claims", *args, stdout=out)
    return out.getvalue()


def test_json_lists_each_claim_with_its_matches_strongest_first(claims):
    report = json.loads(run("--article", "fictional-two", "--json"))
    assert report == [{"claim": claims["pain2"].pk, "matches": [{"claim": claims["pain"].pk, "score": 1.0}]}]


def test_all_stores_suggested_matches_once_per_pair(claims):
    run("--all")
    match = ClaimMatch.objects.get()
    assert {match.claim_id, match.other_id} == {claims["pain"].pk, claims["pain2"].pk}
    assert match.state == MatchState.SUGGESTED


def test_a_decided_match_is_not_clobbered(claims, carol):
    run("--all")
    ClaimMatch.objects.get().decide(carol, confirm=False)
    run("--all")
    assert ClaimMatch.objects.get().state == MatchState.REJECTED


def test_min_score_filters(claims):
    assert json.loads(run("--all", "--json", "--min-score", "1")) != []
    ClaimMatch.objects.all().delete()
    claims["pain2"].statement = "Nerve pain, studies show, may be relieved by magnesium daily at night."
    claims["pain2"].save()
    assert json.loads(run("--all", "--json", "--min-score", "0.99")) == []


@pytest.mark.parametrize(
    "args", [("--article", "no-such-article"), ("--all", "--min-score", "2"), ("--all", "--min-score", "x")]
)
def test_bad_input_exits_2_and_stores_nothing(claims, args):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 2
    assert not ClaimMatch.objects.exists()


def test_article_or_all_is_required(claims):
    with pytest.raises(CommandError):
        run("--json")
