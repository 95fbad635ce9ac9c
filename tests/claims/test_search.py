"""Claim.objects.search: full-text on SQLite (FTS5) and PostgreSQL (tsvector), same semantics."""

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from claims import facets, search
from claims.models import Citation, Claim, Study
from public.filters import ClaimFilter
from tests.factories import cite, make_article, make_claim, make_study

pytestmark = pytest.mark.django_db

TEXT = (
    "Magnesium citrate improves sleep quality in adults (Okoro 2019). "
    "Magnesium L-threonate restores memory in rats. "
    "Zinc helps nothing at all."
)


@pytest.fixture
def claims():
    article = make_article(TEXT)
    sleep = make_claim(article, "Magnesium citrate improves sleep quality in adults (Okoro 2019).", statement="Sleep")
    memory = make_claim(article, "Magnesium L-threonate restores memory in rats.", statement="Cognition in rodents")
    zinc = make_claim(article, "Zinc helps nothing at all.", statement="Zinc is useless")
    return sleep, memory, zinc


def found(text):
    return set(Claim.objects.search(text))


def test_it_finds_words_of_the_quote(claims):
    sleep, memory, zinc = claims
    assert found("magnesium") == {sleep, memory}
    assert found("zinc") == {zinc}


def test_it_finds_words_of_the_statement(claims):
    sleep, memory, zinc = claims
    assert found("rodents") == {memory}
    assert found("useless") == {zinc}


def test_every_word_must_match(claims):
    sleep, memory, zinc = claims
    assert found("magnesium memory") == {memory}
    assert found("magnesium zinc") == set()


def test_it_ignores_case_and_punctuation(claims):
    sleep, memory, zinc = claims
    assert found("MAGNESIUM, Memory!") == {memory}
    assert found("l-threonate") == {memory}


def test_the_last_word_may_be_a_prefix(claims):
    sleep, memory, zinc = claims
    assert found("citr") == {sleep}
    assert found("magnesium thre") == {memory}


def test_words_before_the_last_must_be_whole(claims):
    assert found("citr sleep") == set()


def test_it_searches_the_citations_of_cited_studies(claims):
    sleep, memory, zinc = claims
    cite(memory, make_study("(Abara 2011)"))
    assert found("abara") == {memory}
    assert found("abara 2011 rats") == {memory}


def test_text_without_words_finds_nothing(claims):
    assert found("  ,.;!?  ") == set()


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '""',
        "NEAR(",
        "NEAR(a b",
        "*",
        "a*",
        "^a",
        "a OR",
        "AND",
        "NOT b",
        "a:b",
        "col:magnesium",
        "'",
        "\\",
        "!&|",
        ":*",
        "a & !b",
        "(",
        ")",
        "{a b}",
        "-magnesium",
        "+",
        "a\x00b",
        "magnesium'--",
    ],
)
def test_fts_syntax_in_the_input_is_just_text(claims, text):
    # Never an error; words in it are searched as words.
    result = found(text)
    assert result <= set(claims)


def test_a_quoted_operator_word_is_searched_as_a_word():
    article = make_article("Take it and rest. Nothing near here.")
    near = make_claim(article, "Nothing near here.")
    make_claim(article, "Take it and rest.")
    assert found("NEAR(") == {near}
    assert found('near"') == {near}


def test_the_index_follows_edits_and_deletes(claims):
    sleep, memory, zinc = claims
    zinc.statement = "Zinc is a different mineral"
    zinc.save()
    assert found("mineral") == {zinc}
    assert found("useless") == set()
    zinc.delete()
    assert found("zinc") == set()


def test_the_index_follows_citations_added_and_removed_every_way(claims):
    sleep, memory, zinc = claims
    study = make_study("(Ferreira 2004)")
    zinc.studies.add(study)  # the through model's bulk insert: no save(), no post_save
    assert found("ferreira") == {zinc}
    Citation.objects.create(claim=memory, study=study)
    assert found("ferreira") == {zinc, memory}
    Citation.objects.filter(claim=zinc).delete()
    assert found("ferreira") == {memory}
    zinc.studies.set([study])
    assert found("ferreira") == {zinc, memory}


def test_renaming_a_study_citation_renames_it_in_the_index(claims):
    sleep, memory, zinc = claims
    study = make_study("(Ferreira 2004)")
    cite(memory, study)
    Study.objects.filter(pk=study.pk).update(citation="(Ibekwe 2004)")
    assert found("ferreira") == set()
    assert found("ibekwe") == {memory}


def test_claims_made_by_bulk_create_are_indexed():
    article = make_article("One quokka claim. Another wombat claim.")
    # bulk_create skips signals: a bulk writer refreshes the facets itself, as claims/facets.py asks.
    with facets.refreshing(Claim.objects.filter(article=article)):
        Claim.objects.bulk_create(
            [
                Claim(article=article, quote="One quokka claim.", start=0, end=17, statement="s"),
                Claim(article=article, quote="Another wombat claim.", start=18, end=39, statement="s"),
            ]
        )
    assert [c.quote for c in found("wombat")] == ["Another wombat claim."]


def test_install_repairs_a_missing_index(claims):
    sleep, memory, zinc = claims
    search.uninstall(connection)  # as when SQLite rebuilds a table in a migration
    search.install(connection)
    assert found("magnesium") == {sleep, memory}
    cite(zinc, make_study("(Ndiaye 2015)"))
    assert found("ndiaye") == {zinc}


def test_a_rebuild_indexes_what_the_triggers_index(claims):
    sleep, memory, zinc = claims
    cite(zinc, make_study("(Ndiaye 2015)"))
    by_triggers = {word: found(word) for word in ("magnesium", "ndiaye", "rats", "sle")}
    search.rebuild(connection)
    assert {word: found(word) for word in by_triggers} == by_triggers
    assert by_triggers["ndiaye"] == {zinc}


def test_the_list_filter_uses_it(claims):
    sleep, memory, zinc = claims
    qs = ClaimFilter({"q": "magnesium rats"}, queryset=Claim.objects.all()).qs
    assert list(qs) == [memory]


def test_a_search_is_one_query(claims, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(Claim.objects.search("magnesium sle"))


class TestAnyInputIsSafe(HypothesisTestCase):
    @settings(max_examples=150, deadline=None)
    @given(st.text(max_size=60))
    def test_any_text_searches_without_error(self, text):
        list(Claim.objects.search(text))

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.sampled_from(['"', "*", "NEAR", "(", ")", ":", "^", "&", "|", "!", "'", "a", " ", "-"])))
    def test_fts_punctuation_soup_searches_without_error(self, parts):
        list(Claim.objects.search("".join(parts)))


def test_after_migrate_only_an_existing_index_is_repaired(claims):
    from claims.apps import _install_search_index

    search.uninstall(connection)  # as after unapplying the migration that made the index
    _install_search_index(using="default")
    with connection.cursor() as cursor:
        table = search.FTS_TABLE if connection.vendor == "sqlite" else search.PG_TABLE
        tables = connection.introspection.table_names(cursor)
    assert table not in tables
    search.install(connection)
    assert found("zinc")


def test_after_migrate_missing_triggers_are_put_back(claims):
    from claims.apps import _install_search_index

    sleep, memory, zinc = claims
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # What a SQLite table rebuild in a later migration does to the claims table's triggers.
            for name in search.SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER {name}")
        else:
            cursor.execute("DROP TRIGGER claims_claim_search_citation ON claims_citation")
    _install_search_index(using="default")
    cite(zinc, make_study("(Okafor 2001)"))
    assert found("okafor") == {zinc}
