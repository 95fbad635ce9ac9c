"""Recording the detector's suggestions: idempotent, and never overriding a reviewer."""

import pytest

from analysis.detector import Hit
from analysis.suggestions import record_flag_suggestions
from claims.models import FlagSource, FlagState, MarketingFlag
from tests.factories import make_article, make_claim, make_flag

pytestmark = pytest.mark.django_db


def hit(article, text, category="hype", pattern_id=None):
    start = article.text.index(text)
    return Hit(start, start + len(text), text, category, pattern_id)


def test_hits_become_suggested_detector_flags():
    article = make_article("A miracle cure. Studies show it works.")
    created = record_flag_suggestions(article, [hit(article, "miracle cure")])
    flag = MarketingFlag.objects.get()
    assert created == [flag]
    assert (flag.text, flag.category, flag.state, flag.source) == (
        "miracle cure",
        "hype",
        FlagState.SUGGESTED,
        FlagSource.DETECTOR,
    )
    assert flag.history.count() == 1  # bulk-created with history, like every other flag change


def test_recording_the_same_hits_twice_adds_nothing():
    article = make_article("A miracle cure. Studies show it works.")
    hits = [hit(article, "miracle cure"), hit(article, "Studies show", "vague-authority")]
    record_flag_suggestions(article, hits)
    assert record_flag_suggestions(article, hits) == []
    assert MarketingFlag.objects.count() == 2


def test_a_dismissed_flag_is_never_brought_back_even_on_a_wider_span():
    article = make_article("A miracle cure for all.")
    make_flag(article, "miracle", state=FlagState.DISMISSED, source=FlagSource.DETECTOR)
    record_flag_suggestions(article, [hit(article, "miracle cure")])
    assert list(MarketingFlag.objects.values_list("text", "state")) == [("miracle", "dismissed")]


def test_a_confirmed_flag_is_not_duplicated_by_an_overlapping_hit():
    article = make_article("So remember, MAGNESIUM TREATS BOTH SYMPTOMS AND CAUSES of pain.")
    make_flag(article, "TREATS BOTH SYMPTOMS AND CAUSES", category="causal-overreach", state=FlagState.CONFIRMED)
    record_flag_suggestions(article, [hit(article, "MAGNESIUM TREATS BOTH SYMPTOMS", category="causal-overreach")])
    assert MarketingFlag.objects.count() == 1


def test_a_flag_of_another_category_on_the_same_span_is_a_separate_judgement():
    article = make_article("A miracle cure for all.")
    make_flag(article, "miracle cure", category="disease-claim", state=FlagState.DISMISSED)
    record_flag_suggestions(article, [hit(article, "miracle cure", "hype")])
    assert sorted(MarketingFlag.objects.values_list("category", "state")) == [
        ("disease-claim", "dismissed"),
        ("hype", "suggested"),
    ]


def test_a_flag_inside_a_claim_is_attached_to_it():
    article = make_article("Intro. Magnesium is a miracle cure for pain. A powerful mineral.")
    claim = make_claim(article, "Magnesium is a miracle cure for pain.")
    record_flag_suggestions(article, [hit(article, "miracle cure"), hit(article, "powerful")])
    assert dict(MarketingFlag.objects.values_list("text", "claim")) == {"miracle cure": claim.pk, "powerful": None}


def test_recording_takes_a_fixed_number_of_queries(django_assert_num_queries):
    article = make_article("A miracle cure. A powerful, amazing, incredible mineral.")
    hits = [hit(article, word) for word in ("miracle", "powerful", "amazing", "incredible")]
    # savepoint, existing flags, claims, insert flags, insert history, release savepoint
    with django_assert_num_queries(6):
        record_flag_suggestions(article, hits)
