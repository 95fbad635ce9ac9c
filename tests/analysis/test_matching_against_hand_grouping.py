"""
The matcher measured against the hand grouping of the corpus claims
(fixtures/curation/assertions/groups.json, made blind to the matcher). The
floors are the figures recorded in docs/matching.md, rounded down: a change
that makes the matcher worse on the corpus fails here.
"""

import pytest

from analysis import matching, matching_evaluation

PRECISION_FLOOR = 0.35
RECALL_FLOOR = 0.17


@pytest.fixture(scope="module")
def figures():
    claims, expected = matching_evaluation.load()
    scores = matching_evaluation.scored_pairs(claims)
    return {row.threshold: row for row in matching_evaluation.curve(scores, expected)}


def test_precision_at_the_threshold_stays_above_its_floor(figures):
    assert figures[matching.DEFAULT_MIN_SCORE].precision >= PRECISION_FLOOR


def test_recall_at_the_threshold_stays_above_its_floor(figures):
    assert figures[matching.DEFAULT_MIN_SCORE].recall >= RECALL_FLOOR


def test_a_higher_threshold_never_predicts_more_pairs(figures):
    predicted = [figures[t].predicted for t in sorted(figures)]
    assert predicted == sorted(predicted, reverse=True)
