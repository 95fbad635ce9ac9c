"""
An article's text as HTML, with its public claims and confirmed marketing flags highlighted.

Claims and flags are spans of the text that may nest or overlap partially, and a
span may cross a paragraph break. HTML elements must nest, so a span that is cut
by the end of another (or by a paragraph break) is closed and reopened: one span
can become several fragments. Only the first fragment of a claim carries its
id (the anchor the claim page links to); only the last carries the link to the
claim page with its rating, so the links never nest.

Every piece of article text and every value put in the markup goes through
escape() (html.escape, which is what Django's escape() wraps: called directly,
as format_html() and reverse() per claim were most of the time of an article
with 2,000 claims). One pass over the text, no queries.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import cache
from html import escape
from itertools import pairwise
from re import compile as re_compile

from django.utils.safestring import mark_safe

from claims.models import UNDER_REVIEW_KEY, EvidenceStrength, MarketingCategory, Verdict, evidence_phrase
from claims.urlcache import cached_reverse, reverser

STRENGTH_LABELS = dict(EvidenceStrength.choices) | {UNDER_REVIEW_KEY: "Under review"}
VERDICT_LABELS = dict(Verdict.choices)
CATEGORY_LABELS = dict(MarketingCategory.choices)


@dataclass
class Span:
    start: int
    end: int
    order: int = field(default=0)  # claims (0) wrap flags (1) on the same extent

    def opening(self, first):
        raise NotImplementedError

    def closing(self, last):
        raise NotImplementedError


@dataclass
class ClaimSpan(Span):
    pk: int = 0
    strength: str = UNDER_REVIEW_KEY  # a public strength: never a rating before finalization
    verdict: str = ""
    order: int = 0

    url: str = ""  # the claim page; reverse()d when not given

    @classmethod
    def for_claim(cls, row, url=""):
        """row: a claim as a dict of id, start, end, published_strength and consensus__verdict."""
        strength = row["published_strength"]
        return cls(
            url=url,
            start=row["start"],
            end=row["end"],
            pk=row["id"],
            strength=strength,
            # published_strength is a rating only for a finalized claim; otherwise no verdict shows.
            verdict=row["consensus__verdict"] if strength != UNDER_REVIEW_KEY else "",
        )

    def opening(self, first):
        if first:
            return f'<mark class="hl hl-claim s-{escape(self.strength)}" id="claim-{int(self.pk)}">'
        return f'<mark class="hl hl-claim s-{escape(self.strength)}">'

    def closing(self, last):
        if not last:
            return "</mark>"
        badge, rating = _claim_link_parts(self.strength, self.verdict)
        url = self.url or cached_reverse("claim_detail", self.pk)
        return (
            f'<a class="claim-ref" href="{escape(url)}">{badge}'
            f'<span class="tip"> Claim {int(self.pk)}{rating} Open the claim page.</span></a></mark>'
        )


@cache
def _claim_link_parts(strength, verdict):
    """
    The badge and the rating sentence of a claim's link, escaped: the same for
    every claim with this rating, so built once, not for each of thousands.
    """
    badge = f'<span class="badge s-{escape(strength)}">{escape(STRENGTH_LABELS[strength])}</span>'
    if strength == UNDER_REVIEW_KEY:
        rating = " is under review: not rated yet."
    else:
        rating = f": {evidence_phrase(strength)}. {VERDICT_LABELS.get(verdict, '')}."
    return badge, escape(rating)


@dataclass
class CueSpan(Span):
    """A cue word of the automatic wording reading, inside a quote."""

    order: int = 2

    def opening(self, first):
        return '<b class="cue">'

    def closing(self, last):
        return "</b>"


def _cue_spans(cues, length):
    """The automatic reading's cue words, [[text, start, end], ...] in a quote, as spans within its first `length`."""
    return [CueSpan(start=start, end=min(end, length)) for _t, start, end in cues if 0 <= start < min(end, length)]


def reading_cues_html(text, cues):
    """text (a claim's quote) with the automatic reading's cue words marked."""
    return mark_safe("".join(_render_paragraph(text, 0, len(text), _cue_spans(cues, len(text)))))  # noqa: S308


@dataclass
class FlagSpan(Span):
    category: str = ""
    order: int = 1

    @classmethod
    def for_flag(cls, row):
        """row: a flag as a dict of start, end and category."""
        return cls(start=row["start"], end=row["end"], category=row["category"])

    def opening(self, first):
        return f'<mark class="hl hl-flag flag-{escape(self.category)}">'

    def closing(self, last):
        if not last:
            return "</mark>"
        label = CATEGORY_LABELS.get(self.category, self.category)
        return f'<span class="flag-label"> (marketing language: {escape(label)})</span></mark>'


def article_html(text, claims=(), flags=()):
    """
    The article text as <p> paragraphs (one per non-blank line), claims and flags marked.
    claims and flags: rows (dicts) as ClaimSpan.for_claim and FlagSpan.for_flag take them.
    """
    # The route looked up once, the id put in per claim: reverse() per claim showed in long articles' profiles.
    claim_url = reverser("claim_detail")
    spans = [ClaimSpan.for_claim(c, url=claim_url(c["id"])) for c in claims]
    spans += [FlagSpan.for_flag(f) for f in flags]
    return render(text, spans)


