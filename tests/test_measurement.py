"""
Precision and recall against the hand curation of the corpus (fixtures/curation/).

The aims (issue 4): detector recall >= 0.8 at precision >= 0.7; claim suggestions
recall >= 0.85 at precision >= 0.6. Recall meets both aims. Precision does not
(0.63 and 0.36, see docs/detection.md and docs/import.md); the precision tests
hold the measured level so a change that makes it worse fails.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from claims.detector import Detector
from claims.importer import analyse
from claims.measure import Scores, claim_suggestion_scores, curated_claims, curated_marketing, marketing_scores

pytestmark = pytest.mark.django_db


def test_overlapping_spans_match_and_others_do_not():
    scores = Scores()
    scores.add(suggested=[(0, 5, "a"), (10, 12, "b"), (30, 40, "c")], curated=[(4, 8, "x"), (12, 20, "y")])
    assert (scores.suggested_matching, scores.curated_found) == (1, 1)
    assert (scores.precision, scores.recall) == (1 / 3, 1 / 2)
    assert [m[1:3] for m in scores.misses] == [(12, 20)]  # touching at 12 is not overlapping


def test_the_curation_spans_are_exact_article_text():
    from claims.measure import corpus_files

    texts = dict(corpus_files())
    for spans in (curated_marketing(), curated_claims()):
        for name, items in spans.items():
            assert all(texts[name][s:e] == t for s, e, t, _ in items)
    assert sum(map(len, curated_marketing().values())) == 59
    assert sum(map(len, curated_claims().values())) == 83


def test_detector_recall_meets_the_aim():
    overall, _ = marketing_scores(Detector.from_lexicon())
    assert overall.recall >= 0.8


def test_detector_precision_holds_its_measured_level():
    overall, _ = marketing_scores(Detector.from_lexicon())
    assert overall.precision >= 0.6  # aim 0.7 not met: most unmatched hits are phrases the annotation left out


def test_claim_suggestion_recall_meets_the_aim():
    detector = Detector.from_lexicon()
    scores, _ = claim_suggestion_scores(lambda name, data: analyse(name, data, detector=detector))
    assert scores.recall >= 0.85


def test_claim_suggestion_precision_and_topics_hold_their_measured_level():
    detector = Detector.from_lexicon()
    scores, topic_accuracy = claim_suggestion_scores(lambda name, data: analyse(name, data, detector=detector))
    assert scores.precision >= 0.35  # aim 0.6 not met: see docs/import.md
    assert topic_accuracy >= 0.6


def test_marketing_report_prints_the_figures_as_json():
    out = StringIO()
    call_command("marketing_report", "--json", "--details", stdout=out)
    report = json.loads(out.getvalue())
    assert set(report) == {"overall", "by_category", "misses", "unmatched"}
    assert report["overall"]["curated"] == 59
    assert len(report["by_category"]) == 8


def test_import_report_prints_the_figures_as_json():
    out = StringIO()
    call_command("import_report", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["curated"] == 83 and 0 < report["recall"] <= 1 and 0 < report["topic_accuracy"] <= 1
