"""
Each article's kept totals follow every write to its claims and flags: its reviewable
claims (a column kept beside its /stats/ tally, for the rankings), and its finalized
claims and confirmed flags in the tally (claims/tallies.py), which the home page adds up.
"""

import pytest

from claims import facets, tallies
from claims.models import Article, ClaimStatus, MarketingFlag
from tests import factories

pytestmark = pytest.mark.django_db


def totals(article):
    article = Article.objects.get(pk=article.pk)
    tally = article.stats_tally
    flags = sum(n for key, n in tally.items() if key.startswith("f|"))
    return (article.reviewable_claim_count, tally.get("fin", 0), flags)


@pytest.fixture
def article():
    return factories.make_article("Fictional Zorbium cures pain. Zorbium helps sleep. Buy Zorbium today.")


def test_a_new_claim_counts_and_a_suggestion_does_not(article):
    factories.make_claim(article, "Fictional Zorbium cures pain.")
    factories.make_claim(article, "Zorbium helps sleep.", status=ClaimStatus.SUGGESTED)
    assert totals(article) == (1, 0, 0)


def test_a_consensus_counts_as_finalized_and_a_reopen_takes_it_back(article, carol):
    claim = factories.make_claim(article, "Fictional Zorbium cures pain.")
    factories.finalize(claim, carol)
    assert totals(article) == (1, 1, 0)
    claim.status = ClaimStatus.UNDER_REVIEW
    claim.save(update_fields=["status"])
    assert totals(article) == (1, 0, 0)


def test_a_deleted_claim_leaves_the_count(article):
    claim = factories.make_claim(article, "Fictional Zorbium cures pain.")
    claim.delete()
    assert totals(article) == (0, 0, 0)


def test_a_claim_moved_to_another_article_leaves_the_first_one(article):
    claim = factories.make_claim(article, "Fictional Zorbium cures pain.")
    other = factories.make_article("Fictional Zorbium cures pain, says another page.", slug="other")
    claim.article = other
    claim.save(update_fields=["article"])
    assert (totals(article), totals(other)) == ((0, 0, 0), (1, 0, 0))


def test_only_confirmed_flags_count_and_follow_their_state(article):
    flag = factories.make_flag(article, "Buy Zorbium today", state="suggested")
    assert totals(article) == (0, 0, 0)
    flag.state = "confirmed"
    flag.save()
    assert totals(article) == (0, 0, 1)
    MarketingFlag.objects.get(pk=flag.pk).delete()
    assert totals(article) == (0, 0, 0)


def test_a_full_save_of_an_article_does_not_write_back_totals_it_loaded_earlier(article):
    loaded = Article.objects.get(pk=article.pk)
    factories.make_claim(article, "Fictional Zorbium cures pain.")
    loaded.title = "Renamed fictional page"
    loaded.save()
    assert totals(article) == (1, 0, 0)


def test_stale_names_an_article_whose_totals_were_changed_behind_its_back(article):
    factories.make_claim(article, "Fictional Zorbium cures pain.")
    Article.objects.filter(pk=article.pk).update(reviewable_claim_count=7)
    assert tallies.stale(Article.objects.all()) == [article.pk]
    facets.refresh_articles(Article.objects.all())
    assert tallies.stale(Article.objects.all()) == []
    assert totals(article) == (1, 0, 0)


def test_refresh_facets_command_checks_and_repairs_article_totals(article, capsys):
    from django.core.management import CommandError, call_command

    factories.make_claim(article, "Fictional Zorbium cures pain.")
    call_command("refresh_facets", "--check")
    Article.objects.filter(pk=article.pk).update(reviewable_claim_count=3)
    with pytest.raises(CommandError, match="1 article with stale /stats/ tallies"):
        call_command("refresh_facets", "--check")
    call_command("refresh_facets")
    assert totals(article) == (1, 0, 0)
    assert "the tallies of 1 articles" in capsys.readouterr().out
