"""
Pair precision and recall of the claim matcher against the hand grouping
(fixtures/curation/assertions/groups.json), over the corpus claims
(fixtures/curation/claims.json). Claims are named by (file, quote), never by
database id. Every pair of corpus claims is scored (the full-text candidate
step is left out: it only narrows the pairs, so these figures bound what
match_claims finds in the corpus).
"""

import itertools
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from . import matching

CLAIMS_FILE = Path(settings.BASE_DIR) / "fixtures" / "curation" / "claims.json"
GROUPS_FILE = Path(settings.BASE_DIR) / "fixtures" / "curation" / "assertions" / "groups.json"
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8)


@dataclass(frozen=True)
class PairFigures:
    threshold: float
    predicted: int
    correct: int
    expected: int

    @property
    def precision(self):
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self):
        return self.correct / self.expected if self.expected else 1.0


def load(claims_file=CLAIMS_FILE, groups_file=GROUPS_FILE):
    """(claims, same-assertion pairs of claim indexes). Raises ValueError for a grouped claim not in claims_file."""
    claims = json.loads(Path(claims_file).read_text(encoding="utf-8"))
    index = {(claim["file"], claim["quote"]): number for number, claim in enumerate(claims)}
    pairs = set()
    for group in json.loads(Path(groups_file).read_text(encoding="utf-8"))["groups"]:
        try:
            members = sorted(index[(claim["file"], claim["quote"])] for claim in group["claims"])
        except KeyError as missing:
            raise ValueError(f"A grouped claim is not in {claims_file}: {missing}") from None
        pairs |= set(itertools.combinations(members, 2))
    return claims, pairs


def scored_pairs(claims):
    """{(i, j): Score} for every pair of claims with a score above 0."""
    found = [matching.features(claim["statement"], claim["population"]) for claim in claims]
    scores = {}
    for i, j in itertools.combinations(range(len(claims)), 2):
        result = matching.score(found[i], found[j])
        if result.score > 0:
            scores[(i, j)] = result
    return scores


def curve(scores, expected, thresholds=THRESHOLDS):
    figures = []
    for threshold in thresholds:
        predicted = {pair for pair, result in scores.items() if result.score >= threshold}
        figures.append(PairFigures(threshold, len(predicted), len(predicted & expected), len(expected)))
    return figures
