"""
How strongly a sentence states a relationship: no relationship, correlational
("is linked to"), conditional causal ("may reduce") or direct causal
("reduces"). Rule-based and explainable: every reading other than "no
relationship" names the words that produced it, with their offsets.

    >>> reading = classify("Magnesium may reduce nerve pain.")
    >>> reading.strength == WordingStrength.CONDITIONAL_CAUSAL, reading.cues
    (True, (Cue(text='may reduce', start=10, end=20),))

The rules (docs/language.md has them with examples and their measurement):

- A question states no relationship, nor does a heading opened like one ("How
  magnesium helps nerves"). In a heading (a short line without closing
  punctuation) only verbs state: "The link between magnesium and migraine"
  names a topic.
- Cues: a causal verb used as a finite verb ("reduces", "led to", "can help"),
  a causal predicate ("is effective", "had no effect on"), an association
  ("associated with", "predicts", "more likely"), a comparison of groups
  ("people with low X have more Y", "levels were lower in").
- Roles and outcomes: a role said of something ("is essential for", "plays a
  part in", "is the result of") states a cause, as does a change tied to a
  treatment ("after magnesium therapy, cramps decreased") and a consequence
  after a comma ("relaxes muscles, easing cramps", as firm as its clause).
- What governs a cue: a hedge ("may", "appears to", "potential", "suggests
  that …") makes a cause conditional; a booster ("proven to", "clearly")
  states it; a recommendation or an open question ("should", "further studies
  are needed to determine whether …", "no evidence that …") withdraws every
  relationship of its clause. An infinitive ("to reduce") is a purpose, not a
  claim, unless something states it ("shown to reduce") or hedges it.
- Negation does not change the strength: "did not reduce" states a causal
  finding as firmly as "reduced" does (the convention of the labelled data and
  of the studies of causal language it follows). The reading says so:
  `negated` is True and the negation is among the cues.
- Reported speech keeps the strength of what it reports: "studies show that X
  reduces Y" is direct causal, "studies suggest that X reduces Y" conditional.
- A relationship stated about animals keeps its strength; `animals` says the
  sentence speaks of them, which matters when a claim is about people.
- Several relationships in a sentence: those of the main clause count before
  those after "which", "suggesting", "whereas" …; then the strongest wins.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from claims.choices import WordingStrength

from . import language_lexicon as lex
from . import language_phrases as phrases
from .language_phrases import BASE, GERUND, PAST, THIRD


class Cue(NamedTuple):
    text: str
    start: int
    end: int


class Reading(NamedTuple):
    strength: WordingStrength
    cues: tuple[Cue, ...] = ()
    negated: bool = False
    animals: bool = False


def classify(sentence):
    """The Reading of one sentence."""
    return _Sentence(sentence).reading()


DIRECT = WordingStrength.DIRECT_CAUSAL
CONDITIONAL = WordingStrength.CONDITIONAL_CAUSAL
CORRELATIONAL = WordingStrength.CORRELATIONAL
_STRONGEST_FIRST = (DIRECT, CONDITIONAL, CORRELATIONAL)

_CLOSING = ".!?…:;"
_TRAILING = " \t\"'”’)]»"
# How many words back a hedge, a booster or a negation still governs a cue.
_REACH = 6
# Where the words governing a cue stop.
_BOUNDARIES = frozenset(",;:()[]") | {"that"} | lex.SUBORDINATORS
# What follows a noun rather than a transitive verb: "the raise is", "delays that", "hernia repair."
_NOUN_FOLLOWERS = frozenset(",;:.)") | {"that", "which", "who", "in", "of", "can", "will"} | lex.BE | lex.HAVE
_NOUN_FOLLOWERS |= lex.HEDGE_MODALS
# Subjects that say nothing of a thing: "it is essential to", "this is important for".
_EXPLETIVES = frozenset({"it", "this", "that", "there"})
_ROLE_DEGREE = lex.DEGREE | {"the"}
_CLAUSE_START = frozenset(",;:([\"'“‘")


@dataclass
class _Finding:
    """One relationship a cue states, before the sentence's strongest is chosen."""

    strength: WordingStrength | None
    cue_tokens: list = field(default_factory=list)
    negated: bool = False
    subordinate: bool = False