WORD = re_compile(r"\S+")


def quote_html(quote, quote_start, flags=(), max_words=60, cues=()):
    """
    A claim's quote as HTML for its card, with the marketing flags that fall inside
    it marked as in the article text, and the automatic reading's cue words
    (offsets in the quote). quote_start: the quote's offset in its
    article (flags' offsets are the article's). Cut after
    max_words words with " …", as the truncatewords filter cuts; a flag is cut there too.
    """
    words = list(WORD.finditer(quote))
    text = quote[: words[max_words - 1].end()] if len(words) > max_words else quote
    spans = []
    for flag in flags:
        start, end = max(flag.start - quote_start, 0), min(flag.end - quote_start, len(text))
        if start < end:
            spans.append(FlagSpan(start=start, end=end, category=flag.category))
    spans += _cue_spans(cues, len(text))
    html = "".join(_render_paragraph(text, 0, len(text), spans))
    if len(text) < len(quote):
        html += " …"
    return mark_safe(html)  # noqa: S308 -- every text segment is escaped in _render_paragraph


def render(text, spans):
    paragraphs = list(_paragraphs(text))
    starts = [lo for lo, _ in paragraphs]
    spans = sorted(
        filter(None, (_snap(span, paragraphs, starts) for span in spans)),
        key=lambda s: (s.start, -s.end, s.order),
    )
    html = []
    pending = 0  # index of the first span not yet reached
    carried = []  # spans that started in an earlier paragraph and continue
    for line_start, line_end in paragraphs:
        while pending < len(spans) and spans[pending].start < line_end:
            carried.append(spans[pending])
            pending += 1
        html.append(_paragraph_tag(text[line_start:line_end]))
        html.extend(_render_paragraph(text, line_start, line_end, carried))
        html.append("</p>\n")
        carried = [s for s in carried if s.end > line_end]
    return mark_safe("".join(html))  # noqa: S308 -- every text segment is escaped in _render_paragraph


def _paragraphs(text):
    """(start, end) of each non-blank line, leading and trailing spaces trimmed."""
    start = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            yield start + lead, start + lead + len(stripped)
        start += len(line) + 1


BULLETS = ("• ", "· ", "- ", "* ", "– ")
SENTENCE_END = tuple('.,;:!"”’)…')


def _paragraph_tag(line):
    """
    <p>, with a class for the look of the line: a list item, or a short line
    without sentence punctuation (a subheading, or page chrome such as 'Cart 0').
    Only a look: the text's structure is not known, so no <h*> or <li> is claimed.
    """
    if line.startswith(BULLETS):
        return '<p class="article-bullet">'
    if len(line) <= 90 and not line.endswith(SENTENCE_END) and ". " not in line:
        return '<p class="article-subhead">'
    return "<p>"


def _snap(span, paragraphs, starts):
    """
    The span moved inside the rendered text: a start or end that falls in the
    whitespace between paragraphs moves to the nearest shown character, so that
    the first and last fragments (the anchor and the link) are always rendered.
    None if nothing of the span is shown, or its offsets are out of range.
    """
    if not 0 <= span.start < span.end:
        return None
    i = bisect_right(starts, span.start) - 1  # paragraph at or before the start
    start = span.start
    if i < 0 or start >= paragraphs[i][1]:
        if i + 1 >= len(paragraphs):
            return None
        start = paragraphs[i + 1][0]
    j = bisect_left(starts, span.end) - 1  # last paragraph beginning before the end
    if j < 0:
        return None
    end = min(span.end, paragraphs[j][1])
    if start >= end:
        return None
    if start == span.start and end == span.end:
        return span  # most spans: no copy needed
    return replace(span, start=start, end=end)


def _render_paragraph(text, lo, hi, spans):
    def clipped_end(span):
        return min(span.end, hi)

    points = {lo, hi}
    for span in spans:
        points.update((max(span.start, lo), clipped_end(span)))
    points = sorted(points)

    out = []
    stack = []
    waiting = sorted(spans, key=lambda s: (max(s.start, lo), -s.end, s.order))
    next_waiting = 0  # waiting[:next_waiting] are open or done: every start is a point, visited in order
    for a, b in pairwise(points):
        # Close every span that ends here, and whatever is open inside it.
        ended = next((i for i, s in enumerate(stack) if clipped_end(s) <= a), None)
        reopen = []
        if ended is not None:
            for span in reversed(stack[ended:]):
                out.append(span.closing(last=span.end == a))
                if clipped_end(span) > a:
                    reopen.append(span)
            del stack[ended:]
        starting = []
        while next_waiting < len(waiting) and max(waiting[next_waiting].start, lo) == a:
            starting.append(waiting[next_waiting])
            next_waiting += 1
        # Longer spans outside, so later ends cut as few fragments as possible.
        for span in sorted(reopen + starting, key=lambda s: (-s.end, s.order, s.start)):
            out.append(span.opening(first=span.start == a))
            stack.append(span)
        out.append(escape(text[a:b]))
    for span in reversed(stack):
        out.append(span.closing(last=span.end == hi))
    return out
