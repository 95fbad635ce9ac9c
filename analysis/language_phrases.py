"""
The wording classifier's reading of a sentence into words (with their
character offsets) and the lexicon's phrases found among them: each phrase
once, the longest first ("give rise to" before "give").
"""

import re
from typing import NamedTuple

from . import language_lexicon as lex

_TOKEN = re.compile(
    r"[^\W\d_]+(?=n['’]t\b)"  # "does" of "doesn't"
    r"|n['’]t\b"
    r"|[^\W\d_][\w'’]*(?:-\w+)*"  # words, with their hyphens: "glucose-lowering" is one word
    r"|\d+(?:[.,]\d+)*%?"
    r"|\S"
)
# The stems that "n't" leaves behind: "ca" of "can't", "wo" of "won't".
_CONTRACTED = {"ca": "can", "wo": "will", "sha": "shall"}


class Token(NamedTuple):
    word: str  # lower case, ’ as '
    start: int
    end: int


def tokens(sentence):
    found = [Token(m.group(0).lower().replace("’", "'"), m.start(), m.end()) for m in _TOKEN.finditer(sentence)]
    return [
        token._replace(word=_CONTRACTED[token.word])
        if token.word in _CONTRACTED and i + 1 < len(found) and found[i + 1].word == "n't"
        else token
        for i, token in enumerate(found)
    ]


# Kinds of phrase
CAUSE_VERB = "cause-verb"
CAUSE_ADJECTIVE = "cause-adjective"
CAUSE_NOUN = "cause-noun"
EFFECT_NOUN = "effect-noun"
ASSOCIATION = "association"
COMPARATIVE = "comparative"
LEVEL = "level"
HEDGED_ONLY = "hedged-only"
ROLE = "role"
SYMPTOM = "symptom"
HEDGE_FRAME = "hedge-frame"
NEGATION = "negation"
OPEN_FRAME = "open-frame"
OPEN_PREDICATE = "open-predicate"
NEUTRAL = "neutral"

# Verb forms
BASE, THIRD, PAST, GERUND = "base", "third", "past", "gerund"


def verb_forms(base):
    """{word: form} of a regular or listed irregular verb: reduce → reduces, reduced, reducing."""
    if base in lex.IRREGULAR:
        third, past, participle, gerund = lex.IRREGULAR[base]
        return {base: BASE, third: THIRD, past: PAST, participle: PAST, gerund: GERUND}
    if base.endswith("e"):
        third, past, gerund = base + "s", base + "d", base[:-1] + "ing"
    elif base.endswith("y") and base[-2] not in "aeiou":
        third, past, gerund = base[:-1] + "ies", base[:-1] + "ied", base + "ing"
    elif base.endswith(("s", "sh", "ch", "x", "z")):
        third, past, gerund = base + "es", base + "ed", base + "ing"
    else:
        third, past, gerund = base + "s", base + "ed", base + "ing"
    return {base: BASE, third: THIRD, past: PAST, gerund: GERUND}


class Entry(NamedTuple):
    words: tuple
    kind: str
    form: str = ""  # verbs only
    base: str = ""  # verbs only


class Match(NamedTuple):
    entry: Entry
    first: int  # token indices; last is exclusive
    last: int

    @property
    def kind(self):
        return self.entry.kind

    @property
    def single(self):
        return len(self.entry.words) == 1


def _entries():
    for base in lex.CAUSE_VERBS:
        for word, form in verb_forms(base).items():
            yield Entry((word,), CAUSE_VERB, form, base)
    for base, particle in lex.CAUSE_PHRASAL:
        for word, form in verb_forms(base).items():
            yield Entry((word, *particle), CAUSE_VERB, form, base)
    single = (
        (lex.CAUSE_ADJECTIVES, CAUSE_ADJECTIVE),
        (lex.EFFECT_NOUNS, EFFECT_NOUN),
        (lex.COMPARATIVES, COMPARATIVE),
        (lex.LEVELS, LEVEL),
        (lex.NEGATIONS, NEGATION),
        (lex.OPEN_PREDICATES, OPEN_PREDICATE),
    )
    for words, kind in single:
        yield from (Entry((word,), kind) for word in words)
    phrases = (
        (lex.CAUSE_NOUN_PHRASES, CAUSE_NOUN),
        (lex.ASSOCIATION_PHRASES, ASSOCIATION),
        (lex.CHANGE_NOUN_PHRASES, COMPARATIVE),
        (lex.HEDGE_FRAMES, HEDGE_FRAME),
        (lex.NEGATION_PHRASES, NEGATION),
        (lex.OPEN_FRAMES, OPEN_FRAME),
        (lex.ROLE_PHRASES, ROLE),
        (lex.SYMPTOM_PHRASES, SYMPTOM),
        (lex.ROLE_VERB_PHRASES, CAUSE_NOUN),
        (lex.HEDGED_ONLY, HEDGED_ONLY),
        (lex.NEUTRAL_PHRASES, NEUTRAL),
    )
    for entries, kind in phrases:
        yield from (Entry(words, kind) for words in entries)


def _table():
    """{first word: [entries, longest first]}; a phrase listed twice keeps its first kind."""
    by_first = {}
    for entry in _entries():
        by_first.setdefault(entry.words[0], {}).setdefault(entry.words, entry)
    return {first: sorted(entries.values(), key=lambda e: -len(e.words)) for first, entries in by_first.items()}


_TABLE = _table()


def find_phrases(words):
    """The lexicon's phrases in a list of words, left to right, none overlapping."""
    found, i = [], 0
    while i < len(words):
        for entry in _TABLE.get(words[i], ()):
            n = len(entry.words)
            if tuple(words[i : i + n]) == entry.words:
                found.append(Match(entry, i, i + n))
                i += n
                break
        else:
            i += 1
    return found