_NOTHING = _Finding(None)


def _is_adverb(word):
    return word in lex.ADVERBS or (len(word) > 4 and word.endswith("ly") and word not in lex.NOT_ADVERBS)


class _Sentence:
    def __init__(self, text):
        self.text = text
        self.tokens = phrases.tokens(text)
        self.words = [t.word for t in self.tokens]
        self.matches = phrases.find_phrases(self.words)

    # ---- the sentence as a whole

    def reading(self):
        animals = any(word in lex.ANIMALS for word in self.words) or "in vitro" in self.text.lower()
        if not self.words or self.is_question():
            return Reading(WordingStrength.NO_RELATIONSHIP, animals=animals)
        findings = [f for f in self.findings() if f.strength is not None]
        main = [f for f in findings if not f.subordinate] or findings
        for strength in _STRONGEST_FIRST:
            chosen = [f for f in main if f.strength == strength]
            if chosen:
                indices = sorted({i for f in chosen for i in f.cue_tokens})
                return Reading(strength, tuple(self._cues(indices)), any(f.negated for f in chosen), animals)
        return Reading(WordingStrength.NO_RELATIONSHIP, animals=animals)

    def is_question(self):
        if self.text.rstrip(_TRAILING).endswith("?"):
            return True
        opener = self.words[0]
        return opener in lex.WH_OPENERS or (opener in lex.QUESTION_OPENERS and self.is_heading())

    def is_heading(self):
        """A short line without closing punctuation that is title-cased or has no verb to link a
        subject ("The Link Between Magnesium and Migraine", "The link between magnesium and
        migraine"); a quoted clause without its full stop ("magnesium is linked to pain") is not."""
        stripped = self.text.rstrip(_TRAILING)
        words = sum(1 for word in self.words if word[0].isalpha())
        if not stripped or stripped[-1] in _CLOSING or words > lex.HEADING_MAX_WORDS:
            return False
        if stripped[0].islower():
            return False  # a fragment quoted from a sentence: "magnesium also acts as a blocker"
        return self._title_cased() or not any(w in lex.BE or w in lex.HAVE or w in lex.ALL_MODALS for w in self.words)

    def _title_cased(self):
        """Most words of four letters or more after the first are capitalised."""
        long = [self.text[t.start] for t in self.tokens[1:] if len(t.word) >= 4 and t.word[0].isalpha()]
        return bool(long) and sum(c.isupper() for c in long) * 2 > len(long)

    def _cues(self, indices):
        """Adjacent words join into one cue: "did not reduce", not three."""
        run = []
        for i in indices:
            if run and i != run[-1] + 1:
                yield self._cue(run)
                run = []
            run.append(i)
        if run:
            yield self._cue(run)

    def _cue(self, run):
        start, end = self.tokens[run[0]].start, self.tokens[run[-1]].end
        return Cue(self.text[start:end], start, end)

    # ---- one finding per cue

    def findings(self):
        heading = self.is_heading()
        open_clauses = {self._clause_of(m.first) for m in self.matches if self._opens(m)}
        hedge_frames = [self._hedge_reach(m) for m in self.matches if m.kind == phrases.HEDGE_FRAME]
        compares = any(word in lex.COMPARISON_FRAMES for word in self.words)
        previous_verb = None
        for m in self.matches:
            if heading and m.kind != phrases.CAUSE_VERB:
                continue
            if self._clause_of(m.first) in open_clauses:
                continue
            if m.kind == phrases.CAUSE_VERB:
                finding = self._cause_verb(m, previous_verb)
                previous_verb = (m.first, finding) if finding.strength else previous_verb
                if finding.strength is None and m.entry.words[0] in lex.COMPARATIVES:
                    finding = self._comparative(m, compares)  # "were lower in", "had higher"
            elif m.kind in self._RULES:
                finding = self._RULES[m.kind](self, m, compares)
            else:
                continue  # frames and negations: they govern cues, they are none
            if finding.strength in (DIRECT, CONDITIONAL):
                frame = next((at for at, reach in hedge_frames if reach < m.first), None)
                if frame is not None:
                    finding.strength = CONDITIONAL
                    finding.cue_tokens = [frame, *finding.cue_tokens]
            finding.subordinate = any(word in lex.SUBORDINATORS for word in self.words[: m.first])
            yield finding

    def _opens(self, m):
        """A recommendation or an open question: 'should', 'whether', 'studies are needed'."""
        if m.kind == phrases.OPEN_PREDICATE:
            governor = self._governor(m.first)
            purpose = self._after(m.last) != "for"  # not "is required for nerve function"
            return purpose and governor is not None and self.words[governor] in lex.BE
        return m.kind == phrases.OPEN_FRAME

    def _hedge_reach(self, m):
        """(where a hedging frame is, the first word it hedges): what follows it, or the whole
        sentence when it is a trailing or parenthetical remark ("…, studies suggest.")."""
        after = self.words[m.last] if m.last < len(self.words) else "."
        return m.first, (-1 if after in _CLOSING or after == "," else m.first)

    def _clause_of(self, index):
        """Coarse clauses: split at ';', ':', a full stop (a quote may hold two sentences) and at a comma
        before a conjunction ("…, though …")."""
        clause = 0
        for i in range(index):
            word = self.words[i]
            if (
                word in (";", ":")
                or self._sentence_ends(i)
                or (word in lex.CLAUSE_OPENERS and i and self.words[i - 1] == ",")
            ):
                clause += 1
        return clause

    def _sentence_ends(self, i):
        """A full stop before a capital: "… joint pain. It is also …", not "e.g. that"."""
        if self.words[i] not in (".", "!", "?") or i + 1 >= len(self.words):
            return False
        return self.text[self.tokens[i + 1].start].isupper()

    # ---- what governs a cue

    def _window(self, index):
        """Indices of the words before `index` in its clause, nearest first, at most _REACH of them."""
        i = index - 1
        while i >= 0 and index - i <= _REACH and self.words[i] not in _BOUNDARIES:
            yield i
            i -= 1

    def _modifiers(self, index):
        """(hedges, boosters, negations): indices of the words governing the cue at `index`."""
        hedges, boosters, negations = [], [], []
        for i in self._window(index):
            word = self.words[i]
            raises = i + 1 < len(self.words) and self.words[i + 1] == "to"
            if word in lex.HEDGES or (word in lex.HEDGE_RAISING and raises):
                hedges.append(i)
            elif word in lex.BOOSTERS or (word in lex.BOOSTER_RAISING and raises):
                boosters.append(i)
            elif word in lex.NEGATIONS:
                negations.append(i)
        return hedges, boosters, negations

    def _governed(self, m, strength):
        """The cue's own strength, weakened to conditional when a hedge governs a cause."""
        hedges, boosters, negations = self._modifiers(m.first)
        cue = [*range(m.first, m.last)]
        if strength == DIRECT and hedges:
            return _Finding(CONDITIONAL, sorted(hedges + negations + cue), bool(negations))
        if strength == DIRECT:
            return _Finding(strength, sorted(boosters + negations + cue), bool(negations))
        return _Finding(strength, sorted(negations + cue), bool(negations))

    def _governor(self, index):
        """The nearest word before `index` that is not an adverb or a negation; None at a clause's start."""
        i = index - 1
        while i >= 0 and (_is_adverb(self.words[i]) or self.words[i] in lex.NEGATIONS):
            i -= 1
        return None if i < 0 or self.words[i] in _CLAUSE_START else i

    def _after(self, index):
        """The nearest word from `index` on that is not an adverb."""
        while index < len(self.words) and _is_adverb(self.words[index]):
            index += 1
        return self.words[index] if index < len(self.words) else None

    # ---- cues other than verbs

    def _adjective(self, m, compares):
        """'is effective', 'proved as effective as', 'had a protective effect'; not 'an effective way'."""
        i = m.first - 1
        while i >= 0 and m.first - i <= 5 and (self.words[i] in lex.ADVERBS or self.words[i] in lex.DEGREE):
            i -= 1
        if i >= 0 and (self.words[i] in lex.LINKING or self.words[i] in lex.HAVE or self.words[i] in lex.NEGATIONS):
            return self._governed(m, DIRECT)
        return _NOTHING

    def _role(self, m, compares):
        """'is essential for', 'is critical to creating': a role said of something by a linking verb."""
        i = m.first - 1
        while i >= 0 and m.first - i <= 5 and (_is_adverb(self.words[i]) or self.words[i] in _ROLE_DEGREE):
            i -= 1  # "is often the result of", "is absolutely essential for"
        if i < 0 or not (self.words[i] in lex.LINKING or self.words[i] in lex.NEGATIONS):
            return _NOTHING
        advice = self.words[m.last - 1] == "to" and not (self._after(m.last) or "ing").endswith("ing")
        if (self._after(m.last) or "").startswith(("predict", "diagnos", "detect")):
            return _NOTHING  # "important in predicting outcomes": a use for prediction, no cause
        if advice and i and self.words[i - 1] in _EXPLETIVES:
            return _NOTHING  # "it is essential to choose": advice; "it is essential for sleep" is not
        return self._governed(m, DIRECT)

    def _symptom(self, m, compares):
        """'signs of magnesium deficiency', 'symptoms of low magnesium': a shortage that brings them."""
        if any(word in lex.SHORTAGES for word in self.words[m.last : m.last + 3]):
            return self._governed(m, DIRECT)
        return _NOTHING

    def _cause_noun(self, m, compares):
        return self._governed(m, DIRECT)

    def _effect(self, m, compares):
        """'had no effect', 'exerted benefits': an effect something has; not 'the effects were small'."""
        verb = next((i for i in self._window(m.first) if self.words[i] in lex.EFFECT_VERBS), None)
        if verb is None:
            return _NOTHING
        finding = self._governed(m, DIRECT)
        finding.cue_tokens = sorted({verb, *finding.cue_tokens})
        return finding

    def _association(self, m, compares):
        if m.entry.words[0] in lex.DIRECTIONS and self._after(m.last) in lex.NOT_RELATED:
            return _NOTHING  # "positively charged": a charge, not the direction of a relationship
        return self._governed(m, CORRELATIONAL)

    def _comparative(self, m, compares):
        """'was higher in', 'had more … than': groups compared, when the sentence compares or states it."""
        after = self._after(m.last)
        if after == "than" and m.last + 1 < len(self.words) and self.words[m.last + 1][0].isdigit():
            return _NOTHING  # "more than 50%": a quantity
        governor = self._governor(m.first)
        gword = self.words[governor] if governor is not None else None
        stated = gword in lex.LINKING or gword in lex.HAVE or gword in lex.SHOWING
        return self._governed(m, CORRELATIONAL) if compares or stated else _NOTHING

    def _level(self, m, compares):
        """'sufferers have low magnesium levels': a group said to have a level."""
        governor = self._governor(m.first)
        if governor is not None and self.words[governor] in lex.HAVE:
            return self._governed(m, CORRELATIONAL)
        return _NOTHING

    def _hedged_only(self, m, compares):
        """'may be useful for', 'could be due to': a cause only under a hedge."""
        hedges, _, negations = self._modifiers(m.first)
        if not hedges and m.entry.words in lex.ATTRIBUTIONS:
            return self._role(m, compares)  # "cramps are often the result of low magnesium"
        if not hedges:
            return _NOTHING
        return _Finding(CONDITIONAL, sorted({*hedges, *negations, *range(m.first, m.last)}), bool(negations))

    _RULES = {
        phrases.CAUSE_ADJECTIVE: _adjective,
        phrases.CAUSE_NOUN: _cause_noun,
        phrases.EFFECT_NOUN: _effect,
        phrases.ASSOCIATION: _association,
        phrases.COMPARATIVE: _comparative,
        phrases.LEVEL: _level,
        phrases.HEDGED_ONLY: _hedged_only,
        phrases.ROLE: _role,
        phrases.SYMPTOM: _symptom,
    }

    # ---- verbs

    def _cause_verb(self, m, previous_verb):
        """A causal verb states a cause as a finite verb, or as an infinitive something states."""
        if m.entry.form == GERUND:
            return self._gerund(m, previous_verb)
        governor = self._governor(m.first)
        if governor is None:
            if m.entry.form == THIRD:
                return self._governed(m, DIRECT)  # "Reduces pain in days": a claim without its subject
            return _NOTHING  # "Reduce your stress": an imperative
        if m.entry.form == PAST:
            return self._past(m, governor)
        return self._present(m, governor, previous_verb)

    def _present(self, m, governor, previous_verb):
        """'reduces', 'reduce': after a subject, a modal or a stating 'to'; not 'an increase', 'the cut'."""
        gword, after = self.words[governor], self._after(m.last)
        if gword == "to":
            return self._infinitive(m, governor)
        if gword in ("should", "must"):
            return _NOTHING
        if m.single and self._changes_intransitively(m, after):
            # "levels increase with age"; "levels were lower in …" is a difference, never an outcome
            return self._observed(m) if gword in lex.BE or gword in lex.HAVE else self._outcome(m)
        if gword in lex.HEDGE_MODALS or gword in lex.FACT_MODALS:
            return self._governed(m, DIRECT)
        if (gword in lex.DETERMINERS and gword not in lex.DEMONSTRATIVES) or gword in lex.PREPOSITIONS:
            return _NOTHING  # a noun: "an increase", "with help"
        if gword in lex.BE or gword in lex.HAVE or gword in lex.COMPARATIVES:
            return _NOTHING  # "were lower", "have lower scores"
        if gword in lex.CONJUNCTIONS and m.entry.form == BASE:
            # "may reduce pain and improve sleep": the second verb shares the first one's reading
            if previous_verb is not None and previous_verb[0] >= m.first - 8:
                shared = previous_verb[1]
                return _Finding(shared.strength, [*range(m.first, m.last)], shared.negated)
            return _NOTHING
        if m.single and (after is None or after in _NOUN_FOLLOWERS):
            return _NOTHING  # a noun
        if m.entry.base == "support" and self._supports_an_idea(m):
            return _NOTHING  # "the findings support the hypothesis": evidence, not a cause
        return self._governed(m, DIRECT)

    def _past(self, m, governor):
        """A finite past ('reduced pain'), a passive, a perfect, or an adjective ('reduced risk')."""
        gword, after = self.words[governor], self._after(m.last)
        adjective = self._observed(m) if m.entry.base in lex.PARTICIPLE_ADJECTIVES else _NOTHING
        if gword in lex.BE:
            if self._agent_follows(m.last):
                return self._governed(m, DIRECT)  # "was reduced by"
            return self._observed(m)  # "levels were reduced in …", "function is impaired after …"
        if gword in lex.HAVE:
            # "patients have elevated blood pressure": a group's state; "magnesium has lowered it": an effect
            state = gword != "has" and m.single and m.entry.base in lex.PARTICIPLE_ADJECTIVES
            if state and after not in lex.DETERMINERS:
                return adjective
            return self._governed(m, DIRECT)
        if gword in lex.DETERMINERS or gword in lex.PREPOSITIONS or gword in lex.CONJUNCTIONS:
            return adjective
        if m.single and after == "with":
            return _NOTHING  # "patients treated with X"
        if m.single and self._changes_intransitively(m, after):
            return self._outcome(m)
        return self._governed(m, DIRECT)

    def _gerund(self, m, previous_verb):
        governor = self._governor(m.first)
        gword = self.words[governor] if governor is not None else None
        if m.entry.base == "support" and self._supports_an_idea(m):
            return _NOTHING  # "…, supporting the hypothesis": evidence, not a cause
        if gword in lex.BE and self.words[m.first] in lex.GERUND_ADJECTIVES:
            return _NOTHING  # "the results are encouraging"
        if gword in lex.BE or not m.single:
            return self._governed(m, DIRECT)  # "is reducing", "…, resulting in"
        if gword in ("in", "at") and previous_verb is not None and previous_verb[0] >= m.first - 4:
            return _Finding(previous_verb[1].strength, [*range(m.first, m.last)])  # "helps in reducing"
        if self.words[m.first - 1] == "," and self._consequence(m):
            # "magnesium relaxes muscles, reducing cramps": a consequence of the clause before,
            # as firm as that clause's own cause, or stated when it has none
            if previous_verb is not None:
                shared = previous_verb[1]
                return _Finding(shared.strength, [*range(m.first, m.last)], shared.negated)
            return self._governed(m, DIRECT)
        return _NOTHING

    def _consequence(self, m):
        """After a comma, a gerund that adds to a clause with its own verb ("X relaxes muscles,
        reducing cramps"), not one that opens a clause as its subject ("Moreover, reducing salt
        may lower blood pressure") nor a noun ("…, including")."""
        if self._after(m.last) in _NOUN_FOLLOWERS:
            return False
        before, after = self.words[: m.first], self.words[m.last :]
        verbs = lex.BE | lex.HAVE | lex.ALL_MODALS
        if any(w in verbs for w in after[: next((i for i, w in enumerate(after) if w in ";:"), len(after))]):
            return False
        return any(w in verbs or (w.endswith("s") and w in lex.FINITE_HINTS) for w in before) or any(
            k.kind == phrases.CAUSE_VERB and k.last <= m.first for k in self.matches
        )

    def _infinitive(self, m, to_index):
        """'shown to reduce' states; 'appears to reduce' hedges; 'needed to reduce' is a purpose."""
        raiser = to_index - 1
        rword = self.words[raiser] if raiser >= 0 else None
        if rword in lex.HEDGE_RAISING:
            hedges, _, negations = self._modifiers(m.first)
            cue = sorted({raiser, *hedges, *negations, *range(m.first, m.last)})
            return _Finding(CONDITIONAL, cue, bool(negations))
        if rword in lex.BOOSTER_RAISING or rword in lex.HELP or rword in lex.ABILITY:
            finding = self._governed(m, DIRECT)
            finding.cue_tokens = sorted({raiser, *finding.cue_tokens})
            return finding
        return _NOTHING

    def _outcome(self, m):
        """A change without an object ('pain decreased'): a treatment's outcome, so a cause, when the
        sentence says the change came after or with a treatment ("After magnesium therapy, attacks
        decreased", "pain can improve with magnesium treatment"); otherwise a change observed."""
        for i, word in enumerate(self.words):
            if word in lex.TREATMENTS and self._tied(i):
                finding = self._governed(m, DIRECT)
                finding.cue_tokens = sorted({i, *finding.cue_tokens})
                return finding
        return self._observed(m)

    def _tied(self, treatment):
        """'after four weeks of magnesium therapy', 'with magnesium treatment': a tie a few words
        before the treatment, in the same phrase ("patients with X having Y medication" is not)."""
        for i in range(treatment - 1, max(-1, treatment - 6), -1):
            word = self.words[i]
            if word in lex.TREATMENT_TIES:
                return True
            if word in _CLAUSE_START or word in lex.BE or word in lex.HAVE:
                return False
        return False

    def _observed(self, m):
        """A difference or a change observed: correlational."""
        return self._governed(m, CORRELATIONAL)

    def _changes_intransitively(self, m, after):
        """'increased with age', 'improved after surgery': a change observed, no object, no cause."""
        return m.entry.base in lex.CHANGE_VERBS and (after is None or after in lex.PREPOSITIONS or after in ",;:.")

    def _supports_an_idea(self, m):
        before, after = self.words[max(0, m.first - 3) : m.first], self.words[m.last : m.last + 4]
        if after[:1] == ["for"]:
            return True  # "support for": a noun
        return any(w in lex.EVIDENCE for w in before) or any(w in lex.SUPPORTED_IDEAS for w in after)

    def _agent_follows(self, index):
        """'was reduced by magnesium': a 'by' before the clause ends."""
        for word in self.words[index : index + 6]:
            if word == "by":
                return True
            if word in _BOUNDARIES:
                return False
        return False
