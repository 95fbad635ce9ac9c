"""
The claims' filter facets (claims/facets.py) follow every change to what they
are derived from. (tests/conftest.py also checks, after every test, that no
claim's facets are stale.)
"""

import pytest
from django.core.management import CommandError, call_command

from claims import facets
from claims.models import Citation, Claim, FlagState, MarketingCategory, StudyDesign
from tests import factories as f

pytestmark = pytest.mark.django_db


def fresh(claim):
    return Claim.objects.get(pk=claim.pk)


def test_every_design_and_flag_category_has_its_own_bit():
    for bits, choices in ((facets.DESIGN_BITS, StudyDesign), (facets.FLAG_BITS, MarketingCategory)):
        assert set(bits) == set(choices.values)
        values = list(bits.values())
        assert len(set(values)) == len(values)
        assert all(v > 0 and v & (v - 1) == 0 for v in values)  # powers of two


def test_citing_a_linked_study_makes_the_claim_linked_and_uncititing_it_undoes_it(claim):
    citation = f.cite(claim, f.make_study(doi="10.1000/xyz"))
    assert fresh(claim).linked is True
    citation.delete()
    assert fresh(claim).linked is False


def test_a_study_given_a_link_later_links_every_claim_citing_it(claim):
    study = f.make_study()
    other = f.make_claim(article=claim.article)
    f.cite(claim, study)
    f.cite(other, study)
    assert not fresh(claim).linked
    study.url = "https://example.org/study"
    study.save()
    assert fresh(claim).linked and fresh(other).linked


def test_studies_added_through_the_relation_count_too(claim):
    claim.studies.add(f.make_study(pmid="12345", design=StudyDesign.ANIMAL))
    claim = fresh(claim)
    assert claim.linked
    assert claim.design_bits == facets.DESIGN_BITS[StudyDesign.ANIMAL]
    claim.studies.clear()
    assert fresh(claim).design_bits == 0


def test_design_bits_hold_every_cited_design(claim):
    f.cite(claim, f.make_study("(A 2001)", design=StudyDesign.RCT))
    f.cite(claim, f.make_study("(B 2002)", design=StudyDesign.ANIMAL))
    f.cite(claim, f.make_study("(C 2003)", design=StudyDesign.ANIMAL))
    expected = facets.DESIGN_BITS[StudyDesign.RCT] | facets.DESIGN_BITS[StudyDesign.ANIMAL]
    assert fresh(claim).design_bits == expected
    assert set(Claim.objects.filter(facets.has_design(StudyDesign.ANIMAL))) == {claim}
    assert not Claim.objects.filter(facets.has_design(StudyDesign.COHORT)).exists()


def test_the_consensus_shows_only_while_the_claim_is_finalized(claim, alice, bob, carol):
    f.make_rating(claim, alice)
    f.make_rating(claim, bob)
    claim.record_consensus(carol, "low", "partially", "Rats only.")
    claim = fresh(claim)
    assert (claim.finalized_strength, claim.finalized_verdict) == ("low", "partially")
    claim.reopen(carol)
    claim = fresh(claim)
    assert (claim.finalized_strength, claim.finalized_verdict) == ("", "")


def test_a_confirmed_flag_overlapping_the_quote_sets_its_category_and_dismissing_clears_it(claim, carol):
    flag = f.make_flag(claim.article, "cures everything", category=MarketingCategory.DISEASE_CLAIM)
    assert fresh(claim).flag_bits == 0  # suggested flags do not count
    flag.set_state(FlagState.CONFIRMED, carol)
    assert fresh(claim).flag_bits == facets.FLAG_BITS[MarketingCategory.DISEASE_CLAIM]
    flag.set_state(FlagState.DISMISSED, carol)
    assert fresh(claim).flag_bits == 0


def test_a_flag_moved_off_a_claim_leaves_it(claim):
    article = claim.article
    flag = f.make_flag(article, "cures everything", state=FlagState.CONFIRMED)
    assert fresh(claim).flag_bits
    natural = article.text.index("natural")
    flag.start, flag.end, flag.text = natural, natural + len("natural"), "natural"
    flag.save()
    assert fresh(claim).flag_bits == 0


def test_a_stale_instance_saved_over_the_facets_does_not_win(claim):
    stale_copy = fresh(claim)
    f.cite(claim, f.make_study(doi="10.1000/xyz"))
    stale_copy.statement = "Edited"
    stale_copy.save()
    assert fresh(claim).linked is True


