"""
A changed page imported again is not made a second article silently: the import
says which article it resembles and how much, and exits with status 2 unless
--force (analysis/resemblance.py; threshold measured in docs/import.md).
"""

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from analysis import importer, resemblance
from claims.models import Article, Claim
from tests.factories import make_article

pytestmark = pytest.mark.django_db

PAGE = (
    "Orlith Sleep Tonic\n\n"
    "Orlith Sleep Tonic is a fictional drink sold by a made-up brand for this test.\n\n"
    "Magnesium glycinate in the tonic cures insomnia in adults within a week (Varn 2018).\n\n"
    "Our customers say the tonic calms racing thoughts and eases muscle cramps at night.\n\n"
    "Each bottle holds thirty servings of three hundred milligrams of magnesium.\n"
)
EDITED = PAGE.replace("within a week", "within two weeks")
OTHER = (
    "Brightwell Joint Balm\n\n"
    "Brightwell Joint Balm is another fictional product, rubbed on the knees twice a day.\n\n"
    "Turmeric in the balm relieves arthritis pain in older adults (Keel 2021).\n"
)


def run(tmp_path, text, *options, name="page.txt"):
    page = tmp_path / name
    page.write_text(text)
    out, err = StringIO(), StringIO()
    call_command("import_article", str(page), *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_changed_word_is_refused_with_exit_status_2_naming_the_article(tmp_path):
    run(tmp_path, PAGE, name="first.txt")
    before = (Article.objects.count(), Claim.objects.count())
    with pytest.raises(CommandError) as refused:
        run(tmp_path, EDITED, name="second.txt")
    assert refused.value.returncode == 2
    assert (Article.objects.count(), Claim.objects.count()) == before


def test_the_message_says_which_article_and_how_much(tmp_path, capsys):
    run(tmp_path, PAGE, name="first.txt")
    page = tmp_path / "second.txt"
    page.write_text(EDITED)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_article", str(page), stdout=StringIO(), stderr=err)
    message = err.getvalue()
    assert "resembles “Orlith Sleep Tonic” (orlith-sleep-tonic)" in message
    assert "% the same text" in message
    assert "--force" in message


def test_force_imports_it_as_a_separate_article(tmp_path):
    run(tmp_path, PAGE, name="first.txt")
    out, _ = run(tmp_path, EDITED, "--force", "--json", name="second.txt")
    report = json.loads(out)
    assert [r["article"] for r in report["resemblance"]] == ["orlith-sleep-tonic"]
    assert report["resemblance"][0]["score"] >= resemblance.THRESHOLD
    assert Article.objects.count() == 2


def test_a_different_article_imports_and_reports_no_resemblance(tmp_path):
    run(tmp_path, PAGE, name="first.txt")
    out, _ = run(tmp_path, OTHER, "--json", name="other.txt")
    assert json.loads(out)["resemblance"] == []
    assert Article.objects.count() == 2


def test_the_same_text_again_is_still_an_exact_duplicate_not_a_resemblance(tmp_path):
    run(tmp_path, PAGE, name="first.txt")
    out, _ = run(tmp_path, PAGE, name="again.txt")
    assert "already imported" in out
    assert Article.objects.count() == 1


def test_articles_loaded_without_a_fingerprint_get_one_before_the_comparison(tmp_path):
    make_article(PAGE.replace("\n", " \n"), title="Loaded from a fixture", slug="loaded")  # no fingerprint
    with pytest.raises(CommandError):
        run(tmp_path, EDITED, name="second.txt")
    assert Article.objects.get(slug="loaded").fingerprint != []


def test_the_admin_upload_refuses_then_imports_when_told(client, carol):
    client.force_login(carol)
    url = reverse("admin:claims_article_import")
    client.post(url, {"file": SimpleUploadedFile("first.txt", PAGE.encode())})
    refused = client.post(url, {"file": SimpleUploadedFile("second.txt", EDITED.encode())})
    assert refused.status_code == 200
    assert "% the same as" in refused.content.decode()
    assert Article.objects.count() == 1
    forced = client.post(url, {"file": SimpleUploadedFile("second.txt", EDITED.encode()), "force": "on"})
    assert forced.status_code == 302
    assert Article.objects.count() == 2


def test_edits_resemble_and_different_texts_do_not():
    base = resemblance.fingerprint(PAGE)
    assert resemblance.resemblance(base, resemblance.fingerprint(EDITED)) >= resemblance.THRESHOLD
    assert resemblance.resemblance(base, resemblance.fingerprint(OTHER)) < resemblance.THRESHOLD
    assert importer.resemblance.resemblance(base, base) == 1.0


def test_very_short_texts_are_not_compared():
    short = "Magnesium is a miracle cure for nerve pain."
    stored = type("Stored", (), {"fingerprint": resemblance.fingerprint(short)})()
    assert resemblance.resembling(short, [stored]) == []
