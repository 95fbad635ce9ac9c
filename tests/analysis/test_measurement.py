"""
Precision and recall against the hand curation of the corpus (fixtures/curation/).

The aims: detector recall >= 0.8 at precision >= 0.7; claim suggestions
recall >= 0.85 at precision >= 0.6. Against the completed curation (155 phrases,
227 claims) both aims are met in-sample (detector 0.93 / 0.85, claims 0.87 / 0.84;
see docs/detection.md and docs/import.md), so the tests assert the aims.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from analysis.detector import Detector
from analysis.evaluation import (
    CURATION,
    Scores,
    claim_suggestion_scores,
    curated_claims,
    curated_marketing,
    marketing_scores,
    marketing_scores_by_article,
)
from analysis.importer import analyse

pytestmark = pytest.mark.django_db


def _curation(name):
    return json.loads((CURATION / name).read_text(encoding="utf-8"))


def test_overlapping_spans_match_and_others_do_not():
    scores = Scores()
    scores.add(suggested=[(0, 5, "a"), (10, 12, "b"), (30, 40, "c")], curated=[(4, 8, "x"), (12, 20, "y")])
    assert (scores.suggested_matching, scores.curated_found) == (1, 1)
    assert (scores.precision, scores.recall) == (1 / 3, 1 / 2)
    assert [m[1:3] for m in scores.misses] == [(12, 20)]  # touching at 12 is not overlapping


def test_the_curation_spans_are_exact_article_text():
    from analysis.evaluation import corpus_files

    texts = dict(corpus_files())
    for spans in (curated_marketing(), curated_claims()):
        for name, items in spans.items():
            assert all(texts[name][s:e] == t for s, e, t, _ in items)
    assert sum(map(len, curated_marketing().values())) == len(_curation("marketing.json")) == 155
    assert sum(map(len, curated_claims().values())) == len(_curation("claims.json")) == 227


def test_detector_meets_the_aim_recall_and_precision():
    overall, _ = marketing_scores(Detector.from_lexicon())
    assert overall.recall >= 0.8
    assert overall.precision >= 0.7


def test_detector_meets_the_aim_on_every_article():
    """Per article, so one long article cannot carry the others (in-sample all the same: docs/detection.md)."""
    for name, scores in marketing_scores_by_article(Detector.from_lexicon()).items():
        assert scores.recall >= 0.8, name
        assert scores.precision >= 0.7, name


def test_claim_suggestions_meet_the_aim_and_topics_hold_their_measured_level():
    detector = Detector.from_lexicon()
    scores, topic_accuracy = claim_suggestion_scores(lambda name, data: analyse(name, data, detector=detector))
    assert scores.recall >= 0.85
    assert scores.precision >= 0.6
    assert topic_accuracy >= 0.6  # no aim for topics: measured 0.68, held as a regression guard


def test_marketing_report_prints_the_figures_as_json():
    out = StringIO()
    call_command("marketing_report", "--json", "--details", stdout=out)
    report = json.loads(out.getvalue())
    assert set(report) == {"overall", "by_category", "by_article", "misses", "unmatched"}
    assert report["overall"]["curated"] == len(_curation("marketing.json"))
    assert len(report["by_category"]) == 8
    assert sum(a["curated"] for a in report["by_article"].values()) == report["overall"]["curated"]


def test_import_report_prints_the_figures_as_json():
    out = StringIO()
    call_command("import_report", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert (
        report["curated"] == len(_curation("claims.json"))
        and 0 < report["recall"] <= 1
        and 0 < report["topic_accuracy"] <= 1
    )
