"""
How much of an article's text another article shares: the check that stops a
changed page from being imported again as a second, near-identical article.

A text's **fingerprint** is the 128 smallest hashes of its five-word shingles
(runs of five consecutive words, lower-cased, punctuation dropped): a bottom-k
MinHash sketch. Two fingerprints estimate the Jaccard resemblance of the two
texts' shingle sets: of the 128 smallest hashes of their union, the share found
in both. A changed word alters at most five shingles; a new paragraph adds its
own; a reordered list changes only the shingles across the moved boundaries;
two different articles on one subject share almost none. The fingerprint is
kept on the article (`Article.fingerprint`), so an import compares 128 numbers
per article, not their texts. Threshold and the edits it was measured on:
docs/import.md.
"""

import hashlib
import re

SHINGLE_WORDS = 5
SKETCH_SIZE = 128
# At or above this resemblance an import is refused unless told --force (docs/import.md).
THRESHOLD = 0.2
# Resemblances reported in --json (the refusal uses THRESHOLD).
REPORT_FLOOR = 0.1
# Texts with fewer shingles (about 35 words) are too short to tell an edit from a shared
# sentence: one quoted claim would make two short pages "resemble". Neither side is compared.
MIN_SHINGLES = 30

WORD = re.compile(r"\w+")


def _hash(shingle):
    return int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big") >> 1


def fingerprint(text):
    """The sorted SKETCH_SIZE smallest shingle hashes of `text` (fewer for a short text)."""
    words = WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        shingles = {" ".join(words)} if words else set()
    else:
        shingles = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
    return sorted({_hash(s) for s in shingles})[:SKETCH_SIZE]


def resemblance(a, b):
    """Estimated Jaccard resemblance (0-1) of the texts behind fingerprints a and b."""
    if not a or not b:
        return 0.0
    first = set(a)
    second = set(b)
    union = sorted(first | second)[:SKETCH_SIZE]
    return sum(1 for h in union if h in first and h in second) / len(union)


def resembling(text, articles):
    """[(article, score)] for `articles` (with .fingerprint) at or above REPORT_FLOOR, best first."""
    mine = fingerprint(text)
    if len(mine) < MIN_SHINGLES:
        return []
    scored = (
        (article, resemblance(mine, article.fingerprint))
        for article in articles
        if len(article.fingerprint) >= MIN_SHINGLES
    )
    return sorted(((a, round(s, 3)) for a, s in scored if s >= REPORT_FLOOR), key=lambda pair: -pair[1])
