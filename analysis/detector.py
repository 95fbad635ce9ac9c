"""
The marketing-language detector: the lexicon (MarketingPattern rows) run over
an article's text, plus one signal no lexicon can hold — health statements
SHOUTED IN CAPITALS.

The detector only finds; analysis.suggestions.record_flag_suggestions() records.
Reviewers decide.
"""

import functools
import re
from dataclasses import dataclass

from claims.models import MarketingCategory, MarketingPattern

from . import literals
from .citation_parser import cites_specific_source

# Three or more shouted words in a row ("TREATS BOTH SYMPTOMS AND CAUSES").
# Words of two letters or more, so "A" or a lone initial does not start a run.
SHOUTED_RUN = re.compile(r"\b[A-Z][A-Z'’\-]+(?:[ \t]+[A-Z][A-Z'’\-]+){2,}\b")
SHOUTED_CATEGORY = MarketingCategory.HYPE
# Categories that are assertions: a heading or a question does not assert them.
ASSERTIONS = {MarketingCategory.DISEASE_CLAIM, MarketingCategory.VAGUE_AUTHORITY, MarketingCategory.CAUSAL_OVERREACH}
HEADING_MAX_WORDS = 12
# How far past a "studies show" to look for the study it names (the rest of the sentence).
_SENTENCE_WINDOW = 400
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_OPEN_QUOTE = re.compile(r"[“\"]")
_CLOSE_QUOTE = {"“": "”", '"': '"'}


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    text: str
    category: str
    pattern_id: int | None = None

    def as_dict(self):
        return {"start": self.start, "end": self.end, "text": self.text, "category": self.category}


def compile_pattern(pattern, is_regex):
    """A phrase matches as whole words, any case, any run of spaces; ' also matches ’."""
    if is_regex:
        return re.compile(pattern, re.IGNORECASE)
    words = ["".join("['’]" if ch in "'’" else re.escape(ch) for ch in word) for word in pattern.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


@functools.lru_cache(maxsize=1024)
def _compiled(pattern, is_regex):
    """(regex, the strings its matches need, those they start with): worked out once, not once per import."""
    regex = compile_pattern(pattern, is_regex)
    return regex, literals.required(regex), literals.starts(regex)


class Detector:
    """Compile the enabled lexicon once; find() is then pure and can run over many texts."""

    def __init__(self, patterns):
        self.rules = []
        self.invalid = []  # patterns that do not compile: reported, never fatal
        for p in patterns:
            try:
                self.rules.append((*_compiled(p.pattern, p.is_regex), p.category, p.pk))
            except re.error:
                self.invalid.append(p)

    @classmethod
    def from_lexicon(cls):
        return cls(MarketingPattern.objects.filter(enabled=True).order_by("pk"))

    def find(self, text):
        """Hits sorted by position; overlapping hits of one category merged into one."""
        raw = []
        # Most patterns cannot match most texts: the screen says which can, and where they can start.
        screen = literals.Screen(text)
        for regex, required, starts, category, pk in self.rules:
            for match in screen.finditer(regex, required, starts):
                if match.end() == match.start():
                    continue
                if category in ASSERTIONS and in_heading_or_question(text, match.start(), match.end()):
                    continue
                if category == MarketingCategory.VAGUE_AUTHORITY and self._names_its_source(text, match.end()):
                    continue
                raw.append((match.start(), match.end(), category, pk))
        raw.extend((s, e, SHOUTED_CATEGORY, None) for s, e in shouted_statements(text))
        return merge_overlapping(text, raw)

    @staticmethod
    def _names_its_source(text, end):
        """
        'Studies show …' is not vague when the sentence cites a study: '… (Shin 2020).'
        A quotation that opens in the sentence counts as part of it, up to its closing mark.
        """
        window_end = min(len(text), end + _SENTENCE_WINDOW)
        sentence_end = _SENTENCE_END.search(text, end, window_end)
        stop = window_end if sentence_end is None else sentence_end.end()
        opening = _OPEN_QUOTE.search(text, end, stop)
        if opening:
            closing = text.find(_CLOSE_QUOTE[opening.group(0)], opening.end(), window_end)
            stop = max(stop, closing + 1) if closing != -1 else window_end
        return cites_specific_source(text, end, min(window_end, stop + 20))


def _short_line(text, start, end, limit=300):
    """The line holding text[start:end], stripped, or None when the line is longer than `limit`."""
    before = text.rfind("\n", max(0, start - limit), start)
    if before == -1 and start > limit:
        return None
    after = text.find("\n", end, end + limit)
    if after == -1 and len(text) > end + limit:
        return None
    line = text[before + 1 : len(text) if after == -1 else after]
    return line.strip() if len(line) <= limit else None


def in_heading_or_question(text, start, end):
    """True when the span sits in a short line without closing punctuation (a heading) or in a question."""
    line = _short_line(text, start, end)
    if line and line[-1] not in '.!?:;,"”’)' and len(line.split()) <= HEADING_MAX_WORDS:
        return True
    sentence_end = _SENTENCE_END.search(text, end, min(len(text), end + _SENTENCE_WINDOW))
    if sentence_end and "\n" in text[end : sentence_end.start()]:
        return False  # the sentence ended at a line break without punctuation
    return bool(sentence_end and sentence_end.group(0) == "?")


def shouted_statements(text):
    """Spans of capitals inside running text. A line that is nothing but capitals is a heading, not shouting."""
    for match in SHOUTED_RUN.finditer(text):
        line = _short_line(text, match.start(), match.end())
        if line is not None and line.strip(" \t:.-–—•*#") == match.group(0):
            continue
        if not any(len(word) >= 5 for word in match.group(0).split()):
            continue  # runs of acronyms ("NMDA GABA ATP")
        yield match.start(), match.end()


def merge_overlapping(text, raw):
    hits = []
    for category in sorted({c for _, _, c, _ in raw}):
        spans = sorted((s, e, pk) for s, e, c, pk in raw if c == category)
        current = None
        for s, e, pk in spans:
            if current and s < current[1]:
                current = (current[0], max(current[1], e), current[2])
            else:
                if current:
                    hits.append(current + (category,))
                current = (s, e, pk)
        if current:
            hits.append(current + (category,))
    return sorted(
        (Hit(s, e, text[s:e], category, pk) for s, e, pk, category in hits), key=lambda h: (h.start, h.end, h.category)
    )
