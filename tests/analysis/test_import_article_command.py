"""`manage.py import_article`: the corpus, hostile files, dry runs, duplicates and the --json contract."""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from analysis import importer
from claims.models import Article, Citation, Claim, ClaimStatus, MarketingFlag, Study

pytestmark = pytest.mark.django_db
CORPUS = Path(settings.BASE_DIR) / "fixtures" / "articles"
ARTICLE = (
    "Magnesium and Nerves\n\n"
    "Studies show that magnesium is a miracle cure for nerve pain (Shin 2020).\n\n"
    "Magnesium reduced brain injury in rats (7).\n"
)


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_article", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def counts():
    return tuple(m.objects.count() for m in (Article, Claim, Study, Citation, MarketingFlag))


def test_it_imports_an_article_with_suggested_claims_citations_and_flags(tmp_path):
    path = write(tmp_path, "nerves.txt", ARTICLE)
    out, _ = run(path, "--url", "https://example.org/nerves", "--publisher", "Example Shop")
    article = Article.objects.get()
    assert (article.title, article.text, article.source_file, article.source_url, article.publisher) == (
        "Magnesium and Nerves",
        ARTICLE,
        "nerves.txt",
        "https://example.org/nerves",
        "Example Shop",
    )
    claims = list(article.claims.all())
    assert [c.quote for c in claims] == [
        "Studies show that magnesium is a miracle cure for nerve pain (Shin 2020).",
        "Magnesium reduced brain injury in rats (7).",
    ]
    assert all(c.status == ClaimStatus.SUGGESTED and article.text[c.start : c.end] == c.quote for c in claims)
    assert [(c.topic, c.population) for c in claims] == [("neuropathic_pain", "unspecified"), ("cognition", "animal")]
    assert [list(c.studies.values_list("citation", flat=True)) for c in claims] == [["(Shin 2020)"], ["(7)"]]
    assert Study.objects.get(citation="(Shin 2020)").year == 2020
    flags = article.marketing_flags.all()
    assert {(f.text, f.category, f.state, f.claim_id) for f in flags} >= {
        ("miracle", "hype", "suggested", claims[0].pk)
    }
    assert "imported “Magnesium and Nerves” as magnesium-and-nerves: 2 suggested claim(s)" in out


def test_importing_the_same_text_again_changes_nothing(tmp_path):
    run(write(tmp_path, "a.txt", ARTICLE))
    before = counts()
    out, _ = run(write(tmp_path, "renamed.txt", ARTICLE))
    assert counts() == before
    assert "already imported as “Magnesium and Nerves” (magnesium-and-nerves); nothing changed." in out


def test_dry_run_json_writes_nothing_and_prints_the_contract_shape(tmp_path):
    out, err = run(write(tmp_path, "a.txt", "Cart 0\n\n" + ARTICLE), "--dry-run", "--json")
    assert counts() == (0, 0, 0, 0, 0)
    report = json.loads(out)  # stdout is the JSON and nothing else
    assert set(report) == {
        "title",
        "substance",
        "boilerplate",
        "disclaimers",
        "claims",
        "marketing",
        "provenance",
        "resemblance",
    }
    assert report["substance"] == "magnesium"  # the substance the text names most (its slug)
    assert report["resemblance"] == []
    assert report["title"] == "Magnesium and Nerves"
    assert report["disclaimers"] == []
    assert report["provenance"] == {
        "url": "",
        "publisher": "",
        "author": "",
        "published_on": None,
        "retrieved_on": None,
        "promotes_product": None,
        "stated_by_page": {"canonical_url": "", "site_name": "", "author": "", "published_on": None},
    }
    assert report["boilerplate"] == ["Cart 0"]
    text = "Cart 0\n\n" + ARTICLE
    for claim in report["claims"]:
        assert set(claim) == {
            "quote",
            "start",
            "end",
            "topic",
            "substance",
            "citations",
            # The automatic reading: cues in the quote, and in the article text.
            "wording_strength",
            "wording_cues",
            "evidence_hint",
            "evidence_cues",
            # A dry run also lists each claim's matches among the stored claims (docs/matching.md).
            "matches",
        }
        assert text[claim["start"] : claim["end"]] == claim["quote"]
        for cue in claim["wording_cues"]:
            assert claim["quote"][cue["start"] : cue["end"]] == cue["text"]
        for cue in claim["evidence_cues"]:
            assert text[cue["start"] : cue["end"]] == cue["text"]
    assert [c["citations"] for c in report["claims"]] == [["(Shin 2020)"], ["(7)"]]
    for hit in report["marketing"]:
        assert set(hit) == {"start", "end", "text", "category"}
        assert text[hit["start"] : hit["end"]] == hit["text"]
    assert {"text": "miracle", "category": "hype"}.items() <= next(
        h for h in report["marketing"] if h["text"] == "miracle"
    ).items()
    assert "Dry run: nothing written." in err


