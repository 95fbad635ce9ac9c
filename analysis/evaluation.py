"""
Precision and recall of the machine's suggestions against the hand curation
of the magnesium corpus (fixtures/curation/). Read-only: nothing here writes
to the database, so the report commands and the tests can run it anywhere.

A suggestion matches a curated item when their spans overlap. Precision is the
share of suggestions that match some curated item; recall the share of curated
items that some suggestion matches.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

CURATION = Path(settings.BASE_DIR) / "fixtures" / "curation"
ARTICLES = Path(settings.BASE_DIR) / "fixtures" / "articles"


@dataclass
class Scores:
    suggested: int = 0
    suggested_matching: int = 0
    curated: int = 0
    curated_found: int = 0
    misses: list = field(default_factory=list)  # curated items no suggestion overlaps
    extras: list = field(default_factory=list)  # suggestions that overlap no curated item

    @property
    def precision(self):
        return self.suggested_matching / self.suggested if self.suggested else 0.0

    @property
    def recall(self):
        return self.curated_found / self.curated if self.curated else 0.0

    def add(self, suggested, curated, label=""):
        """Spans are (start, end, text, ...) tuples; extra fields are kept for the report."""
        self.suggested += len(suggested)
        self.curated += len(curated)
        for s in suggested:
            if any(_overlaps(s, c) for c in curated):
                self.suggested_matching += 1
            else:
                self.extras.append((label, *s))
        for c in curated:
            if any(_overlaps(s, c) for s in suggested):
                self.curated_found += 1
            else:
                self.misses.append((label, *c))

    def as_dict(self):
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "suggested": self.suggested,
            "suggested_matching": self.suggested_matching,
            "curated": self.curated,
            "curated_found": self.curated_found,
        }


def _overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def _load(name):
    return json.loads((CURATION / name).read_text(encoding="utf-8"))


def corpus_files():
    """[(file name, text)] for the five corpus articles, in curation order."""
    return [(a["file"], (ARTICLES / a["file"]).read_text(encoding="utf-8")) for a in _load("articles.json")]


def curated_marketing():
    """{file: [(start, end, text, category)]}: the hand-annotated marketing phrases."""
    texts = dict(corpus_files())
    spans = {name: [] for name in texts}
    for m in _load("marketing.json"):
        text, start = texts[m["file"]], -1
        for _ in range(m.get("occurrence", 0) + 1):
            start = text.find(m["text"], start + 1)
        spans[m["file"]].append((start, start + len(m["text"]), m["text"], m["category"]))
    return spans


def curated_claims():
    """{file: [(start, end, quote, topic)]}: the curated claims."""
    texts = dict(corpus_files())
    spans = {name: [] for name in texts}
    for c in _load("claims.json"):
        start = texts[c["file"]].index(c["quote"])
        spans[c["file"]].append((start, start + len(c["quote"]), c["quote"], c["topic"]))
    return spans


def marketing_scores(detector):
    """Overall scores, and per category (a suggestion of category X against the curated X phrases)."""
    overall, by_category = Scores(), {}
    curated = curated_marketing()
    for name, text in corpus_files():
        hits = [(h.start, h.end, h.text, h.category) for h in detector.find(text)]
        overall.add(hits, curated[name], name)
        for category in {c for *_, c in hits} | {c for *_, c in curated[name]}:
            by_category.setdefault(category, Scores()).add(
                [h for h in hits if h[3] == category], [c for c in curated[name] if c[3] == category], name
            )
    return overall, dict(sorted(by_category.items()))


def marketing_scores_by_article(detector):
    """{file: Scores}: the detector against each article's annotation on its own (all categories)."""
    curated = curated_marketing()
    by_article = {}
    for name, text in corpus_files():
        by_article[name] = Scores()
        by_article[name].add([(h.start, h.end, h.text, h.category) for h in detector.find(text)], curated[name], name)
    return by_article


def claim_suggestion_scores(analyse):
    """
    Scores of the importer's claim suggestions. `analyse(name, data)` returns a
    draft whose .claims have start/end/quote/topic; topic accuracy is counted
    over suggestions that match a curated claim (against the best-overlapping one).
    """
    scores = Scores()
    topics_right = topics_total = 0
    curated = curated_claims()
    for name, _text in corpus_files():
        draft = analyse(name, (ARTICLES / name).read_bytes())
        suggested = [(c.start, c.end, c.quote, c.topic) for c in draft.claims]
        scores.add(suggested, curated[name], name)
        for s in suggested:
            overlapping = [c for c in curated[name] if _overlaps(s, c)]
            if overlapping:
                best = max(overlapping, key=lambda c: min(s[1], c[1]) - max(s[0], c[0]))
                topics_total += 1
                topics_right += best[3] == s[3]
    return scores, (topics_right / topics_total if topics_total else 0.0)
