import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from claims.models import Article, Claim, EvidenceStrength, Study, normalize_doi, normalize_pmid
from tests.factories import cite, finalize, make_article, make_claim, make_rating, make_study

pytestmark = pytest.mark.django_db


def test_duplicate_rating_is_rejected_by_the_database(claim, alice):
    make_rating(claim, alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_rating(claim, alice, evidence_strength="high")
    assert claim.ratings.count() == 1


def test_two_reviewers_may_rate_the_same_claim(claim, alice, bob):
    make_rating(claim, alice)
    make_rating(claim, bob)
    assert claim.ratings.count() == 2


@pytest.mark.parametrize(("start", "end"), [(10, 10), (10, 5)])
def test_unordered_offsets_are_rejected_by_the_database(start, end):
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(article=article, quote="x", start=start, end=end, statement="s")
    assert not Claim.objects.exists()


def test_negative_offset_is_rejected_by_the_database():
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(article=article, quote="x", start=-1, end=3, statement="s")


def test_clean_rejects_a_quote_that_does_not_match_the_offsets():
    article = make_article("Magnesium cures everything.")
    claim = Claim(article=article, quote="Magnesium cures", start=1, end=16, statement="s")
    with pytest.raises(ValidationError) as excinfo:
        claim.full_clean()
    assert "quote" in excinfo.value.message_dict


def test_clean_accepts_matching_offsets():
    article = make_article("Magnesium cures everything.")
    Claim(article=article, quote="Magnesium cures", start=0, end=15, statement="s").full_clean()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10.1113/jphysiol.2010.123456", "10.1113/jphysiol.2010.123456"),
        ("  https://doi.org/10.3390/nu12051234 ", "10.3390/nu12051234"),
        ("doi:10.1000/xyz-1", "10.1000/xyz-1"),
        ("https://dx.doi.org/10.1000/abc", "10.1000/abc"),
        ("", ""),
    ],
)
def test_doi_is_normalised(raw, expected):
    assert normalize_doi(raw) == expected


@pytest.mark.parametrize("raw", ["11.1000/abc", "10.12/abc", "doi 10.1000/abc", "10.1000/", "https://example.com/x"])
def test_malformed_doi_is_refused_with_a_clear_message(raw):
    with pytest.raises(ValidationError) as excinfo:
        normalize_doi(raw)
    assert "is not a DOI" in excinfo.value.messages[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("20375220", "20375220"),
        ("PMID: 20375220", "20375220"),
        ("https://pubmed.ncbi.nlm.nih.gov/20375220/", "20375220"),
    ],
)
def test_pmid_is_normalised(raw, expected):
    assert normalize_pmid(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "0123", "1234567890", "12 34"])
def test_malformed_pmid_is_refused_with_a_clear_message(raw):
    with pytest.raises(ValidationError) as excinfo:
        normalize_pmid(raw)
    assert "is not a PubMed id" in excinfo.value.messages[0]


def test_study_links_are_built_from_normalised_identifiers():
    study = make_study(doi="https://doi.org/10.1000/abc", pmid="PMID:123")
    study.refresh_from_db()
    assert study.doi == "10.1000/abc"
    assert study.doi_url == "https://doi.org/10.1000/abc"
    assert study.pubmed_url == "https://pubmed.ncbi.nlm.nih.gov/123/"
    assert [label for label, _ in study.links()] == ["DOI", "PubMed"]


def test_saving_a_study_with_a_malformed_doi_stores_nothing():
    with pytest.raises(ValidationError):
        Study.objects.create(citation="(X 2000)", doi="not-a-doi")
    assert not Study.objects.exists()


def test_study_full_clean_reports_both_bad_identifiers():
    study = Study(citation="(X 2000)", doi="nope", pmid="nope")
    with pytest.raises(ValidationError) as excinfo:
        study.full_clean()
    assert set(excinfo.value.message_dict) >= {"doi", "pmid"}


def test_deleting_a_claim_with_ratings_is_refused(claim, alice):
    make_rating(claim, alice)
    with pytest.raises(ProtectedError):
        claim.delete()
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_deleting_an_article_with_claims_is_refused(claim):
    with pytest.raises(ProtectedError):
        claim.article.delete()
    assert Article.objects.filter(pk=claim.article_id).exists()


def test_deleting_a_finalized_claim_is_refused(claim, carol):
    finalize(claim, carol)
    with pytest.raises(ProtectedError):
        claim.delete()


def test_deleting_a_cited_study_is_refused(claim):
    study = make_study()
    cite(claim, study)
    with pytest.raises(ProtectedError):
        study.delete()


def test_article_hash_follows_its_text():
    article = make_article("Some text.")
    assert article.content_hash == Article.hash_text("Some text.")


def test_duplicate_article_text_is_rejected():
    make_article("Same text.")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article("Same text.")


def test_evidence_strength_ranks_are_ordered():
    ranks = [EvidenceStrength.rank(v) for v in EvidenceStrength.values]
    assert ranks == sorted(ranks, reverse=True)


def test_claim_context_contains_the_quote():
    article = make_article("First paragraph.\nBefore. Magnesium cures everything. After.\nLast.")
    claim = make_claim(article)
    assert claim.paragraph() == ("Before. ", "Magnesium cures everything.", " After.")
    before, quote, after = claim.context()
    assert quote == "Magnesium cures everything."
