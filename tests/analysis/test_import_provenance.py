"""
An imported HTML page's provenance comes from what the page states (analysis/provenance.py),
unless the person importing says otherwise; a page that states nothing leaves it blank.
The pages are the fictional ones in tests/analysis/pages/.
"""

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from claims.models import Article

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).parent / "pages"
EXPECTED = json.loads((PAGES / "expected.json").read_text())


def import_page(name, *options):
    out = StringIO()
    call_command("import_article", str(PAGES / name), *options, "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue()), Article.objects.get(source_file=name)


def test_metadata_the_page_states_is_stored_on_the_article():
    _report, article = import_page("ashwagandha_full_metadata.html")
    expected = EXPECTED["ashwagandha_full_metadata.html"]
    assert article.source_url == expected["canonical_url"]
    assert article.publisher == expected["site_name"]
    assert article.author == expected["author"]
    assert article.published_on == datetime.date.fromisoformat(expected["published_on"])


def test_a_page_that_states_nothing_leaves_provenance_blank():
    report, article = import_page("no_metadata.html")
    assert (article.source_url, article.publisher, article.author, article.published_on) == ("", "", "", None)
    assert report["provenance"]["stated_by_page"] == {
        "canonical_url": "",
        "site_name": "",
        "author": "",
        "published_on": None,
    }


def test_the_options_win_over_what_the_page_states():
    report, article = import_page(
        "ashwagandha_full_metadata.html", "--url", "https://fictional.example.net/a", "--publisher", "Someone Else"
    )
    assert (article.source_url, article.publisher) == ("https://fictional.example.net/a", "Someone Else")
    assert report["provenance"]["url"] == "https://fictional.example.net/a"
    assert (
        report["provenance"]["stated_by_page"]["canonical_url"]
        == EXPECTED["ashwagandha_full_metadata.html"]["canonical_url"]
    )


def test_json_reports_what_the_page_stated():
    report, _article = import_page("ashwagandha_full_metadata.html")
    expected = EXPECTED["ashwagandha_full_metadata.html"]
    assert report["provenance"]["author"] == expected["author"]
    assert report["provenance"]["published_on"] == expected["published_on"]
    assert report["provenance"]["stated_by_page"]["site_name"] == expected["site_name"]


def test_page_chrome_in_divs_stays_out_of_the_article_text():
    _report, article = import_page("ashwagandha_full_metadata.html")
    for line in EXPECTED["ashwagandha_full_metadata.html"]["chrome"]:
        assert line not in article.text
    for paragraph in EXPECTED["ashwagandha_full_metadata.html"]["article"]:
        assert paragraph in article.text


def test_the_admin_upload_takes_the_page_metadata_too(client, carol):
    client.force_login(carol)
    upload = SimpleUploadedFile(
        "ashwagandha_full_metadata.html", (PAGES / "ashwagandha_full_metadata.html").read_bytes()
    )
    response = client.post(reverse("admin:claims_article_import"), {"file": upload, "promotes_product": "unknown"})
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.author == EXPECTED["ashwagandha_full_metadata.html"]["author"]


def test_the_public_page_shows_the_author_and_date_the_page_states(client, carol):
    _report, article = import_page("ashwagandha_full_metadata.html", "--publish", "--by", "carol")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "By Juniper Fablewood." in html
    assert '<time datetime="2025-03-14">14 March 2025</time>' in html
