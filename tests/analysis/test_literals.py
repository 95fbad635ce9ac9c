"""
analysis/literals.py: the strings a pattern cannot match without, and the screen that
uses them to skip text. The screen must give exactly the matches re.finditer() gives.
"""

import random
import re
from types import SimpleNamespace

import pytest

from analysis import literals
from analysis.literals import Screen, folded, required, starts

# Made-up sentences about a fictional supplement, with the shapes that trip a screen up:
# line breaks inside phrases, curly apostrophes, capitals, and characters outside ASCII
# that `re` takes for ASCII letters when ignoring case.
TEXT = (
    "Zorbium cures pain.\nZorbium cures\npain and CURES cramps. Don’t wait, don't\nwait!\n"
    "The MİRACLE of zorbium: a miracle cure. Aſk your doctor about the Kelvin-sign \u212aelp.\n"
    "No side effects, no\nside effects at all. ababa abababa. Zorbium—nature's own remedy.\n"
)


@pytest.fixture(params=["as tuned", "always by its starts"])
def both_ways(request, monkeypatch):
    """Short texts hold their starts too often to be worth it: try the pattern at its starts all the same."""
    if request.param == "always by its starts":
        monkeypatch.setattr(literals, "_PLACES_PER_CHARACTER", 0)


def spans(matches):
    return [(m.start(), m.end()) for m in matches]


def screened(pattern, text, flags=re.IGNORECASE):
    regex = re.compile(pattern, flags)
    return spans(Screen(text).finditer(regex, required(regex), starts(regex)))


def plain(pattern, text, flags=re.IGNORECASE):
    return spans(re.finditer(pattern, text, flags))


def test_the_lookalikes_are_every_character_re_takes_for_an_ascii_letter():
    ascii_character = re.compile(r"[\x00-\x7f]", re.IGNORECASE)
    lookalikes = {chr(c) for c in range(128, 0x110000) if ascii_character.fullmatch(chr(c))}
    assert lookalikes == set(literals.ASCII_LOOKALIKES)
    for odd, plain_letter in literals.ASCII_LOOKALIKES.items():
        assert re.fullmatch(plain_letter, odd, re.IGNORECASE)


def test_folding_keeps_every_offset():
    every_character = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert len(folded(every_character)) == len(every_character)
    assert folded("MİRACLE Aſk \u212aelp") == "miracle ask kelp"


def test_what_a_pattern_requires():
    regex = re.compile(r"\b(?:treat|cur)(?:s|es)?\s+(?:the\s+)?pain(?=\.)", re.IGNORECASE)
    assert required(regex) == (frozenset({"treat", "cur"}), frozenset({"pain"}))
    assert starts(regex) == frozenset({"treat", "cur"})


def test_parts_that_may_be_absent_or_repeated_require_nothing_of_what_follows():
    assert required(re.compile(r"(?:ab)*c")) == (frozenset({"c"}),)
    assert starts(re.compile(r"(?:ab)*c")) == frozenset({"ab", "c"})
    assert starts(re.compile(r"(?:ab)+c")) == frozenset({"ab"})  # "ababc" does not start with "abc"
    assert starts(re.compile(r"(?:ab)?c")) == frozenset({"abc", "c"})
    assert starts(re.compile(r"x|")) is None  # may match nothing


def test_lookarounds_classes_and_backreferences_require_nothing():
    assert required(re.compile(r"(?<=zorbium )[a-z]+(?!x)")) == ()
    assert starts(re.compile(r"(?<=zorbium )cures")) == frozenset({"cures"})
    assert required(re.compile(r"(\w+) \1")) == (frozenset({" "}),)  # the space, not what \1 repeats
    assert starts(re.compile(r"\w+ium")) is None


def test_a_pattern_with_too_many_optional_parts_is_run_as_it_is(both_ways):
    regex = re.compile("a?" * 40 + "b")
    assert starts(regex) is None
    assert spans(Screen("aab b").finditer(regex, required(regex), starts(regex))) == plain("a?" * 40 + "b", "aab b")


