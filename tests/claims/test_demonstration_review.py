"""The demonstration review: loaded through the workflow, honest about what it is, and optional."""

import json

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command

from claims.models import Claim, Consensus, Rating, Study
from claims.policy import DEMONSTRATION_GROUP

pytestmark = pytest.mark.django_db
DATA = json.loads((settings.BASE_DIR / "fixtures" / "demonstration_review.json").read_text(encoding="utf-8"))


@pytest.fixture
def corpus(db):
    call_command("load_corpus", verbosity=0)


@pytest.fixture
def reviewed(corpus):
    call_command("load_demonstration", verbosity=0)


def test_the_corpus_alone_is_unreviewed(corpus):
    assert not Rating.objects.exists()
    assert not Consensus.objects.exists()
    assert set(Claim.objects.values_list("status", flat=True)) == {"under_review"}
    assert not Study.objects.exclude(doi="", pmid="", verified_at="").exists()


def test_every_corpus_claim_is_finalized_on_two_independent_ratings_and_a_reasoned_consensus(reviewed):
    claims = Claim.objects.all()
    assert claims.count() == 227
    assert set(claims.values_list("status", flat=True)) == {"finalized"}
    for claim in claims.prefetch_related("ratings").select_related("consensus"):
        ratings = list(claim.ratings.all())
        assert len({r.reviewer_id for r in ratings}) >= settings.MGREVIEW_MIN_RATINGS, claim.pk
        assert all(r.rated_blind and not r.is_revised for r in ratings), claim.pk
        assert len(claim.consensus.rationale) > 40, claim.pk


def test_the_accounts_are_marked_and_cannot_log_in(reviewed):
    accounts = User.objects.filter(groups__name=DEMONSTRATION_GROUP)
    assert sorted(accounts.values_list("username", flat=True)) == ["demo-lead", "demo-reviewer-1", "demo-reviewer-2"]
    assert not any(user.has_usable_password() for user in accounts)
    assert set(Consensus.objects.values_list("decided_by__username", flat=True)) == {"demo-lead"}


def test_every_identified_study_says_where_it_was_verified(reviewed):
    identified = Study.objects.exclude(doi="", pmid="")
    assert identified.count() == len(DATA["studies"]) == 2
    for study in identified:
        assert study.verified_at.startswith(("https://pubmed.ncbi.nlm.nih.gov/", "https://pmc.ncbi.nlm.nih.gov/"))
    shin = Study.objects.get(citation="(Shin 2020)")
    assert (shin.doi, shin.pmid, shin.title, shin.year) == (
        "10.3390/nu12082184",
        "32718032",
        "Magnesium and Pain",
        2020,
    )
    assert shin.history.latest("history_date").history_user.username == "demo-lead"


def test_loading_twice_changes_nothing(reviewed, capsys):
    before = Rating.objects.count(), Consensus.objects.count()
    call_command("load_demonstration")
    assert "already loaded" in capsys.readouterr().out
    assert (Rating.objects.count(), Consensus.objects.count()) == before


def test_without_the_corpus_nothing_is_loaded(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="load_corpus first"):
        call_command("load_demonstration")
    assert not User.objects.filter(groups__name=DEMONSTRATION_GROUP).exists()
    assert not Rating.objects.exists()


def test_the_fixture_states_nothing_its_sources_do_not():
    # Every identifier comes with the page that shows it; quotes are the corpus's own (the loader checks them).
    for study in DATA["studies"]:
        assert study["verified_at"] and study["shows"], study
    consensus_claims = {(c["article"], c["quote"]) for c in DATA["consensus"]}
    rated = {(r["article"], r["quote"]) for r in DATA["ratings"]}
    assert rated == consensus_claims
    assert len(DATA["ratings"]) == 2 * len(DATA["consensus"])
