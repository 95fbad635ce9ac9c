"""The demo corpus: exact texts, exact quotes, nothing invented."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from claims.models import Article, Citation, Claim, MarketingFlag, Study
from review.history import claim_history

pytestmark = pytest.mark.django_db
FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SHARED_ARTICLES = Path(settings.BASE_DIR).parent / "shared" / "articles"


@pytest.fixture
def corpus(db):
    call_command("load_corpus", verbosity=0)


def test_corpus_loads_five_articles_and_many_claims(corpus):
    assert Article.objects.count() == 5
    assert Claim.objects.count() >= 60


def test_every_article_text_is_the_file_exactly(corpus):
    research = json.loads((FIXTURES / "curation" / "research" / "sources.json").read_text(encoding="utf-8"))
    verified = {a["file"]: a["source_url"] if a["found"] else "" for a in research["articles"]}
    for article in Article.objects.all():
        assert article.text == (FIXTURES / "articles" / article.source_file).read_text(encoding="utf-8")
        assert article.content_hash == Article.hash_text(article.text)
        # The files carry no URL: only an address whose stored page was found to be this text.
        assert article.source_url == verified[article.source_file]


@pytest.mark.skipif(not SHARED_ARTICLES.is_dir(), reason="shared/ is not beside this checkout")
def test_bundled_article_files_match_the_shared_corpus():
    for path in SHARED_ARTICLES.glob("*.txt"):
        assert (FIXTURES / "articles" / path.name).read_bytes() == path.read_bytes()


def test_every_claim_quote_is_its_article_text_between_the_offsets(corpus):
    for claim in Claim.objects.select_related("article"):
        assert claim.article.text[claim.start : claim.end] == claim.quote, claim.pk
        claim.full_clean()


def test_every_marketing_annotation_is_exact_article_text(corpus):
    flags = MarketingFlag.objects.select_related("article")
    assert flags.count() > 0
    for flag in flags:
        assert flag.article.text[flag.start : flag.end] == flag.text, flag.pk


def test_every_citation_is_written_as_in_its_article(corpus):
    for study in Study.objects.prefetch_related("claims__article"):
        assert any(study.citation in c.article.text for c in study.claims.all()), study.citation


def test_corpus_studies_carry_no_invented_identifiers(corpus):
    assert not Study.objects.exclude(doi="", pmid="", url="").exists()


def test_loading_twice_changes_nothing(corpus, capsys):
    claim = Claim.objects.first()
    claim.statement = "Edited by a reviewer."
    claim.save()
    call_command("load_corpus")
    claim.refresh_from_db()
    assert claim.statement == "Edited by a reviewer."
    assert "already loaded" in capsys.readouterr().out


def test_fixture_is_built_from_the_curation_files():
    """corpus.json is generated: its claims are the curated ones, in order."""
    curated = json.loads((FIXTURES / "curation" / "claims.json").read_text(encoding="utf-8"))
    rows = json.loads((FIXTURES / "corpus.json").read_text(encoding="utf-8"))
    quotes = [r["fields"]["quote"] for r in rows if r["model"] == "claims.claim"]
    assert quotes == [c["quote"] for c in curated]


def test_loading_writes_a_created_history_row_for_every_loaded_object(corpus):
    for model in (Article, Claim, Study, Citation, MarketingFlag):
        objects = model.objects.count()
        assert objects
        assert model.history.filter(history_type="+").count() == objects, model


def test_the_first_change_to_a_corpus_claim_shows_old_and_new(corpus, carol):
    claim = Claim.objects.first()
    old_statement = claim.statement
    claim.statement = "A reworded statement"
    claim.save()
    changes = [entry for entry in claim_history(claim, carol) if entry.action == "changed"]
    assert [(c.label, c.old, c.new) for c in changes[0].changes] == [
        ("statement", old_statement, "A reworded statement")
    ]


def test_corpus_citations_are_what_the_articles_cite(corpus):
    assert set(Citation.objects.values_list("origin", flat=True)) == {"article"}


def test_organisations_web_pages_and_bare_numbers_are_recorded_as_what_they_are(corpus):
    kinds = dict(Study.objects.values_list("citation", "kind"))
    assert kinds["The Foundation for Peripheral Neuropathy"] == "organisation"
    assert kinds["one article in Psychology Today"] == "website"
    assert kinds["(7)"] == "numbered_reference"
    assert kinds["(Shin 2020)"] == "study"


def test_the_claim_page_says_an_organisation_is_not_a_study(corpus, client):
    claim = Claim.objects.filter(studies__citation="The Foundation for Peripheral Neuropathy").first()
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "The Foundation for Peripheral Neuropathy</q> — organisation, not a study" in page
