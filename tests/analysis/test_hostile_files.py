"""
Large and hostile files: refused early, with a clear message, nothing written; the
rest read in time linear in the file (figures: bench/import_sizes.py, docs/import.md).
"""

import os
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from analysis import admin as import_admin
from analysis import importer
from claims.models import Article, Claim

pytestmark = pytest.mark.django_db

PARAGRAPH = "Zentora Calm is a fictional drink. Studies show magnesium cures fictional stress."


def nested(depth):
    return ("<html><body>" + "<div>" * depth + PARAGRAPH + "</div>" * depth + "</body></html>").encode()


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_article", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_nesting_within_the_limit_is_read():
    title, text = importer.extract_html(nested(importer.MAX_DEPTH - 5).decode())
    assert text == PARAGRAPH


def test_nesting_beyond_the_limit_is_refused_with_the_limit_named():
    with pytest.raises(importer.ImportRefused, match=f"more than {importer.MAX_DEPTH} deep"):
        importer.analyse("deep.html", nested(importer.MAX_DEPTH + 1))


def test_unclosed_elements_count_as_nested_as_the_parser_nests_them():
    markup = "<html><body>" + "<p>Zentora" * (importer.MAX_DEPTH + 1)
    with pytest.raises(importer.ImportRefused, match="deep"):
        importer.analyse("unclosed.html", markup.encode())


def test_void_elements_and_closed_siblings_do_not_add_depth():
    markup = "<div>" + "<br><img src=x><p>One.</p>" * (importer.MAX_DEPTH * 3) + "</div>"
    _, text = importer.extract_html(markup)
    assert text.count("One.") == importer.MAX_DEPTH * 3


def test_sibling_paragraphs_each_become_a_paragraph():
    body = "".join(f"<p>Paragraph {n}.</p>" for n in range(3000))
    _, text = importer.extract_html(f"<html><body><nav>Menu</nav>{body}<!-- a comment --></body></html>")
    assert text.split("\n\n") == [f"Paragraph {n}." for n in range(3000)]


def test_the_command_refuses_a_deep_page_and_writes_nothing(tmp_path):
    page = tmp_path / "deep.html"
    page.write_bytes(nested(importer.MAX_DEPTH * 10))
    with pytest.raises(CommandError):
        run(page)
    assert not Article.objects.exists()


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_the_command_refuses_a_device_without_reading_it():
    with pytest.raises(CommandError):
        _, err = run("/dev/zero")
    assert not Article.objects.exists()


def test_the_command_refuses_a_pipe_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(CommandError):
        run(fifo)
    assert not Article.objects.exists()


def test_the_command_checks_the_size_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    big.write_text(PARAGRAPH * 100)
    monkeypatch.setattr("analysis.management.commands.import_article.MAX_BYTES", 1000)
    read = []
    real_open = type(big).open
    monkeypatch.setattr(type(big), "open", lambda self, *a, **k: read.append(self) or real_open(self, *a, **k))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_article", str(big), stdout=StringIO(), stderr=err)
    assert read == []  # refused from its size, never opened
    assert not Article.objects.exists()


def upload(client, name, content):
    return client.post(reverse("admin:claims_article_import"), {"file": SimpleUploadedFile(name, content)})


def test_the_admin_upload_refuses_more_text_than_it_could_analyse_in_time(client, carol, monkeypatch):
    monkeypatch.setattr(import_admin, "ADMIN_MAX_TEXT_BYTES", 200)
    client.force_login(carol)
    response = upload(client, "big.txt", (PARAGRAPH * 5).encode())
    assert response.status_code == 200
    page = response.content.decode()
    assert "manage.py import_article" in page
    assert "KB of text, too much" in page
    assert not Article.objects.exists()
    assert not Claim.objects.exists()


def test_the_admin_upload_refuses_more_elements_than_it_could_read_in_time(client, carol, monkeypatch):
    monkeypatch.setattr(import_admin, "ADMIN_MAX_ELEMENTS", 50)
    client.force_login(carol)
    page = f"<html><body>{'<p><span>Zentora</span></p>' * 30}<p>{PARAGRAPH}</p></body></html>"
    response = upload(client, "many.html", page.encode())
    assert response.status_code == 200
    assert "63 HTML elements, too many" in response.content.decode()
    assert not Article.objects.exists()


def test_the_admin_upload_takes_a_large_page_that_is_mostly_an_inline_image_and_scripts(client, carol):
    # A page saved with its images and scripts inline: megabytes of bytes around a short
    # article. What it costs to import is its text and its elements, not its size.
    script = "var zentora = {fictional: true};\n" * 40_000
    image = "QUJD" * 500_000
    page = (
        f"<html><head><title>Zentora Calm</title><style>{'.z{margin:0}' * 20_000}</style></head><body>"
        f"<article><h1>Zentora Calm</h1><p>{PARAGRAPH}</p></article>"
        f'<script>{script}</script><img alt="" src="data:image/png;base64,{image}"></body></html>'
    ).encode()
    assert len(page) > 3 * 1024 * 1024
    client.force_login(carol)
    response = upload(client, "saved-page.html", page)
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.claims.filter(quote__contains="cures fictional stress").exists()
    assert "zentora = " not in article.text


def test_the_workload_of_a_page_leaves_out_tags_scripts_styles_and_inline_images():
    page = b'<p>ab<script>var x = "<p>";</script>cd<STYLE>.x{}</style>e<img src="data:image/png;base64,QUJD">f</p>'
    elements, text = importer.workload("page.html", page)
    assert text == len(b"abcdef")
    assert elements == 5  # p, script, the "<p>" inside it (an upper bound), style, img


def test_the_workload_of_an_unclosed_script_ends_with_it_and_of_a_text_file_is_its_size():
    assert importer.workload("page.HTML", b"<p>ab</p><script>cd <p>ef</p>") == (3, 2)
    assert importer.workload("notes.txt", b"<p>ab</p>") == (0, 9)


def test_the_admin_upload_refuses_a_deep_page(client, carol):
    client.force_login(carol)
    response = client.post(
        reverse("admin:claims_article_import"),
        {"file": SimpleUploadedFile("deep.html", nested(importer.MAX_DEPTH * 2))},
    )
    assert response.status_code == 200
    assert "deep" in response.content.decode()
    assert not Article.objects.exists()
