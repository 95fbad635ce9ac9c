"""
What evidence an article itself invokes for a claim: a review, a trial in people, an
observational study, animals, cells, a study of unstated kind, a testimonial, an authority
without a study, or none. Rule-based and explainable, like the wording classifier: the hint
comes with the words that produced it and their offsets.

    >>> text = "Magnesium calms nerves. In one study, mice given magnesium slept longer."
    >>> reading = read(text, 0, 23)
    >>> reading.hint == EvidenceHint.ANIMAL, [c.text for c in reading.cues]
    (True, ['study', 'mice'])

The scope is the claim's paragraph (the lines around the quote, up to the blank lines or line
breaks that bound it): marketing pages state a claim in one sentence and name the study in the
next. When the paragraph mentions several kinds, the hint is the first of EvidenceHint's order
(people before animals and cells, those before a study of unstated kind, before testimonials
and authorities), and the cues are those of the kinds from there on that were found, so a
reader sees "study" beside "mice". It is a hint for reviewers and readers: the reviewers'
population and the cited studies' design are separate, reviewed data.
"""

import re
from typing import NamedTuple

from claims.choices import EvidenceHint

from . import literals


class Cue(NamedTuple):
    text: str
    start: int
    end: int


class EvidenceReading(NamedTuple):
    hint: EvidenceHint
    cues: tuple[Cue, ...] = ()


_PEOPLE = r"(?:people|patients|adults|participants|subjects|volunteers|women|men|children|individuals|athletes)"
_SAY = (
    r"(?:say|says|said|agree|agrees|recommend|recommends|recommended|believe|believes|"
    r"advise|advises|suggest|suggests|prescribe|prescribes)"
)
_PROFESSIONALS = (
    r"(?:experts?|doctors?|physicians?|nutritionists?|dietitians?|naturopaths?|neurologists?|"
    r"health (?:professionals?|experts?|practitioners?)|practitioners?|specialists?|clinicians?)"
)

# Kind -> patterns, matched case-insensitively on word boundaries.
PATTERNS = {
    EvidenceHint.REVIEW: [
        r"meta-?analys[ie]s",
        r"systematic reviews?",
        r"pooled analys[ie]s",
        r"cochrane",
        r"(?:review|analysis|overview) of (?:\d+ |several |many |multiple |the )?(?:studies|trials|research|evidence)",
    ],
    EvidenceHint.HUMAN_TRIAL: [
        r"randomi[sz]ed",
        r"placebo(?:-controlled)?",
        r"double-blind(?:ed)?",
        r"(?:clinical|controlled|human|crossover) trials?",
        r"RCTs?",
        rf"trials? (?:in|with|of|among|on) (?:\w+ )?{_PEOPLE}",
        rf"{_PEOPLE} (?:who )?(?:were given|received|receiving|took|taking|supplemented)",
    ],
    EvidenceHint.HUMAN_OBSERVATIONAL: [
        r"cohort(?: stud(?:y|ies))?",
        r"observational(?: stud(?:y|ies))?",
        r"cross-sectional",
        r"case-control",
        r"epidemiological(?: stud(?:y|ies))?",
        r"population(?:-based)? stud(?:y|ies)",
        r"surveys?",
        rf"{_PEOPLE} (?:with|who have|who had) (?:low|lower|high|higher|reduced|deficient|adequate)",
    ],
    EvidenceHint.ANIMAL: [
        r"rats?",
        r"mice",
        r"mouse",
        r"rodents?",
        r"animal (?:stud(?:y|ies)|models?|research|experiments?|trials?)",
        r"in animals",
        r"(?:dogs|pigs|piglets|rabbits|guinea pigs|monkeys|primates|zebrafish)",
    ],
    EvidenceHint.IN_VITRO: [
        r"in vitro",
        r"cell cultures?",
        r"cultured (?:cells|neurons|tissue)",
        r"test[- ]tubes?",
        r"petri dish(?:es)?",
        r"isolated (?:cells|neurons|tissue)",
    ],
    EvidenceHint.STUDY: [
        r"stud(?:y|ies)",
        r"research(?:ers)?",
        r"trials?",
        r"scientists (?:found|discovered|showed|have shown)",
        r"evidence (?:shows|suggests|indicates)",
        r"journal of [A-Z]?\w+",
        r"published in",
        # A citation as articles write them: (Shin 2020), (Thomas et al., 2000), [12].
        r"\([A-Z][\w'\-]+(?: (?:et al\.?|and [A-Z][\w'\-]+))?,? (?:19|20)\d\d[a-z]?\)",
        r"\[\d+(?:[,–-]\s?\d+)*\]",
    ],
    EvidenceHint.TESTIMONIAL: [
        r"I(?:'ve| have| had| was| felt| noticed| started| take| took| tried| swear)",
        r"my (?:patients|clients|customers|husband|wife|mother|father|mom|dad|friend|daughter|son|doctor)",
        r"(?:customers?|users?|readers?|clients?) (?:say|report|love|rave|swear)",
        r"testimonials?",
        r"anecdot\w*",
        r"(?:many|some|most|countless) people (?:say|report|swear|find|notice|claim)",
        r"swear by",
    ],
    EvidenceHint.AUTHORITY: [
        rf"{_PROFESSIONALS} (?:often |commonly |generally |now |also )?{_SAY}",
        r"(?:is|are) (?:often |commonly |widely |frequently )?(?:recommended|prescribed)",
        rf"according to (?:many |most |some )?(?:{_PROFESSIONALS}|Dr\.?)",
        r"Dr\.? [A-Z][a-z]+",
        r"scientists (?:say|believe|agree)",
    ],
}

_COMPILED = {
    kind: re.compile(r"\b(?:" + "|".join(p for p in patterns) + r")(?!\w)", re.IGNORECASE)
    for kind, patterns in PATTERNS.items()
}
# The citation patterns start with a bracket, which \b would not precede.
_CITATION = re.compile("|".join(PATTERNS[EvidenceHint.STUDY][-2:]))
_ORDER = [kind for kind in EvidenceHint if kind != EvidenceHint.NONE]
# The words each kind's matches need: most paragraphs lack those of most kinds, and looking for
# a word is quicker than trying a pattern at every character.
_NEEDS = {kind: literals.required(regex) for kind, regex in _COMPILED.items()}
_CITATION_NEEDS = literals.required(_CITATION)


def paragraph_bounds(text, start, end):
    """The paragraph around text[start:end]: from the line break before it to the one after."""
    before = text.rfind("\n", 0, start) + 1
    after = text.find("\n", end)
    return before, len(text) if after == -1 else after


def _found(text, start, end):
    """Kind -> [Cue] of every kind mentioned in text[start:end] (offsets into text)."""
    found = {}
    segment = text[start:end]
    folded = literals.folded(segment)
    for kind in _ORDER:
        matches = list(_COMPILED[kind].finditer(segment)) if literals.may_match(_NEEDS[kind], folded) else []
        if kind == EvidenceHint.STUDY and literals.may_match(_CITATION_NEEDS, folded):
            matches += list(_CITATION.finditer(segment))
        cues = sorted({Cue(m.group(0), start + m.start(), start + m.end()) for m in matches}, key=lambda c: c.start)
        if cues:
            found[kind] = cues
    return found


def read(text, start=0, end=None):
    """The EvidenceReading of the claim at text[start:end] (the whole text by default), read in its paragraph."""
    end = len(text) if end is None else end
    found = _found(text, *paragraph_bounds(text, start, end))
    if not found:
        return EvidenceReading(EvidenceHint.NONE)
    hint = next(kind for kind in _ORDER if kind in found)
    # The chosen kind's cues first, then those of the weaker kinds that support the reading
    # ("study" beside "mice"), each in text order.
    rank = _ORDER.index(hint)
    cues = [cue for kind in _ORDER[rank:] if kind in found for cue in found[kind]]
    return EvidenceReading(hint, tuple(sorted(set(cues), key=lambda c: (c.start, c.end))))
