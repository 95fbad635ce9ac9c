"""The marketing detector: what the lexicon finds, and how hits are merged."""

from types import SimpleNamespace

import pytest

from analysis.detector import Detector
from claims.models import MarketingPattern


def pattern(text, category="hype", is_regex=False, pk=None):
    return SimpleNamespace(pk=pk, pattern=text, is_regex=is_regex, category=category)


def test_a_phrase_matches_whole_words_in_any_case():
    hits = Detector([pattern("miracle")]).find("A Miracle mineral. Not miracles, not amiracle.")
    assert [(h.start, h.end, h.text) for h in hits] == [(2, 9, "Miracle")]


def test_a_phrase_matches_across_line_breaks_and_curly_apostrophes():
    detector = Detector([pattern("don't wait", "fear-urgency")])
    assert [h.text for h in detector.find("Don’t\nwait: buy.")] == ["Don’t\nwait"]


def test_phrase_characters_are_literal_not_regex():
    detector = Detector([pattern("100% (natural)", "appeal-to-nature")])
    assert [h.text for h in detector.find("It is 100% (natural).")] == ["100% (natural)"]
    assert Detector([pattern("a.b")]).find("axb") == []


def test_overlapping_hits_of_one_category_merge_into_one():
    detector = Detector([pattern("miracle cure", pk=1), pattern("cure for everything", pk=2)])
    hits = detector.find("A miracle cure for everything.")
    assert [(h.text, h.pattern_id) for h in hits] == [("miracle cure for everything", 1)]


def test_overlapping_hits_of_different_categories_stay_apart():
    detector = Detector([pattern("miracle cure"), pattern("cure for pain", "disease-claim")])
    assert {(h.text, h.category) for h in detector.find("A miracle cure for pain.")} == {
        ("miracle cure", "hype"),
        ("cure for pain", "disease-claim"),
    }


def test_an_invalid_regex_is_reported_not_fatal():
    detector = Detector([pattern("(unclosed", is_regex=True), pattern("hype")])
    assert [p.pattern for p in detector.invalid] == ["(unclosed"]
    assert [h.text for h in detector.find("pure hype")] == ["hype"]


def test_shouted_health_statements_are_flagged_but_not_headings():
    text = (
        "SIDE EFFECTS AND RISKS\nSo remember, MAGNESIUM TREATS BOTH SYMPTOMS AND CAUSES of pain.\nNMDA GABA ATP rise."
    )
    hits = Detector([]).find(text)
    assert [(h.text, h.category) for h in hits] == [("MAGNESIUM TREATS BOTH SYMPTOMS AND CAUSES", "hype")]


def test_studies_show_is_not_vague_when_the_sentence_cites_a_study():
    detector = Detector([pattern("studies show", "vague-authority")])
    assert detector.find("Studies show it helps (Shin 2020). Studies show it works.")[0].start > 30
    assert len(detector.find("Studies show it helps. (3)")) == 0


def test_disease_claims_in_questions_and_headings_are_not_assertions():
    text = "Magnesium Cures Pain\nWho cures pain? It cures pain."
    hits = Detector([pattern("cures pain", "disease-claim")]).find(text)
    assert [h.start for h in hits] == [text.index("cures pain.")]


