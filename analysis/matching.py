"""
Finding the same claim in other articles (docs/matching.md).

Two claims match when they make the same assertion: same substance and form,
same direction, same outcome or mechanism, same population. The engine works on
each claim's neutral statement:

1. normalise: lower-case, replace domain synonyms (analysis/data/matching_synonyms.txt)
   by one canonical term, drop hedges ("may", "studies show") and stop words,
   reduce words to a crude stem; word order is ignored from here on;
2. score: the Dice overlap of the two sets of normalised words, 0-1, a word
   the stemmer missed counting as shared when rapidfuzz finds it nearly the
   same spelling; the shared words are kept as "the words that made it";
3. veto: a different direction (reduces vs increases, or a negation on one side
   only), population (rats and mice vs people) or form (glycinate, citrate,
   transdermal, ...) scores 0, however close the wording.

Candidates come from the claims' full-text index (Claim.objects.search_any), so
one claim is compared with the few hundred claims sharing its rarest words, not
with the whole table. The module imports the claims domain, never the other way
round: matches are stored through ClaimMatch.objects.suggest.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz

from claims.choices import Population

SYNONYMS_FILE = Path(__file__).parent / "data" / "matching_synonyms.txt"

# The documented threshold (docs/matching.md): chosen on the hand grouping's precision/recall curve.
DEFAULT_MIN_SCORE = 0.4
# How many index candidates one claim is scored against at most.
MAX_CANDIDATES = 200
# How many of a claim's words query the index (the rarest-looking: longest first).
# Candidates come in index order, not ranked: docs/matching.md, "Not done".
QUERY_WORDS = 6
# rapidfuzz ratio (0-100) above which two words are taken as one spelled differently.
NEAR_SPELLING = 85

HEDGES = (
    "studies show",
    "studies suggest",
    "research shows",
    "research suggests",
    "it is well documented that",
    "has been shown to",
    "has been demonstrated to",
    "have been shown to",
    "is thought to",
    "is believed to",
    "may help",
    "can help",
    "helps",
    "help",
)
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "by",
        "as",
        "at",
        "from",
        "into",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "may",
        "might",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "must",
        "also",
        "very",
        "more",
        "most",
        "much",
        "many",
        "some",
        "such",
        "so",
        "than",
        "then",
        "there",
        "their",
        "they",
        "them",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "while",
        "about",
        "over",
        "under",
        "out",
        "up",
        "via",
        "through",
        "per",
        "each",
        "any",
        "all",
        "both",
        "either",
        "other",
        "own",
        "same",
        "just",
        "only",
        "even",
        "well",
        "often",
        "including",
        "include",
        "includes",
        "magnesium",
        "mg",
        "supplement",
        "supplements",
        "supplementation",
        "body",
        "people",
        "patients",
        "helps",
        "help",
        "helping",
        "helped",
        "play",
        "plays",
        "role",
        "important",
        "essential",
        "key",
        "vital",
        "critical",
        "pivotal",
        "crucial",
    ]
)
# Words that set a claim's direction: down (less of the outcome) or up (more of it).
DOWN = frozenset(
    [
        "reduce",
        "reduces",
        "reduced",
        "reducing",
        "lower",
        "lowers",
        "lowered",
        "lowering",
        "decrease",
        "decreases",
        "decreased",
        "relieve",
        "relieves",
        "relieved",
        "relief",
        "alleviate",
        "alleviates",
        "ease",
        "eases",
        "eased",
        "prevent",
        "prevents",
        "prevented",
        "preventing",
        "inhibit",
        "inhibits",
        "inhibiting",
        "suppress",
        "suppresses",
        "calm",
        "calms",
        "block",
        "blocks",
        "blocking",
        "protect",
        "protects",
        "protected",
        "protecting",
        "cut",
        "against",
        "treat",
        "treats",
        "treating",
    ]
)
UP = frozenset(
    [
        "increase",
        "increases",
        "increased",
        "increasing",
        "raise",
        "raises",
        "raised",
        "worsen",
        "worsens",
        "worsened",
        "cause",
        "causes",
        "caused",
        "causing",
        "trigger",
        "triggers",
        "triggered",
        "aggravate",
        "aggravates",
        "induce",
        "induces",
        "induced",
        "promote",
        "promotes",
        "boost",
        "boosts",
    ]
)
NEGATIONS = frozenset(
    ["not", "no", "never", "without", "cannot", "lack", "lacks", "none", "neither", "nor", "doesn't", "don't", "isn't"]
)
ANIMAL_WORDS = frozenset(["rat", "rats", "mouse", "mice", "rodent", "rodents", "animal", "animals", "murine"])
FORMS = (
    "glycinate",
    "citrate",
    "threonate",
    "oxide",
    "sulfate",
    "sulphate",
    "chloride",
    "malate",
    "taurate",
    "bisglycinate",
    "transdermal",
    "topical",
    "intravenous",
    "iv",
    "oil",
    "spray",
    "flakes",
    "bath",
    "epsom",
    "lotion",
    "cream",
)
WORD_RE = re.compile(r"[a-z0-9][a-z0-9'-]*")
SUFFIXES = ("ations", "ation", "ingly", "ings", "ing", "ies", "ied", "edly", "ed", "es", "s", "ly")


@cache
def synonyms(path=SYNONYMS_FILE):
    """(phrase, canonical) pairs from the synonym file, longest phrase first. Raises ValueError on a bad line."""
    pairs = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        canonical, sep, others = line.partition("=")
        canonical = canonical.strip().lower()
        if not sep or not canonical or not others.strip():
            raise ValueError(f"{path}:{number}: expected 'canonical = synonym, synonym', got {line!r}")
        # A canonical phrase of several words is read as one term too ("nerve pain" -> nerve_pain).
        for phrase in [canonical, *others.split(",")]:
            phrase = phrase.strip().lower()
            if phrase and (phrase != canonical or " " in phrase):
                pairs.append((phrase, canonical))
    pairs.sort(key=lambda pair: -len(pair[0]))
    return tuple(pairs)


def _stem(word):
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    # reduce / reduced / reduces: one stem.
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


@dataclass(frozen=True)
class Features:
    """What the scorer reads of one claim: its normalised words and the vetoes' inputs."""

    words: tuple
    direction: str  # "up", "down" or "" (none said)
    animal: bool
    forms: frozenset


