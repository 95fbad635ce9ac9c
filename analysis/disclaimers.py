"""
Regulatory boilerplate: the standard disclaimers supplement pages carry.

"These statements have not been evaluated by the Food and Drug Administration.
This product is not intended to diagnose, treat, cure or prevent any disease."
is not a health claim, and its "cure or prevent any disease" is not a disease
claim: the importer neither suggests such sentences as claims nor lets the
marketing detector flag them. But their presence matters to a regulator, so
they are recorded on the article (`Article.disclaimers`) and shown with it.

Each entry: a kind (what the disclaimer says, in plain words) and the phrases
that say it, as regular expressions matched case-insensitively. A sentence is
a disclaimer when a phrase matches and what is left of the sentence without
that phrase makes no claim of its own (importer.claim_signals): "Magnesium
cures migraines; consult your doctor before use" stays a claim.
"""

import re
from dataclasses import dataclass

from . import literals

# kind -> (what a reader is told it is, phrases)
KINDS = {
    "fda-not-evaluated": (
        "Statements not evaluated by the FDA",
        [
            r"(?:these|this|the\s+above)\s+statements?\s+(?:have|has)\s+not\s+been\s+evaluated\s+by\s+the\s+"
            r"(?:u\.?s\.?\s+)?(?:food\s+(?:and|&)\s+drug\s+administration|fda)",
        ],
    ),
    "not-intended-to-diagnose": (
        "Not intended to diagnose, treat, cure or prevent any disease",
        [
            r"(?:this|these|our)\s+(?:products?|supplements?|information|statements?)\s+(?:is|are)\s+not\s+intended\s+to\s+"
            r"diagnose,?\s+treat,?\s+cure,?\s+(?:or|and|&)\s+prevent\s+any\s+(?:disease|illness|condition)s?",
            r"not\s+intended\s+to\s+diagnose,?\s+treat,?\s+cure,?\s+(?:or|and|&)\s+prevent\s+any\s+(?:disease|illness)",
        ],
    ),
    "consult-a-professional": (
        "Consult a doctor or health professional",
        [
            r"(?:consult|talk\s+to|speak\s+(?:to|with)|check\s+with|ask|discuss\s+(?:it|this)?\s*with)\s+(?:with\s+)?"
            r"(?:your|a|a\s+qualified)\s+(?:doctor|physician|gp|pharmacist|health\s*care\s+(?:professional|provider|practitioner)"
            r"|health\s+(?:care\s+)?professional|medical\s+professional)",
            r"consulting\s+with\s+a\s+health\s*care\s+(?:provider|professional|practitioner)",
            r"discuss\s+with\s+your\s+health\s*care\s+(?:practitioner|provider|professional)",
        ],
    ),
    "results-may-vary": ("Individual results may vary", [r"(?:individual\s+)?results\s+(?:may|will|can)\s+vary"]),
    "read-the-label": (
        "Read the label; use only as directed",
        [
            r"always\s+read\s+(?:and\s+follow\s+)?the\s+label",
            r"use\s+only\s+as\s+directed",
            r"follow\s+the\s+directions\s+for\s+use",
        ],
    ),
    "symptoms-persist": (
        "If symptoms persist, see a health professional",
        [r"if\s+symptoms\s+persist"],
    ),
    "not-medical-advice": (
        "Not medical advice",
        [
            r"(?:is|does)\s+not\s+(?:intended\s+(?:as|to\s+be)\s+|constitute\s+|a\s+substitute\s+for\s+)"
            r"(?:a\s+substitute\s+for\s+)?(?:professional\s+)?medical\s+advice",
            r"for\s+(?:informational|educational)\s+purposes\s+only",
        ],
    ),
    "keep-out-of-reach": ("Keep out of reach of children", [r"keep\s+out\s+of\s+(?:the\s+)?reach\s+of\s+children"]),
    "not-a-substitute-for-diet": (
        "Supplements do not replace a balanced diet",
        [
            r"(?:food\s+|dietary\s+)?supplements?\s+should\s+not\s+(?:be\s+used\s+(?:as\s+a\s+substitute\s+for|to\s+replace)|replace)\s+"
            r"a\s+(?:varied|balanced)",
        ],
    ),
    "pregnancy-caution": (
        "Pregnant or nursing: ask a doctor first",
        [r"if\s+you\s+are\s+pregnant,?\s+(?:or\s+)?(?:nursing|breast-?feeding|planning)"],
    ),
}

_PATTERNS = [
    (kind, re.compile(rf"(?<!\w){phrase}(?!\w)", re.IGNORECASE))
    for kind, (_, phrases) in KINDS.items()
    for phrase in phrases
]


@dataclass(frozen=True)
class Disclaimer:
    kind: str
    start: int  # offsets into the article's text
    end: int
    text: str

    @property
    def label(self):
        return KINDS[self.kind][0]

    def as_dict(self):
        return {"kind": self.kind, "label": self.label, "text": self.text, "start": self.start, "end": self.end}


# Matches where any of _PATTERNS does: one scan tells that a sentence (most of them) holds none.
_ANY = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in _PATTERNS), re.IGNORECASE)
# A word of which each phrase needs one ("evaluated", "consult", …): looking for these is quicker still.
_ANY_NEEDS = literals.required(_ANY)


def matches(sentence):
    """[(kind, start, end)] of the disclaimer phrases in `sentence` (offsets into it), in order."""
    if not literals.may_match(_ANY_NEEDS, literals.folded(sentence)) or not _ANY.search(sentence):
        return []
    found = [(kind, m.start(), m.end()) for kind, pattern in _PATTERNS for m in pattern.finditer(sentence)]
    return sorted(found, key=lambda hit: hit[1])


def without(sentence, hits):
    """`sentence` with the matched phrases taken out: what else it says."""
    parts, at = [], 0
    for _, start, end in hits:
        if start >= at:
            parts.append(sentence[at:start])
            at = end
    parts.append(sentence[at:])
    return " ".join(" ".join(parts).split())
