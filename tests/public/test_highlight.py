"""public.highlight: article text as HTML with overlapping claim and flag spans, properly nested."""

import re
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from public.highlight import ClaimSpan, FlagSpan, Span, render
from tests.public_pages import Page


@dataclass
class Tag(Span):
    """A span that renders as <b data-n=name>, marking its first and last fragments."""

    name: str = ""

    def opening(self, first):
        return f'<b data-n="{self.name}"{" data-first" if first else ""}>'

    def closing(self, last):
        return f'<i data-end="{self.name}"></i></b>' if last else "</b>"


def text_of(html):
    return re.sub(r"<[^>]+>", "", html)


def covered(html, name):
    """The text inside every fragment of span `name`, joined (fragments nest, so count depth)."""
    out, depth = [], 0
    for token in re.split(r"(<[^>]+>)", html):
        if token.startswith(f'<b data-n="{name}"'):
            depth = 1
        elif depth and token.startswith("<b"):
            depth += 1
        elif depth and token == "</b>":
            depth -= 1
        elif depth and not token.startswith("<"):
            out.append(token)
    return "".join(out)


def test_plain_text_becomes_paragraphs_one_per_line():
    assert render("One.\n\nTwo.\nThree.", []) == "<p>One.</p>\n<p>Two.</p>\n<p>Three.</p>\n"


def test_text_is_escaped():
    html = render('<script>alert(1)</script> "><img onerror=x>', [])
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img onerror=x&gt;" in html


def test_overlapping_spans_are_split_into_nested_fragments():
    text = "abcdefghij"
    html = render(text, [Tag(0, 6, name="A"), Tag(3, 9, name="B")])
    assert Page(html).errors == []
    assert covered(html, "A") == "abcdef"
    assert covered(html, "B") == "defghi"
    assert text_of(html) == "abcdefghij\n"


def test_each_span_has_exactly_one_first_and_one_last_fragment():
    html = render("abcdefghij", [Tag(0, 6, name="A"), Tag(3, 9, name="B"), Tag(2, 4, name="C")])
    for name in "ABC":
        assert html.count(f'<b data-n="{name}" data-first>') == 1
        assert html.count(f'<i data-end="{name}">') == 1


def test_a_span_crossing_a_paragraph_break_is_closed_and_reopened():
    html = render("first line.\n\nsecond line.", [Tag(6, 19, name="A")])
    assert html.split("\n") == [
        '<p>first <b data-n="A" data-first>line.</b></p>',
        '<p><b data-n="A">second<i data-end="A"></i></b> line.</p>',
        "",
    ]


def test_a_span_ending_in_whitespace_between_paragraphs_still_gets_its_last_fragment():
    html = render("first line \n\nsecond", [Tag(6, 12, name="A")])
    assert '<i data-end="A">' in html
    assert covered(html, "A") == "line"


def test_spans_out_of_range_or_empty_are_dropped():
    html = render("Short one.", [Tag(3, 3, name="A"), Tag(10, 20, name="B"), Tag(-1, 2, name="C")])
    assert html == "<p>Short one.</p>\n"


def test_claim_spans_link_to_the_claim_and_never_nest_links():
    claim_a = ClaimSpan(start=0, end=20, pk=1, strength="high", verdict="supports")
    claim_b = ClaimSpan(start=10, end=30, pk=2)
    flag = FlagSpan(start=5, end=25, category="hype")
    html = render("x" * 40, [claim_a, claim_b, flag])
    parsed = Page(html)
    assert parsed.errors == []
    assert [a["href"] for a in parsed.find_all("a")] == ["/claims/1/", "/claims/2/"]
    assert html.count('id="claim-1"') == 1 and html.count('id="claim-2"') == 1
    assert re.search(r"<a [^>]*>(?:(?!</a>).)*<a ", html) is None


def test_a_claim_under_review_shows_its_label_but_no_rating():
    html = render("Magnesium cures all.", [ClaimSpan(start=0, end=20, pk=7)])
    assert "s-under_review" in html
    assert "Under review" in html
    for rating_word in ("High", "Moderate", "Low", "Very low", "No evidence", "supports"):
        assert rating_word.lower() not in html.lower()


def test_a_finalized_claim_shows_its_strength_as_text():
    html = render("Magnesium cures all.", [ClaimSpan(start=0, end=20, pk=7, strength="none", verdict="not_found")])
    assert '<span class="badge s-none">No evidence</span>' in html
    assert "Claim 7: no evidence. Cited study not found." in html


def test_a_flag_carries_its_category_as_text():
    html = render("So natural.", [FlagSpan(start=3, end=10, category="appeal-to-nature")])
    assert "(marketing language: Appeal to nature)" in html


def test_short_unpunctuated_lines_and_bullets_get_a_class_not_a_structure():
    html = render("Cart 0\nDoes it help?\n  • Nuts\nA sentence. Another one.", [])
    assert html == (
        '<p class="article-subhead">Cart 0</p>\n'
        '<p class="article-subhead">Does it help?</p>\n'
        '<p class="article-bullet">• Nuts</p>\n'
        "<p>A sentence. Another one.</p>\n"
    )


spans = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=8)


@given(text=st.text(alphabet="ab <>&\"'\n", max_size=40), bounds=spans)
def test_any_spans_render_well_formed_html_with_every_character_kept(text, bounds):
    tags = [Tag(start, end, name=str(i)) for i, (start, end) in enumerate(bounds)]
    html = render(text, tags)
    assert Page(html).errors == []
    shown = "".join(line.strip() for line in text.split("\n") if line.strip())
    assert text_of(html).replace("\n", "") == (
        shown.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )
