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
    monkeypatch.setattr(import_admin, "ADMIN_MAX_TEXT_CHARS", 1024)
    client.force_login(carol)
    response = upload(client, "big.txt", (PARAGRAPH * 20).encode())
    assert response.status_code == 200
    page = response.content.decode()
    assert "manage.py import_article" in page
    assert "more than 1 KB of text, too much" in page
    assert not Article.objects.exists()
    assert not Claim.objects.exists()


def test_the_admin_upload_refuses_more_markup_than_it_could_read_in_time(client, carol, monkeypatch):
    monkeypatch.setattr(import_admin, "ADMIN_MAX_MARKUP", 50)
    client.force_login(carol)
    page = f"<html><body>{'<p><span>Zentora</span></p>' * 30}<p>{PARAGRAPH}</p></body></html>"
    response = upload(client, "many.html", page.encode())
    assert response.status_code == 200
    assert "more than 50 HTML tags and attributes, too much" in response.content.decode()
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


def test_the_workload_of_a_page_counts_markup_and_the_text_outside_scripts_styles_and_attributes():
    page = b'<p>ab<script>var x = "<p>";</script>cd<STYLE>.x{}</style>e<img src="data:image/png;base64,QUJD">f</p>'
    markup, text = importer.workload("page.html", page)
    assert text == len("abcdef")
    assert markup == 8  # <p>, <script>, </script>, <style>, </style>, <img> and its attribute, </p>


def test_the_workload_of_an_unclosed_script_ends_with_it_and_of_a_text_file_is_its_size():
    assert importer.workload("page.HTML", b"<p>ab</p><script>cd <p>ef</p>") == (3, 2)
    assert importer.workload("notes.txt", b"<p>ab</p>") == (0, 9)


@pytest.mark.parametrize(
    # Not "page": that is pytest-playwright's fixture, and parametrizing it reorders the suite.
    "markup",
    [
        f"<p>< {PARAGRAPH} ></p>",  # not a tag to the parser: text
        f"<p><1 {PARAGRAPH} ></p>",
        f"<![CDATA[{PARAGRAPH}]]>",  # text to the tree builder
        f"<script/><p>{PARAGRAPH}</p></script>",  # a closed script: what follows is the page's
        f"<script-x><p>{PARAGRAPH}</p></script>",  # another element than <script>
    ],
)
def test_the_workload_counts_as_text_everything_the_extraction_reads_as_text(markup):
    _, text = importer.workload("page.html", markup.encode())
    extracted = importer.extract_html(markup)[1]
    assert "Zentora" in extracted
    assert text >= len("".join(extracted.split()))


def test_the_workload_stops_reading_soon_after_a_limit_is_passed():
    page = b"<p>Zentora</p>" + b"</p>" * 2_000_000  # 8 MB of end tags
    markup, _ = importer.workload("page.html", page, limits=(1000, 10**9))
    assert 1000 < markup < len(page) // 4  # stopped after the first piece, not at the end


@pytest.mark.parametrize(
    "tail",
    [b"<a" * 20_000, b"<?x" * 20_000, b"</a" * 20_000, b"<!x" * 20_000, b"<!-- " + b"<p>Zentora</p>" * 2_000],
)
def test_markup_left_unclosed_at_the_end_is_refused_before_the_parser_reads_it_again_and_again(tail):
    # Python's parser (before 3.12.11 and 3.13.4) reads an unclosed tail in quadratic time.
    page = b"<html><body><p>" + PARAGRAPH.encode() + b"</p>" + tail
    where = len(page) - len(tail)
    with pytest.raises(importer.ImportRefused, match=f"unclosed at character {where:,}"):
        importer.analyse("unclosed.html", page)


def test_a_short_unclosed_tail_and_an_unclosed_script_are_read_as_before():
    draft = importer.analyse("cut.html", f'<p>{PARAGRAPH}</p><p class="x'.encode())
    assert [c.quote for c in draft.claims] == ["Studies show magnesium cures fictional stress."]
    draft = importer.analyse("script.html", f"<p>{PARAGRAPH}</p><script>{'<a' * 20_000}".encode())
    assert [c.quote for c in draft.claims] == ["Studies show magnesium cures fictional stress."]


def test_markup_the_parser_rejects_is_refused_with_a_message_not_an_error(client, carol, tmp_path):
    page = f"<html><body><p>{PARAGRAPH}</p><![x ></body></html>".encode()
    with pytest.raises(importer.ImportRefused, match="the HTML parser cannot read this page"):
        importer.analyse("marked.html", page)
    client.force_login(carol)
    response = upload(client, "marked.html", page)
    assert response.status_code == 200
    assert "the HTML parser cannot read this page" in response.content.decode()
    path = tmp_path / "marked.html"
    path.write_bytes(page)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_article", str(path), stdout=StringIO(), stderr=err)
    assert "the HTML parser cannot read this page" in err.getvalue()
    assert not Article.objects.exists()


def test_the_admin_upload_refuses_a_deep_page(client, carol):
    client.force_login(carol)
    response = client.post(
        reverse("admin:claims_article_import"),
        {"file": SimpleUploadedFile("deep.html", nested(importer.MAX_DEPTH * 2))},
    )
    assert response.status_code == 200
    assert "deep" in response.content.decode()
    assert not Article.objects.exists()
