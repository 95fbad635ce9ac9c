"""
The words a regular expression cannot match without, so that text lacking them is
passed over without running the expression on it.

Running a pattern such as the lexicon's "\\b(?:treat|cur|heal)…" costs a try at every
character of the text; asking whether the text holds "treat", "cur" or "heal" costs a
fast substring search. The marketing detector runs a hundred patterns over a whole
article, and most of its time went on patterns whose words the article never uses.

This is a necessary condition only: where the words are, the pattern itself decides.
So it must never err the other way: `required()` and `starts()` read the pattern as
`re` parses it (not its source text), name only strings every match must hold, and
name nothing when unsure (a class, a lookaround, a backreference, an optional part).
"Nothing required" just means "run the pattern as before".

Strings are compared with the text in lower case (`folded()`): a match in any case, or
of a case-sensitive part, holds them in lower case there.
"""

# The parsed form of a pattern has no public API. If a later Python changes it, required()
# and starts() fall back to requiring nothing (tests/analysis/test_literals.py notices).
import re._constants as sre
import re._parser as sre_parse

# The four characters outside ASCII that `re` matches to an ASCII letter when ignoring case
# (Turkish dotted and dotless i, the long s, the Kelvin sign; a test checks the list against
# every character). folded() spells them as that letter; the dotted İ also keeps lower() from
# lengthening the text, so offsets into the folded text are offsets into the text.
ASCII_LOOKALIKES = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
# Trying a pattern at one place costs about as much as scanning 50 characters with it.
_PLACES_PER_CHARACTER = 50
# A start shorter than this is extended by what follows it where that is known.
_SHORTEST_START = 3


def required(regex):
    """
    A tuple of sets of lower-case ASCII strings: every match of `regex` (compiled)
    holds one string of each set. () when nothing can be said.
    """
    try:
        return tuple(_clauses(sre_parse.parse(regex.pattern, regex.flags).data))
    except Exception:  # a parse this module does not know: require nothing
        return ()


def starts(regex):
    """The lower-case ASCII strings one of which starts every match of `regex`; None when unknown."""
    try:
        return _starts(sre_parse.parse(regex.pattern, regex.flags).data)
    except Exception:  # too intricate a pattern, or a parse this module does not know
        return None


def folded(text):
    """`text` as required() strings are looked for in it: lower case, ASCII lookalikes as ASCII, same length."""
    for odd, plain in ASCII_LOOKALIKES.items():
        if odd in text:
            text = text.replace(odd, plain)
    return text.lower()


def may_match(clauses, folded_text):
    """False only when `folded_text` (see folded()) lacks every string of one of `clauses`: nothing can match."""
    return all(any(word in folded_text for word in clause) for clause in clauses)


class Screen:
    """
    A long text, prepared once for running many patterns over it: which required
    strings it holds, and where a pattern can start.
    """

    def __init__(self, text):
        self.text = text
        self.folded = folded(text)
        # Each distinct run of non-space characters once: a string without spaces is in the
        # text only inside one such run, and looking through these is quicker than the text.
        self._words = " ".join(set(self.folded.split()))
        self._holds = {}

    def holds(self, string):
        if string not in self._holds:
            where = self.folded if any(ch.isspace() for ch in string) else self._words
            self._holds[string] = string in where
        return self._holds[string]

    def may_match(self, clauses):
        return all(any(self.holds(word) for word in clause) for clause in clauses)

    def finditer(self, regex, required=(), starts=None):
        """
        The matches regex.finditer(text) gives, in order. None when the text lacks what every
        match needs (`required`, see required()). When every match starts with one of `starts`
        (see starts()), the pattern is tried only where one of them is: the first place it
        matches from there on is the first place it matches at all.
        """
        if not self.may_match(required):
            return
        counts = {s: self.folded.count(s) for s in starts or () if self.holds(s)}
        if not starts or sum(counts.values()) * _PLACES_PER_CHARACTER > len(self.text):
            # Where the starts are common, trying each of them costs more than a plain scan.
            yield from regex.finditer(self.text)
            return
        places = sorted({at for string, count in counts.items() if count for at in self._occurrences(string)})
        end = 0
        for at in places:
            if at < end:
                continue  # inside the previous match, where finditer() does not look either
            match = regex.match(self.text, at)
            if match:  # never empty: it holds its start
                yield match
                end = match.end()

    def _occurrences(self, string):
        at = self.folded.find(string)
        while at != -1:
            yield at
            at = self.folded.find(string, at + 1)


def _items(data):
    """The parsed items of a sequence, its groups opened up: a group's match is part of the sequence's."""
    for op, av in data:
        if op is sre.SUBPATTERN:
            yield from _items(av[-1])
        else:
            yield op, av


def _clauses(data):
    """The sets of strings of which a match of the parsed sequence `data` holds one each."""
    clauses, run = [], []

    def end_run():
        if run:
            clauses.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in _items(data):
        if op is sre.LITERAL and av < 128:
            run.append(chr(av).lower())
            continue
        end_run()
        if op is sre.BRANCH:
            # One string of each alternative's best set: whichever alternative matched, its string is there.
            best = [_best(_clauses(alternative)) for alternative in av[1]]
            if all(best):
                clauses.append(frozenset().union(*best))
        elif op in _REPEATS and av[0] >= 1:
            clauses.extend(_clauses(av[2]))
        elif op is sre.ATOMIC_GROUP:
            clauses.extend(_clauses(av))
        # Anything else matches text we cannot name (a class, any character, a lookaround, an
        # anchor, a backreference, a part that may match nothing): it requires nothing.
    end_run()
    return clauses


def _best(clauses):
    """The set least likely to be found: its shortest string the longest, then the fewest strings."""
    return max(clauses, key=lambda clause: (min(map(len, clause)), -len(clause)), default=None)


class _TooIntricate(Exception):
    pass


def _starts(items, budget=None):
    """
    The strings one of which starts every match of the parsed items `items` (groups opened
    up), each as long as is known; None when unknown. `budget` bounds the work: each optional
    part is read twice (present, absent), so a pattern made of many would take very long.
    """
    budget = budget if budget is not None else [200]
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooIntricate
    items = list(_items(items))
    while items and items[0][0] in _ZERO_WIDTH:
        items = items[1:]
    if not items:
        return None  # it may match nothing at all here
    (op, av), rest = items[0], items[1:]
    if op is sre.LITERAL and av < 128:
        run = chr(av).lower()
        while rest and rest[0][0] is sre.LITERAL and rest[0][1] < 128:
            run += chr(rest[0][1]).lower()
            rest = rest[1:]
        after = _starts(rest, budget) if len(run) < _SHORTEST_START else None
        return frozenset(run + s for s in after) if after else frozenset({run})
    if op is sre.BRANCH:
        found = [_starts([*alternative, *rest], budget) for alternative in av[1]]
    elif op in _REPEATS:
        low, high, body = av
        # Once at most: the body then the rest. More often: the body, then perhaps the body again.
        found = [_starts([*body, *rest], budget) if high == 1 else _starts(body, budget)]
        if low == 0:
            found.append(_starts(rest, budget))  # not at all
    elif op is sre.ATOMIC_GROUP:
        found = [_starts([*av, *rest], budget)]
    else:
        return None
    return frozenset().union(*found) if all(found) else None