def test_stale_finds_rows_written_behind_the_models_back_and_refresh_repairs_them(claim):
    Claim.objects.filter(pk=claim.pk).update(linked=True, design_bits=4)
    assert facets.stale(Claim.objects.all()) == [claim.pk]
    assert Claim.objects.all().refresh_facets() == 1
    assert facets.stale(Claim.objects.all()) == []


def test_refresh_facets_command_checks_and_repairs(claim, capsys):
    call_command("refresh_facets", "--check")
    Claim.objects.filter(pk=claim.pk).update(flag_bits=1)
    with pytest.raises(CommandError, match="1 claim"):
        call_command("refresh_facets", "--check")
    call_command("refresh_facets")
    assert facets.stale(Claim.objects.all()) == []
    assert "Refreshed" in capsys.readouterr().out


def test_a_confirmed_flag_linked_to_the_claim_counts_even_outside_its_quote(claim):
    f.make_flag(claim.article, "natural", category=MarketingCategory.APPEAL_TO_NATURE, claim=claim, state="confirmed")
    assert fresh(claim).flag_bits == facets.FLAG_BITS[MarketingCategory.APPEAL_TO_NATURE]
    assert set(Claim.objects.filter(facets.has_flag())) == {claim}


def test_clearing_a_studys_claims_refreshes_those_claims_only(claim, monkeypatch):
    study = f.make_study(doi="10.1000/cleared")
    other = f.make_claim()
    f.cite(claim, study)
    f.cite(other, f.make_study(doi="10.1000/kept"))
    refreshed = []
    real_refresh = facets.refresh
    monkeypatch.setattr(facets, "refresh", lambda claims: refreshed.append(set(claims)) or real_refresh(claims))
    study.claims.clear()
    assert refreshed
    assert all(claims == {claim} for claims in refreshed)  # never the whole table
    assert not fresh(claim).linked
    assert fresh(other).linked


def test_the_column_list_is_the_definitions_keys_and_the_models_fields():
    claim_fields = {field.name for field in Claim._meta.get_fields()}
    assert set(facets.COLUMNS) == set(facets.DEFINITIONS) <= claim_fields
    history_fields = {field.name for field in Claim.history.model._meta.get_fields()}
    assert not history_fields & set(facets.COLUMNS)  # derived, so never in history


def test_refreshing_derives_the_facets_of_rows_written_in_bulk(claim):
    study = f.make_study(doi="10.1000/bulk")
    with facets.refreshing(Claim.objects.filter(pk=claim.pk)):
        Citation.objects.bulk_create([Citation(claim=claim, study=study)])  # no signals
    assert fresh(claim).linked


def test_publishing_an_article_marks_its_claims_published_and_only_its_own(db):
    lead = f.make_lead("carol")
    draft = f.make_article(published_at=None)
    other = f.make_article(published_at=None)
    claim, elsewhere = f.make_claim(draft), f.make_claim(other)
    assert not fresh(claim).article_published
    assert not Claim.objects.public().filter(pk=claim.pk).exists()
    draft.publish(by=lead)
    assert fresh(claim).article_published
    assert Claim.objects.public().filter(pk=claim.pk).exists()
    assert not fresh(elsewhere).article_published


def test_a_claim_moved_to_a_published_article_becomes_public(db):
    claim = f.make_claim(f.make_article(published_at=None))
    published = f.make_article("Magnesium cures everything. Fictional page.")
    claim.article = published
    claim.save()
    assert fresh(claim).article_published


def test_an_article_save_that_leaves_publication_alone_refreshes_nothing(db, django_assert_num_queries):
    article = f.make_article()
    f.make_claim(article)
    article.title = "Renamed"
    # The UPDATE and its history row; no facet refresh of the article's claims.
    with django_assert_num_queries(2):
        article.save(update_fields=["title", "updated_at"])


def test_the_flag_facet_finds_a_claims_flags_by_article_state_and_position(claim):
    # Without an index on (article, state, start) each claim's lookup read every flag of its
    # article: 2.9 s to refresh one 1 MB import's 5,055 claims among its 14,799 flags, quadratic.
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's planner chooses by table statistics; the plan is pinned on SQLite")
    flag_bits = facets.definitions(Claim)["flag_bits"]
    plan = Claim.objects.filter(article=claim.article).annotate(_bits=flag_bits).explain()
    assert "flag_article_state_start_idx (article_id=? AND state=? AND start<?)" in plan