def features(statement, population="", synonym_pairs=None):
    text = " " + " ".join(WORD_RE.findall((statement or "").lower())) + " "
    for hedge in HEDGES:
        text = text.replace(f" {hedge} ", " ")
    for phrase, canonical in synonym_pairs if synonym_pairs is not None else synonyms():
        if f" {phrase} " in text:
            text = text.replace(f" {phrase} ", f" {canonical.replace(' ', '_')} ")
    raw = text.split()
    down = sum(word in DOWN for word in raw)
    up = sum(word in UP for word in raw)
    negated = any(word in NEGATIONS for word in raw)
    direction = "down" if down > up else "up" if up > down else ""
    if negated and direction:
        direction = "up" if direction == "down" else "down"
    animal = population == Population.ANIMAL or any(word in ANIMAL_WORDS for word in raw)
    forms = frozenset(word for word in raw if word in FORMS)
    content = sorted({_stem(word) for word in raw if word not in STOP_WORDS and word not in NEGATIONS})
    return Features(tuple(content), direction, animal, forms)


@dataclass(frozen=True)
class Score:
    score: float
    words: tuple  # the normalised words both claims share
    veto: str = ""  # why the score is 0 despite the wording ("direction", "population", "form")


def score(a, b):
    """How alike two claims' Features are, 0-1, with the shared words; vetoes score 0."""
    shared = tuple(sorted(set(a.words) & set(b.words)))
    for veto, differs in (
        ("population", a.animal != b.animal),
        ("form", a.forms != b.forms),
        ("direction", bool(a.direction and b.direction and a.direction != b.direction)),
    ):
        if differs:
            return Score(0.0, shared, veto)
    if not shared:
        return Score(0.0, ())
    # Dice overlap of the words, with near-spellings (stems the crude stemmer missed) counted by rapidfuzz.
    near = sum(
        1
        for word in set(a.words) - set(shared)
        if any(fuzz.ratio(word, other) >= NEAR_SPELLING for other in set(b.words) - set(shared))
    )
    value = 2 * (len(shared) + near) / (len(a.words) + len(b.words))
    return Score(round(min(value, 1.0), 3), shared)


def query_words(feature):
    """The words that ask the index for candidates: the longest (rarest-looking) normalised words."""
    words = [word.replace("_", " ").split()[0] for word in feature.words]
    return sorted(set(words), key=lambda word: (-len(word), word))[:QUERY_WORDS]


def matches_for(claim, candidates=None, min_score=DEFAULT_MIN_SCORE):
    """
    [(other claim id, Score)] for `claim`, strongest first, among `candidates`
    (an iterable of (id, statement, population)) or the index's candidates.
    """
    from claims.models import Claim

    mine = features(claim.statement, claim.population)
    if candidates is None:
        candidates = (
            Claim.objects.search_any(query_words(mine))
            .exclude(pk=claim.pk)
            .values_list("id", "statement", "population")[:MAX_CANDIDATES]
        )
    found = []
    for other_id, statement, population in candidates:
        if other_id == claim.pk:
            continue
        result = score(mine, features(statement, population))
        if result.score >= min_score:
            found.append((other_id, result))
    found.sort(key=lambda item: (-item[1].score, item[0]))
    return found