@pytest.mark.django_db
def test_disabled_patterns_are_not_used():
    MarketingPattern.objects.update(enabled=False)
    MarketingPattern.objects.create(pattern="wonderful", category="hype", explanation="x")
    assert [h.text for h in Detector.from_lexicon().find("A wonderful miracle.")] == ["wonderful"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sentence, category",
    [
        ("It treats neuropathic pain.", "disease-claim"),
        ("It can prevent the onset of migraines.", "disease-claim"),
        ("It works without side effects.", "absolute"),
        ("It is completely safe.", "absolute"),
        ("A true game-changer.", "hype"),
        ("Too good to be true, yet here it is.", "hype"),
        ("A natural alternative to painkillers.", "appeal-to-nature"),
        ("Studies show it works.", "vague-authority"),
        ("Scientists are looking at it.", "vague-authority"),
        ("Buy now and save.", "product-promotion"),
        ("Act now, before it's too late.", "fear-urgency"),
        ("It treats both symptoms and causes.", "causal-overreach"),
        ("It addresses the root causes of fatigue.", "causal-overreach"),
        # General forms added when the annotation was completed: more verbs, relief, support, people with a condition.
        ("It can significantly reduce the symptoms of anxiety.", "disease-claim"),
        ("It cuts down on joint pain.", "disease-claim"),
        ("It brings welcome relief.", "disease-claim"),
        ("Take it to support nerve pain.", "disease-claim"),
        ("It is often recommended to patients who get headaches.", "disease-claim"),
        ("Symptoms improve with zinc supplementation.", "disease-claim"),
        ("The frequency of headaches decreased sharply.", "disease-claim"),
        ("It is one of the most vital minerals.", "hype"),
        ("It is the best form of zinc.", "hype"),
        ("A natural supplement for calm.", "appeal-to-nature"),
        ("According to one report, it works.", "vague-authority"),
        ("The findings show it works.", "vague-authority"),
        ("Check out my blog for more.", "product-promotion"),
        ("The spray is readily absorbed.", "product-promotion"),
        ("It is needed by every organ in the body.", "absolute"),
        ("Stress can wreak havoc on sleep.", "fear-urgency"),
        ("It goes beyond symptom management.", "causal-overreach"),
    ],
)
def test_the_seeded_lexicon_covers_every_category(sentence, category):
    assert category in {h.category for h in Detector.from_lexicon().find(sentence)}


@pytest.mark.django_db
def test_the_seeded_lexicon_leaves_neutral_prose_alone():
    text = (
        "In a randomised trial of 120 adults (Smith et al., 2019), oral magnesium lowered the mean "
        "score of a pain questionnaire by 1.2 points compared with placebo. The authors call for larger trials."
    )
    assert Detector.from_lexicon().find(text) == []


@pytest.mark.django_db
def test_recommending_a_supplement_for_a_deficiency_is_not_a_disease_claim():
    detector = Detector.from_lexicon()
    assert detector.find("Supplements are recommended for people with a diagnosed deficiency.") == []
    assert {h.category for h in detector.find("Supplements are recommended for people with insomnia.")} == {
        "disease-claim"
    }


# Lexicon rows a lead reviewer might write: the detector skips text that cannot hold a
# match (analysis/literals.py), and none of these may lose a hit to that.
@pytest.mark.parametrize(
    "row, text, found",
    [
        (r"(?<=zorbium )cures\s+\w+", "Zorbium cures cramps. Quellix cures nothing.", ["cures cramps"]),
        (r"\bwonder\s+drug\b", "A wonder\ndrug, they say.", ["wonder\ndrug"]),
        (r"miracle\ncure", "A miracle\ncure. A miracle cure.", ["miracle\ncure"]),
        (r"\b(?:zorbium|quellix)\s+(?:heals|mends)\b", "Quellix mends all.", ["Quellix mends"]),
        (r"\b[A-Z]{2}\d{3}\b", "Try ZX100 today.", ["ZX100"]),
        (r"(?-i:Zorbium) works", "zorbium works. Zorbium WORKS.", ["Zorbium WORKS"]),
        (r"\b(?:the\s+)?best\s+zorbium", "The\nbest zorbium.", ["The\nbest zorbium"]),
        (r"(?:ab)+c", "ababc", ["ababc"]),
    ],
)
def test_a_regex_row_finds_its_hits_however_it_is_written(row, text, found):
    assert [h.text for h in Detector([pattern(row, is_regex=True)]).find(text)] == found


@pytest.mark.parametrize(
    "phrase, text, found",
    [
        ("nature's own", "Nature’s own remedy; NATURE'S\nOWN too.", ["Nature’s own", "NATURE'S\nOWN"]),
        ("miracle", "The MİRACLE mineral.", ["MİRACLE"]),
        ("ask your doctor", "Aſk your doctor.", ["Aſk your doctor"]),
        ("kelp cure", "A \u212aELP CURE.", ["\u212aELP CURE"]),
    ],
)
def test_a_phrase_row_finds_its_hits_in_any_spelling_re_accepts(phrase, text, found):
    assert [h.text for h in Detector([pattern(phrase)]).find(text)] == found


def test_a_row_that_can_match_nothing_but_a_position_is_still_skipped():
    assert Detector([pattern(r"(?=miracle)", is_regex=True)]).find("A miracle.") == []
    assert [h.text for h in Detector([pattern(r"\b(?:miracle)?", is_regex=True)]).find("A miracle.")] == ["miracle"]