def test_a_parse_this_module_does_not_know_requires_nothing(monkeypatch):
    def unknown(*args):
        raise TypeError("a later Python")

    monkeypatch.setattr(literals, "sre_parse", SimpleNamespace(parse=unknown))
    regex = re.compile("zorbium")
    assert required(regex) == ()
    assert starts(regex) is None


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?<=zorbium )cures",  # the word before the match is not where it starts
        r"(?<!\w)cures\s+pain(?!\w)",  # across a line break
        r"cures\npain",  # a literal line break
        r"\b(?:zorbium|nature['’]s)\s+(?:cures|own)",  # an alternation
        r"\b[A-Z]\w{6,}\b",  # no literal at all
        r"don['’]t\s+wait",  # an apostrophe of either kind
        r"miracle",  # MİRACLE: a dotted capital I
        r"ask your doctor",  # Aſk: a long s
        r"kelvin|\bkelp",  # the Kelvin sign
        r"ab(?:ab)*a",  # a match that holds another place the pattern could start
        r"aba",  # finditer() does not look inside the previous match
        r"aba(?!b)",  # ababa: the start that counts overlaps one that does not
        r"\bno\s+side\s+effects\b",  # two-letter start
        r"(?:miracle)?",  # empty matches between the others
        r"(?=cure)",  # nothing but empty matches
        r"\bcur(?:e|es)\b|\bpain",
        r"(?i:ZORBIUM)(?-i: cures)",  # a case-sensitive part
    ],
)
def test_the_screen_gives_exactly_the_matches_finditer_gives(pattern, both_ways):
    assert screened(pattern, TEXT) == plain(pattern, TEXT)
    assert screened(pattern, TEXT, 0) == plain(pattern, TEXT, 0)


def test_the_screen_finds_nothing_where_the_required_words_are_missing():
    regex = re.compile(r"\bzorbium\s+heals\b", re.IGNORECASE)
    assert list(Screen(TEXT).finditer(regex, required(regex), starts(regex))) == []
    assert list(Screen(TEXT + "ZORBIUM\nHEALS").finditer(regex, required(regex), starts(regex)))


def test_where_starts_are_common_the_pattern_is_scanned_as_usual():
    text = "a " * 1000 + "a zorbium"
    regex = re.compile(r"\ba\s+zorbium")
    assert spans(Screen(text).finditer(regex, required(regex), starts(regex))) == [(2000, 2009)]


# Random patterns from a small grammar over a small alphabet, so that they match often and
# in awkward places: the screen must agree with re.finditer() on every one of them. Only a
# group without repeats inside is repeated, so that no pattern backtracks for ever.
_ATOMS = [
    "a",
    "b",
    "ab",
    "ba",
    "A",
    "aB",
    "\\s",
    "\\w",
    ".",
    "[ab]",
    "[^a]",
    "\\n",
    " ",
    "\u017f",
    "\u0130",
    "k",
    "\u212a",
]
_REPEATS = ["?", "*", "+", "{2}", "{1,3}", "??", "+?"]


def _random_pattern(rng, depth=0):
    """(pattern, whether it repeats anything)."""
    parts, repeats = [], False
    for _ in range(rng.randint(1, 3)):
        roll = rng.random()
        if roll < 0.5 or depth > 1:
            part, inner = rng.choice(_ATOMS), False
        elif roll < 0.7:
            alternatives = [_random_pattern(rng, depth + 1) for _ in range(rng.randint(1, 3))]
            part = "(?:" + "|".join(a for a, _ in alternatives) + ")"
            inner = any(r for _, r in alternatives)
        elif roll < 0.8:
            part = rng.choice(["(?=", "(?!", "(?<=", "(?<!"]) + rng.choice(["a", "b", "ab", "\\s"]) + ")"
            inner = True  # a lookaround is not repeated
        elif roll < 0.9:
            part, inner = rng.choice(["\\b", "\\B", "^", "$"]), True
        else:
            group, inner = _random_pattern(rng, depth + 1)
            part = "(" + group + ")"
        if not inner and rng.random() < 0.4:
            part += rng.choice(_REPEATS)
            inner = True
        parts.append(part)
        repeats = repeats or inner
    return "".join(parts), repeats


def test_random_patterns_over_random_text(both_ways):
    rng = random.Random(20260)
    checked = 0
    for _ in range(3000):
        pattern, _ = _random_pattern(rng)
        try:
            re.compile(pattern)
        except re.error:
            continue
        text = "".join(rng.choice("aAbB \nk\u212a\u017f\u0130\u0131.") for _ in range(rng.randint(0, 60)))
        for flags in (0, re.IGNORECASE, re.IGNORECASE | re.MULTILINE):
            assert screened(pattern, text, flags) == plain(pattern, text, flags), (pattern, text, flags)
        checked += 1
    assert checked > 2000
