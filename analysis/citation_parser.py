"""
Finding the sources an article cites, recorded exactly as written.

Used by the importer (to attach citations to suggested claims) and by the
marketing detector (a "studies show" followed by a real reference is not
vague authority). Nothing here guesses a DOI or PMID: those fields are filled
only from a DOI or PMID string that is actually in the text.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from claims.models import normalize_doi, normalize_pmid

from . import literals

# An author surname (capitalised; may hold an apostrophe or hyphen).
_NAME = r"[A-Z][\w'’\-]+"
# "Thomas et al., 2000", "Shin 2020", "Libako,2010", "Smith and Jones 1999", "Smith & Jones, 1999a"
_NAME_YEAR = rf"{_NAME}(?:\s+(?:et\s+al\.?|and|&)(?:\s+{_NAME})?)?\s*,?\s*(?:19|20)\d{{2}}[a-z]?"

AUTHOR_YEAR = re.compile(rf"\(\s*{_NAME_YEAR}(?:\s*;\s*{_NAME_YEAR})*\s*\)")
# "Thomas et al. (2000)", "Smith and Jones (1999)". A lone "Word (2010)" is too often not a citation.
NARRATIVE_AUTHOR_YEAR = re.compile(rf"\b{_NAME}(?:\s+et\s+al\.?|\s+(?:and|&)\s+{_NAME})\s+\((?:19|20)\d{{2}}[a-z]?\)")
# "(1)", "(6,8-12)", "[3]", "[4–6]": at most three digits, so a year in brackets is not one.
NUMBERED = re.compile(r"[(\[]\s*\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\s*[)\]]")
DOI = re.compile(r"(?:\bdoi:\s*|https?://(?:dx\.)?doi\.org/)?\b10\.\d{4,9}/[^\s\"'<>]+", re.IGNORECASE)
PMID = re.compile(
    r"\bPMID:?\s*[1-9]\d{0,8}\b|https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/[1-9]\d{0,8}/?",
    re.IGNORECASE,
)
_TITLE_WORDS = r"[A-Z][\w&’'\-]*(?:\s+(?:of|and|for|on|in|&)\s+[A-Z][\w&’'\-]*|\s+[A-Z][\w&’'\-]*)*"
# "A 2010 report from The Journal of Physiology", "a study published in Nutrients",
# "one article in Psychology Today"
NAMED_PUBLICATION = re.compile(
    r"\b(?i:a|an|one|another|the|this|that)\s+(?:(?:19|20)\d{2}\s+)?"
    r"(?i:study|report|review|article|paper|trial|meta-analysis|survey|analysis)\s+"
    r"(?:(?i:published|appearing)\s+)?(?i:in|from|by)\s+(?:[Tt]he\s+)?" + _TITLE_WORDS
)
_ORG_WORD = (
    r"(?:Foundation|Institutes?|Office|Association|Society|Organi[sz]ation|Council|Academy|Agency|"
    r"Administration|Cent(?:er|re)s?|College|University|Clinic|Ministry|Department|Commission|Federation)"
)
# "the Arthritis Foundation", "The Office of Dietary Supplements", "The Foundation for Peripheral Neuropathy"
NAMED_ORGANISATION = re.compile(
    rf"\b(?:[Tt]he\s+)?(?:(?:{_NAME}\s+){{1,4}}{_ORG_WORD}(?:\s+(?:for|of|on)\s+(?:the\s+)?{_TITLE_WORDS})?"
    rf"|{_ORG_WORD}\s+(?:for|of|on)\s+(?:the\s+)?{_TITLE_WORDS})"
)

# Kinds, in order of preference when two matches overlap.
KINDS = [
    ("doi", DOI),
    ("pmid", PMID),
    ("author-year", AUTHOR_YEAR),
    ("author-year", NARRATIVE_AUTHOR_YEAR),
    ("numbered", NUMBERED),
    ("publication", NAMED_PUBLICATION),
    ("organisation", NAMED_ORGANISATION),
]
# Kinds that identify a study precisely enough that "studies show" beside them is not vague.
SPECIFIC_KINDS = {"doi", "pmid", "author-year", "numbered"}
# The words each kind's matches need ("10." for a DOI, "pmid" or the PubMed address): a sentence
# lacking them is not searched. Brackets and two-letter words are too common to be worth asking.
_NEEDS = [tuple(c for c in literals.required(pattern) if min(map(len, c)) >= 3) for _, pattern in KINDS]
_TRAILING = ".,;:"
_YEAR = re.compile(r"\b(19|20)\d{2}\b")


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    text: str
    kind: str

    @property
    def doi(self):
        return _identifier(self, "doi", normalize_doi)

    @property
    def pmid(self):
        if self.kind != "pmid":
            return ""
        digits = re.search(r"[1-9]\d{0,8}", self.text)
        return _identifier(self, "pmid", normalize_pmid, digits.group(0) if digits else "")

    @property
    def year(self):
        if self.kind not in {"author-year", "publication"}:
            return None
        match = _YEAR.search(self.text)
        return int(match.group(0)) if match else None


def _identifier(found, kind, normalize, value=None):
    if found.kind != kind:
        return ""
    try:
        return normalize(value if value is not None else found.text)
    except ValidationError:
        return ""


def _trim(text, start, end):
    """Drop trailing sentence punctuation, and a closing bracket the match did not open."""
    while end > start and (
        text[end - 1] in _TRAILING
        or (text[end - 1] == ")" and text.count("(", start, end) < text.count(")", start, end))
    ):
        end -= 1
    return end


def find_citations(text, start=0, end=None):
    """Every citation in text[start:end], left to right, overlaps resolved in favour of the more specific kind."""
    end = len(text) if end is None else end
    found = []
    folded = literals.folded(text[start:end])
    for (kind, pattern), needs in zip(KINDS, _NEEDS, strict=True):
        if needs and not literals.may_match(needs, folded):
            continue
        for match in pattern.finditer(text, start, end):
            s, e = match.start(), match.end()
            if kind in {"doi", "publication", "organisation"}:
                e = _trim(text, s, e)
            if e <= s or any(s < f.end and f.start < e for f in found):
                continue
            found.append(Found(s, e, text[s:e], kind))
    return sorted(found, key=lambda f: f.start)


def cites_specific_source(text, start, end):
    return any(f.kind in SPECIFIC_KINDS for f in find_citations(text, start, end))