def test_json_for_several_files_is_a_list(tmp_path):
    a = write(tmp_path, "a.txt", ARTICLE)
    b = write(tmp_path, "b.html", "<h1>Zinc</h1><p>Zinc supports immunity in adults.</p>")
    out, _ = run(a, b, "--dry-run", "--json")
    assert [r["title"] for r in json.loads(out)] == ["Magnesium and Nerves", "Zinc"]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "the file is empty"),
        ("binary.txt", bytes(range(256)) * 4, "binary file"),
        ("latin1.txt", "Magnesium f\xfcr Nerven hilft bei Schmerzen.".encode("latin-1"), "not UTF-8"),
        ("page.pdf", b"Magnesium helps.", "only .txt and .html"),
    ],
)
def test_a_bad_file_is_refused_and_the_others_still_import(tmp_path, name, content, message):
    bad = write(tmp_path, name, content)
    good = write(tmp_path, "good.txt", ARTICLE)
    with pytest.raises(CommandError, match="1 of 2 file"):
        out = StringIO()
        err = StringIO()
        call_command("import_article", str(bad), str(good), stdout=out, stderr=err)
    assert message in err.getvalue()
    assert list(Article.objects.values_list("source_file", flat=True)) == ["good.txt"]


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError):
        run(tmp_path / "nope.txt")
    assert counts() == (0, 0, 0, 0, 0)


def test_script_content_never_reaches_the_text(tmp_path):
    page = (
        "<html><head><script>var claim = 'Magnesium cures cancer';</script></head><body>"
        "<nav>Shop Cart 0</nav><h1>Magnesium</h1><p>Magnesium supports nerve function in adults.</p>"
        '<script type=\'application/ld+json\'>{"claim": "cures cancer"}</script>'
        "<p onclick=\"alert('x')\">Low magnesium levels are linked to migraine.</p></body></html>"
    )
    run(write(tmp_path, "page.html", page))
    article = Article.objects.get()
    assert (
        article.text
        == "Magnesium\n\nMagnesium supports nerve function in adults.\n\nLow magnesium levels are linked to migraine."
    )
    assert "cancer" not in article.text and "alert" not in article.text
    assert article.claims.count() == 2


def test_a_failure_while_saving_leaves_nothing_behind(tmp_path, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "record_flag_suggestions", explode)
    with pytest.raises(RuntimeError):
        run(write(tmp_path, "a.txt", ARTICLE))
    assert counts() == (0, 0, 0, 0, 0)


def test_title_and_url_belong_to_a_single_file(tmp_path):
    with pytest.raises(CommandError, match="single file"):
        run(write(tmp_path, "a.txt", ARTICLE), write(tmp_path, "b.txt", "x"), "--title", "T")


def test_a_bad_url_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(CommandError, match="not an http"):
        run(write(tmp_path, "a.txt", ARTICLE), "--url", "javascript:alert(1)")
    assert counts() == (0, 0, 0, 0, 0)


def test_the_five_corpus_files_import(tmp_path):
    for path in sorted(CORPUS.glob("*.txt")):
        shutil.copy(path, tmp_path / path.name)
    run(*sorted(tmp_path.glob("*.txt")))
    assert Article.objects.count() == 5
    for article in Article.objects.all():
        assert article.text == (CORPUS / article.source_file).read_text(encoding="utf-8")
        assert article.claims.filter(status=ClaimStatus.SUGGESTED).exists()
    assert MarketingFlag.objects.filter(text="TREATS BOTH SYMPTOMS AND CAUSES").exists()
    assert Study.objects.filter(citation="(Thomas\u00a0et al., 2000)").exists()


def test_a_five_megabyte_text_imports(tmp_path):
    paragraph = (
        "Magnesium is a mineral found in nuts, seeds and leafy greens. Some people take it as a supplement. "
        "Low magnesium levels are linked to muscle cramps in older adults. The weather was mild that year. "
    ) * 20
    lines, n = [], 0
    while sum(map(len, lines)) < 5 * 1024 * 1024:
        lines.append(f"Section {n}. {paragraph}\n")  # long lines, like a page exported without breaks
        n += 1
    text = "".join(lines)
    run(write(tmp_path, "big.txt", text))
    article = Article.objects.get()
    assert article.text == text
    claim = article.claims.first()
    assert article.text[claim.start : claim.end] == claim.quote


def test_json_for_a_single_failed_file_prints_nothing_on_stdout(tmp_path):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("import_article", str(write(tmp_path, "e.txt", b"")), "--json", stdout=out, stderr=err)
    assert out.getvalue() == ""
    assert "the file is empty" in err.getvalue()


def test_dry_run_lists_matches_with_status_and_only_published_consensus(tmp_path, carol):
    from tests.factories import finalize, make_article, make_claim

    text = "Magnesium is a miracle cure for nerve pain. Fictional."
    finalized = make_claim(make_article(text), "Magnesium is a miracle cure for nerve pain.")
    finalized.statement = "Magnesium is a miracle cure for nerve pain."
    finalized.save()
    finalize(finalized, carol, "low", "partially")
    reopened = make_claim(make_article(text + " Another."), "Magnesium is a miracle cure for nerve pain.")
    reopened.statement = finalized.statement
    reopened.save()
    finalize(reopened, carol, "high", "supports")
    reopened.reopen(carol)
    out, _ = run(write(tmp_path, "a.txt", ARTICLE), "--dry-run", "--json")
    matches = {m["claim"]: m for m in json.loads(out)["claims"][0]["matches"]}
    assert matches[finalized.pk]["consensus"] == {"evidence_strength": "low", "verdict": "partially"}
    assert matches[finalized.pk]["status"] == "finalized"
    assert matches[reopened.pk]["consensus"] is None
    assert matches[reopened.pk]["status"] == "under_review"
