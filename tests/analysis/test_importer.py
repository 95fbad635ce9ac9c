"""The importer's analysis: reading files, page chrome, sentences, claims, citations. Nothing is written."""

import re
from pathlib import Path

import pytest

from analysis.citation_parser import find_citations
from analysis.importer import (
    ImportRefused,
    analyse,
    extract_html,
    guess_population,
    guess_topic,
    read_document,
    segmenter,
    segments,
)

CORPUS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "articles").glob("*.txt"))

pytestmark = pytest.mark.django_db  # analyse() reads the marketing lexicon


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("a.txt", b"", "empty"),
        ("a.txt", b" \n\t\n", "empty"),
        ("a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("a.txt", "Magnesium für Nerven".encode("latin-1"), "not UTF-8"),
        ("a.pdf", b"%PDF-1.4 text", "only .txt and .html"),
        ("a.html", b"<html><script>x()</script></html>", "no readable text"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(name, data, message):
    with pytest.raises(ImportRefused, match=message):
        read_document(name, data)


def test_html_keeps_paragraphs_and_drops_scripts_styles_and_navigation():
    title, text = extract_html(
        "<html><head><title>Tab title</title><style>p{color:red}</style></head><body>"
        "<nav><a href='/'>Home</a> <a href='/shop'>Shop</a></nav><header>Site banner</header>"
        "<h1>Magnesium   and nerves</h1><p>First <b>paragraph</b> here.</p>"
        "<script>document.write('Magnesium cures all')</script><p>Second<br>line.</p>"
        "<aside>Buy our oil</aside><form><label>Email</label></form><footer>© Shop</footer></body></html>"
    )
    assert title == "Magnesium and nerves"
    assert text == "Magnesium and nerves\n\nFirst paragraph here.\n\nSecond\nline."


def test_a_txt_file_is_stored_as_read_with_unified_line_ends():
    assert read_document("a.txt", "\ufeffLine one.\r\nLine two.".encode())[1] == "Line one.\nLine two."


def test_page_chrome_is_boilerplate_not_claims():
    text = (
        "Cart 0\n\nThis store requires javascript to be enabled for some features to work correctly.\n\n"
        "Magnesium relieves nerve pain in 80% of patients.\n\n"
        "To learn more about our magnesium, check out the product page here.\n\n"
        "Magnesium spa bath\n\nAlso see..\n\nHow to relieve your muscle cramps\n\nChronic Pain and Magnesium"
    )
    draft = analyse("a.txt", text.encode())
    assert draft.boilerplate == [
        "Cart 0",
        "This store requires javascript to be enabled for some features to work correctly.",
        "To learn more about our magnesium, check out the product page here.",
        "Magnesium spa bath",
        "Also see..",
        "How to relieve your muscle cramps",
        "Chronic Pain and Magnesium",
    ]
    assert [c.quote for c in draft.claims] == ["Magnesium relieves nerve pain in 80% of patients."]
    assert draft.title == "Magnesium relieves nerve pain in 80% of patients."  # the first line that is not chrome


def test_claims_are_exact_text_between_their_offsets():
    text = "Intro line\n\nMagnesium reduces   migraine attacks (Shin 2020).  Why?\n  • It lowers cortisol in rats.\n"
    draft = analyse("a.txt", text.encode())
    assert [(c.quote, text[c.start : c.end]) for c in draft.claims] == [
        ("Magnesium reduces   migraine attacks (Shin 2020).", "Magnesium reduces   migraine attacks (Shin 2020)."),
        ("It lowers cortisol in rats.", "It lowers cortisol in rats."),
    ]


def test_questions_headings_and_advice_are_not_claims():
    text = "Does Magnesium Help Nerve Pain?\n\nMagnesium for Pain Relief\n\nYou should consult your doctor about doses."
    assert analyse("a.txt", text.encode()).claims == []


def test_a_reference_cut_off_by_the_segmenter_goes_back_to_its_sentence():
    text = "Deficient rats made more ROS, even without any stimulation. (Libako,2010)\u00a0 Increased magnesium helped."
    claims = analyse("a.txt", text.encode()).claims
    assert claims[0].quote.endswith("(Libako,2010)")
    assert [c.text for c in claims[0].citations] == ["(Libako,2010)"]


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_segments_are_the_sentences_pysbd_segment_finds(path):
    # segments() skips segment()'s per-sentence regular expressions; it must not change a sentence.
    lines = re.findall(r"[^\n]+", path.read_text())
    assert lines
    for line in lines:
        expected = [s.strip() for s in segmenter().segment(line) if s.strip()]
        assert [s.strip() for s in segments(line) if s.strip()] == expected


def test_a_sentence_printed_twice_is_suggested_once():
    text = "Magnesium lowers stress hormones.\n\nMagnesium lowers stress hormones.\n"
    assert len(analyse("a.txt", text.encode()).claims) == 1


@pytest.mark.parametrize(
    "text, expected",
    [
        ("levels rose (Thomas\u00a0et al., 2000).", [("(Thomas\u00a0et al., 2000)", "author-year", 2000)]),
        (
            "It helps (Shin 2020) and (Libako,2010).",
            [("(Shin 2020)", "author-year", 2020), ("(Libako,2010)", "author-year", 2010)],
        ),
        ("As Smith and Jones (1999) found.", [("Smith and Jones (1999)", "author-year", 1999)]),
        (
            "ion channels (6,8-12), stress (8,13,14) and [3].",
            [("(6,8-12)", "numbered", None), ("(8,13,14)", "numbered", None), ("[3]", "numbered", None)],
        ),
        (
            "A 2010 report from The Journal of Physiology said so.",
            [("A 2010 report from The Journal of Physiology", "publication", 2010)],
        ),
        (
            "There was a study published in Nutrients that said so.",
            [("a study published in Nutrients", "publication", None)],
        ),
        (
            "The Office of Dietary Supplements suggests food.",
            [("The Office of Dietary Supplements", "organisation", None)],
        ),
        ("It is recommended by the Arthritis Foundation.", [("the Arthritis Foundation", "organisation", None)]),
        ("See doi:10.1000/xyz123.", [("doi:10.1000/xyz123", "doi", None)]),
        ("See PMID: 12345678.", [("PMID: 12345678", "pmid", None)]),
        ("Levels (2010) and pH (MgSO4) are not references.", []),
    ],
)
def test_citations_are_found_as_written(text, expected):
    assert [(f.text, f.kind, f.year) for f in find_citations(text)] == expected


def test_doi_and_pmid_fields_are_filled_only_from_an_identifier_in_the_text():
    doi, pmid, named = find_citations("doi:10.1000/xyz123 and PMID: 12345678 and (Shin 2020)")
    assert (doi.doi, doi.pmid, pmid.pmid, pmid.doi, named.doi, named.pmid) == (
        "10.1000/xyz123",
        "",
        "12345678",
        "",
        "",
        "",
    )


@pytest.mark.parametrize(
    "sentence, topic",
    [
        ("Magnesium can prevent the onset of migraines.", "migraine"),
        ("It is safe to take up to 350 mg per day.", "dosage"),
        ("Magnesium glycinate is well absorbed.", "absorption"),
        ("Low magnesium levels are common.", "deficiency"),
        ("Magnesium plays a key role in brain plasticity and memory.", "cognition"),
        ("Magnesium is a cofactor in 300 enzymes.", "general"),
    ],
)
def test_topic_is_guessed_from_keywords(sentence, topic):
    assert guess_topic(sentence) == topic


def test_population_is_guessed_from_who_was_studied():
    assert guess_population("It reduced brain injury in rats.") == "animal"
    assert guess_population("Patients with migraine improved.") == "human"
    assert guess_population("In vitro, cells released fewer cytokines.") == "in_vitro"
    assert guess_population("Magnesium calms nerves.") == "unspecified"
