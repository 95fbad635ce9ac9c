"""
Regulatory boilerplate (analysis/disclaimers.py) and what a page does not state
(--retrieved-on, --promotes-product): all on a made-up brand's page.
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from analysis import importer
from analysis.detector import Detector
from claims.models import Article, MarketingFlag, Study

pytestmark = pytest.mark.django_db

PAGE = (
    "Velmora Night Drops\n\n"
    "Velmora Night Drops contain magnesium glycinate and cure insomnia in adults (Orlen 2019).\n\n"
    "*These statements have not been evaluated by the Food and Drug Administration. "
    "This product is not intended to diagnose, treat, cure, or prevent any disease.\n\n"
    "Individual results may vary.\n\n"
    "Consult your doctor before use if you are pregnant or nursing.\n\n"
    "Magnesium cures migraines in everyone; consult your doctor before use.\n"
)


def imported(tmp_path, *options, text=PAGE):
    page = tmp_path / "velmora.txt"
    page.write_text(text)
    out = StringIO()
    call_command("import_article", str(page), *options, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_fda_disclaimer_is_no_claim_no_flag_and_no_study(tmp_path):
    imported(tmp_path)
    article = Article.objects.get()
    quotes = list(article.claims.values_list("quote", flat=True))
    assert not [q for q in quotes if "Food and Drug" in q or "diagnose" in q]
    assert not MarketingFlag.objects.filter(category="disease-claim", text__icontains="prevent any disease").exists()
    assert not Study.objects.filter(citation__icontains="Drug Administration").exists()


def test_disclaimers_are_recorded_on_the_article_with_their_kinds(tmp_path):
    imported(tmp_path)
    kinds = [d["kind"] for d in Article.objects.get().disclaimers]
    assert kinds == [
        "fda-not-evaluated",
        "not-intended-to-diagnose",
        "results-may-vary",
        "consult-a-professional",
    ]
    article = Article.objects.get()
    for d in article.disclaimers:
        assert article.text[d["start"] : d["end"]] == d["text"]


def test_a_claim_that_also_says_consult_your_doctor_stays_a_claim(tmp_path):
    imported(tmp_path)
    quotes = list(Article.objects.get().claims.values_list("quote", flat=True))
    assert "Magnesium cures migraines in everyone; consult your doctor before use." in quotes
    assert any(q.startswith("Velmora Night Drops contain magnesium glycinate") for q in quotes)


@pytest.mark.parametrize(
    "sentence",
    [
        "These statements have not been evaluated by the FDA.",
        "This product is not intended to diagnose, treat, cure or prevent any disease.",
        "Always read the label and follow the directions for use.",
        "If symptoms persist, talk to your health professional.",
        "Keep out of reach of children.",
        "Food supplements should not be used as a substitute for a varied diet.",
        "This article is for informational purposes only.",
    ],
)
def test_common_variants_are_recognised(sentence):
    draft = importer.analyse("v.txt", f"Velmora\n\n{sentence}\n".encode())
    assert [d.text for d in draft.disclaimers] == [sentence]
    assert draft.claims == []


def test_the_json_report_lists_the_disclaimers(tmp_path):
    report = json.loads(imported(tmp_path, "--dry-run", "--json"))
    assert [d["label"] for d in report["disclaimers"]][:2] == [
        "Statements not evaluated by the FDA",
        "Not intended to diagnose, treat, cure or prevent any disease",
    ]
    assert not Article.objects.exists()


def test_the_public_article_page_shows_the_disclaimers(client, tmp_path, carol):
    imported(tmp_path, "--publish", "--by", "carol")
    page = client.get(Article.objects.get().get_absolute_url()).content.decode()
    assert "Disclaimers on the page" in page
    assert "Individual results may vary" in page


def test_without_an_answer_the_page_says_nothing_about_selling_a_product(client, tmp_path, carol):
    imported(tmp_path, "--publish", "--by", "carol")
    article = Article.objects.get()
    assert article.promotes_product is None
    page = client.get(article.get_absolute_url()).content.decode()
    assert "does not promote a product" not in page
    assert "Sells a product" not in page


@pytest.mark.parametrize(
    ("option", "stored", "shown"),
    [
        ("--promotes-product", True, "Sells a product"),
        ("--no-promotes-product", False, "does not promote a product"),
    ],
)
def test_the_command_records_what_the_page_does_not_state(client, tmp_path, carol, option, stored, shown):
    imported(tmp_path, option, "--retrieved-on", "2026-11-30", "--publish", "--by", "carol")
    article = Article.objects.get()
    assert (article.promotes_product, article.retrieved_on.isoformat()) == (stored, "2026-11-30")
    assert shown in client.get(article.get_absolute_url()).content.decode()


def test_a_bad_retrieval_date_is_refused_and_nothing_imported(tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        imported(tmp_path, "--retrieved-on", "30/11/2026")
    assert not Article.objects.exists()


def test_the_admin_upload_takes_the_same_provenance(client, carol):
    client.force_login(carol)
    response = client.post(
        reverse("admin:claims_article_import"),
        {
            "file": SimpleUploadedFile("velmora.txt", PAGE.encode()),
            "retrieved_on": "2026-11-30",
            "promotes_product": "true",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.promotes_product, str(article.retrieved_on)) == (True, "2026-11-30")
    assert len(article.disclaimers) == 4


def test_the_corpus_records_the_disclaimers_the_importer_finds_on_its_pages():
    """fixtures/corpus.json (curated in fixtures/curation/articles.json) agrees with analysis, page by page."""
    rows = json.loads((Path(settings.BASE_DIR) / "fixtures" / "corpus.json").read_text())
    articles = [row["fields"] for row in rows if row["model"] == "claims.article"]
    assert articles
    for article in articles:
        found = importer.analyse(article["source_file"], article["text"].encode(), detector=Detector([]))
        assert article.get("disclaimers", []) == [d.as_dict() for d in found.disclaimers], article["slug"]
    assert sum(len(article["disclaimers"]) for article in articles) == 1
