"""
The screen (analysis/literals.py) only skips work the plain scan would do for nothing:
on the corpus, the test pages and generated text, every pattern finds what
re.finditer() finds, and a whole import reads the same with the screen switched off.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from analysis import citation_parser, disclaimers, evidence, importer, literals
from analysis.detector import Detector, _compiled, compile_pattern
from bench.import_sizes import case, text_of  # the generated import text, as the benchmark writes it
from claims.choices import EvidenceHint
from claims.models import MarketingPattern

pytestmark = pytest.mark.django_db
BASE = Path(settings.BASE_DIR)


def corpus():
    """(file name, bytes): the corpus articles, the corpus files and the test pages."""
    rows = json.loads((BASE / "fixtures" / "corpus.json").read_text())
    found = [
        (r["fields"]["source_file"] or f"{r['pk']}.txt", r["fields"]["text"].encode())
        for r in rows
        if r["model"] == "claims.article"
    ]
    found += [(p.name, p.read_bytes()) for p in sorted((BASE / "fixtures" / "articles").glob("*.txt"))]
    found += [(p.name, p.read_bytes()) for p in sorted((BASE / "tests" / "analysis" / "pages").glob("*.html"))]
    return found


# Made-up sentences with what the corpus lacks: identifiers, disclaimers, lookalike letters.
SENTENCES = (
    "Zorbium eased cramps (doi:10.1234/zorb.2031.5) and sleep (PMID: 12345678). Quellix did not [4–6].\n"
    "These statements have not been evaluated by the Food and Drug Administration. This product is not "
    "intended to diagnose, treat, cure or prevent any disease. Individual results may vary.\n"
    "Quellix helps nerves [3].\n"
    "Aſk your doctor: the MİRACLE of zorbium, per the Zorbium Foundation for Nerve Health (Quill 2031).\n"
)


def texts():
    return [data.decode() for _, data in corpus()] + [text_of(60_000), SENTENCES]


def plain_regex(pattern):
    """A lexicon row as a regular expression, written out again here rather than taken from the detector."""
    return re.compile(pattern.pattern, re.IGNORECASE) if pattern.is_regex else compile_pattern(pattern.pattern, False)


def spans(matches):
    return [(m.start(), m.end()) for m in matches]


def test_every_lexicon_pattern_finds_in_every_text_what_a_plain_scan_finds():
    patterns = list(MarketingPattern.objects.filter(enabled=True))
    assert len(patterns) > 50
    for text in texts():
        screen = literals.Screen(text)
        for pattern in patterns:
            regex, required, starts = _compiled(pattern.pattern, pattern.is_regex)
            expected = spans(plain_regex(pattern).finditer(text))
            assert spans(screen.finditer(regex, required, starts)) == expected, pattern.pattern


def test_the_seeded_lexicon_is_screened():
    """Were the parse of a later Python not understood, this says so (the results would stay right, only slow)."""
    patterns = list(MarketingPattern.objects.filter(enabled=True))
    assert all(_compiled(p.pattern, p.is_regex)[1] for p in patterns)
    assert sum(_compiled(p.pattern, p.is_regex)[2] is not None for p in patterns) > 0.9 * len(patterns)


def read_everything(inputs):
    found = []
    for name, data in inputs:
        draft = importer.analyse(name, data)
        found.append(
            {
                **draft.as_dict(),
                "hits": [(h.start, h.end, h.text, h.category, h.pattern_id) for h in draft.marketing],
                "citations": [[(f.start, f.end, f.text, f.kind) for f in c.citations] for c in draft.claims],
            }
        )
    return found


def test_an_import_reads_the_same_with_the_screen_switched_off(monkeypatch):
    inputs = [*corpus(), case("text", 40_000), case("html", 40_000)]
    screened = read_everything(inputs)
    # Switched off: every pattern is tried at every character, as before the screen.
    monkeypatch.setattr(literals, "may_match", lambda clauses, folded_text: True)
    monkeypatch.setattr(literals.Screen, "finditer", lambda self, regex, *needs: regex.finditer(self.text))
    assert screened == read_everything(inputs)
    assert sum(len(found["hits"]) for found in screened) > 500
    assert sum(len(found["claims"]) for found in screened) > 300


@pytest.mark.parametrize(
    "text",
    [
        "Zorbium is a miracle\ncure, nature’s own.",
        "MİRACLE CURE: Aſk your doctor",
        "No side effects!",
    ],
)
def test_detector_with_lookalikes_and_line_breaks_matches_the_plain_scan(text):
    detector = Detector.from_lexicon()
    plain = sorted(
        (m.start(), m.end(), p.pk)
        for p in MarketingPattern.objects.filter(enabled=True)
        for m in plain_regex(p).finditer(text)
        if m.end() > m.start()
    )
    screen = literals.Screen(text)
    screened = sorted(
        (m.start(), m.end(), pk)
        for regex, required, starts, _, pk in detector.rules
        for m in screen.finditer(regex, required, starts)
    )
    assert screened == plain
    assert plain


# Every pattern tried at every character, as the functions did before the screen: written out
# here, so that a fault in how a function uses the screen cannot hide in its own reference.


def plain_evidence(text, start, end):
    found = {}
    for kind in evidence._ORDER:
        matches = [*evidence._COMPILED[kind].finditer(text, start, end)]
        if kind == EvidenceHint.STUDY:
            matches += [*evidence._CITATION.finditer(text, start, end)]
        cues = sorted({evidence.Cue(m.group(0), m.start(), m.end()) for m in matches}, key=lambda c: c.start)
        if cues:
            found[kind] = cues
    return found


def plain_citations(text, start, end):
    found = []
    for kind, pattern in citation_parser.KINDS:
        for match in pattern.finditer(text, start, end):
            s, e = match.start(), match.end()
            if kind in {"doi", "publication", "organisation"}:
                e = citation_parser._trim(text, s, e)
            if e > s and not any(s < f.end and f.start < e for f in found):
                found.append(citation_parser.Found(s, e, text[s:e], kind))
    return sorted(found, key=lambda f: f.start)


def plain_disclaimers(sentence):
    found = [(kind, m.start(), m.end()) for kind, pattern in disclaimers._PATTERNS for m in pattern.finditer(sentence)]
    return sorted(found, key=lambda hit: hit[1])


def pieces(pattern):
    """Every paragraph, or every sentence-like piece, of every text: (text, start, end)."""
    return [(text, m.start(), m.end()) for text in texts() for m in re.finditer(pattern, text)]


def test_evidence_reads_each_paragraph_as_a_plain_scan_does():
    paragraphs = pieces(r"[^\n]+")
    assert sum(bool(plain_evidence(*p)) for p in paragraphs) > 100
    for text, start, end in paragraphs:
        assert evidence._found(text, start, end) == plain_evidence(text, start, end), text[start:end]


def test_citations_are_found_in_each_sentence_as_a_plain_scan_finds_them():
    sentences = pieces(r"[^\n]+") + pieces(r"[^.!?\n]+[.!?]?")
    kinds = {f.kind for p in sentences for f in plain_citations(*p)}
    assert kinds >= {"doi", "author-year", "numbered", "publication", "organisation"}
    for text, start, end in sentences:
        assert citation_parser.find_citations(text, start, end) == plain_citations(text, start, end)


def test_disclaimers_are_found_in_each_sentence_as_a_plain_scan_finds_them():
    sentences = [text[start:end] for text, start, end in pieces(r"[^.!?\n]+[.!?]?")]
    assert sum(bool(plain_disclaimers(s)) for s in sentences) >= 3
    for sentence in sentences:
        assert disclaimers.matches(sentence) == plain_disclaimers(sentence), sentence
