"""The claim matcher: paraphrases match; another outcome, population, form or direction does not."""

import pytest

from analysis import matching


def match_score(a, b, population_a="unspecified", population_b="unspecified"):
    return matching.score(matching.features(a, population_a), matching.features(b, population_b))


def test_word_order_and_hedges_do_not_matter():
    result = match_score("Studies show magnesium may reduce nerve pain.", "Nerve pain is reduced by magnesium.")
    assert result.score >= matching.DEFAULT_MIN_SCORE
    assert "nerve_pain" in result.words


def test_each_match_names_the_words_that_made_it():
    result = match_score("Magnesium eases migraine headaches.", "Magnesium may ease migraines.")
    assert result.words == ("ease", "migrain")


def test_synonyms_count_as_the_same_word():
    result = match_score("Magnesium blocks the N-methyl-D-aspartate receptor.", "Magnesium blocks NMDA.")
    assert "nmda" in result.words
    assert result.score >= matching.DEFAULT_MIN_SCORE


def test_neuropathic_pain_is_nerve_pain():
    assert match_score("Magnesium relieves neuropathic pain.", "Magnesium relieves nerve pain.").score == 1.0


def test_a_different_outcome_does_not_match():
    assert match_score("Magnesium improves sleep.", "Magnesium relieves nerve pain.").score < matching.DEFAULT_MIN_SCORE


def test_rats_are_not_people():
    result = match_score("Magnesium reduced nerve pain in rats.", "Magnesium reduces nerve pain.")
    assert (result.score, result.veto) == (0.0, "population")


def test_the_population_field_counts_too():
    result = match_score("Magnesium reduces nerve pain.", "Magnesium reduces nerve pain.", "animal", "human")
    assert result.veto == "population"


def test_opposite_directions_do_not_match():
    result = match_score("Magnesium reduces inflammation.", "Magnesium increases inflammation.")
    assert (result.score, result.veto) == (0.0, "direction")


def test_a_negation_reverses_the_direction():
    result = match_score("Magnesium reduces migraine.", "Magnesium does not reduce migraine.")
    assert result.veto == "direction"


def test_a_specific_form_is_not_magnesium_in_general():
    result = match_score("Magnesium glycinate improves sleep.", "Magnesium improves sleep.")
    assert (result.score, result.veto) == (0.0, "form")


def test_synonym_file_lines_are_checked(tmp_path):
    bad = tmp_path / "synonyms.txt"
    bad.write_text("nmda, n-methyl-d-aspartate\n")
    with pytest.raises(ValueError, match="expected 'canonical = synonym"):
        matching.synonyms(bad)


def test_synonym_file_reads_canonical_terms(tmp_path):
    good = tmp_path / "synonyms.txt"
    good.write_text("# comment\nnerve pain = neuropathic pain, neuralgia\n")
    assert dict(matching.synonyms(good)) == {
        "neuropathic pain": "nerve pain",
        "nerve pain": "nerve pain",
        "neuralgia": "nerve pain",
    }
