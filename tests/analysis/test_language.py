"""The wording classifier: each strength, what moves a sentence between them, and the cues it gives."""

import pytest

from analysis.language import Cue, Reading, classify
from claims.choices import WordingStrength

NONE = WordingStrength.NO_RELATIONSHIP
CORRELATIONAL = WordingStrength.CORRELATIONAL
CONDITIONAL = WordingStrength.CONDITIONAL_CAUSAL
DIRECT = WordingStrength.DIRECT_CAUSAL


def cue_texts(sentence):
    return [cue.text for cue in classify(sentence).cues]


@pytest.mark.parametrize(
    "sentence",
    [
        "Magnesium reduces nerve pain.",
        "Magnesium cures neuropathy.",
        "This mineral treats migraines.",
        "Magnesium prevents nerve damage.",
        "Magnesium promotes nerve regeneration.",
        "Magnesium deficiency causes muscle cramps.",
        "Low magnesium levels lead to muscle cramps.",
        "Our trial found that magnesium lowered blood pressure.",
        "Magnesium can help relieve nerve pain.",
        "Magnesium is an effective treatment for neuropathy.",
        "Magnesium is a natural remedy for nerve pain.",
        "Reduces nerve pain in days.",
    ],
)
def test_a_cause_stated_as_fact_is_direct_causal(sentence):
    assert classify(sentence).strength == DIRECT


@pytest.mark.parametrize(
    "sentence",
    [
        "Magnesium may reduce nerve pain.",
        "Magnesium could help with sleep.",
        "Magnesium might protect nerves.",
        "Magnesium appears to reduce cramps.",
        "Magnesium seems to ease anxiety.",
        "Magnesium supplementation probably reduces migraine frequency.",
        "Magnesium is a potential treatment for migraine.",
        "Magnesium is thought to regulate nerve signals.",
        "Magnesium is likely to improve sleep quality.",
        "Taking magnesium daily may help to reduce the frequency of migraines.",
        "Magnesium may be useful for neuropathic pain.",
        "It is believed that magnesium can protect nerve cells.",
    ],
)
def test_a_hedged_cause_is_conditional_causal(sentence):
    assert classify(sentence).strength == CONDITIONAL


@pytest.mark.parametrize(
    "sentence",
    [
        "Low magnesium is linked to migraines.",
        "Magnesium intake is associated with lower pain scores.",
        "People with low magnesium have more migraines.",
        "Migraine sufferers often have low magnesium levels.",
        "Magnesium deficiency is a risk factor for migraine.",
        "Magnesium levels were lower in patients with neuropathy.",
        "Women who ate more magnesium were less likely to develop diabetes.",
        "Higher magnesium intake correlates with better sleep.",
        "Serum magnesium predicts recovery after nerve injury.",
        "Participants who took magnesium reported less pain.",
        "Many people with neuropathy are deficient in magnesium.",
    ],
)
def test_a_relationship_without_a_cause_is_correlational(sentence):
    assert classify(sentence).strength == CORRELATIONAL


@pytest.mark.parametrize(
    "sentence",
    [
        "Magnesium is a mineral found in leafy greens.",
        "We studied 120 adults with diabetic neuropathy.",
        "Take 300 mg of magnesium with food.",
        "Magnesium supplements should be taken to reduce cramps.",
        "Further research is needed to determine whether magnesium reduces pain.",
        "There is no evidence that magnesium cures neuropathy.",
        "The aim was to assess the effect of magnesium on sleep.",
        "More than 40% of the adults took a supplement.",
        "More studies are necessary to confirm that magnesium reduces cramps.",
    ],
)
def test_a_sentence_stating_no_relationship_is_no_relationship(sentence):
    assert classify(sentence) == Reading(NONE)


@pytest.mark.parametrize(
    ("sentence", "strength"),
    [
        ("Magnesium did not reduce nerve pain.", DIRECT),
        ("Magnesium had no effect on pain.", DIRECT),
        ("Magnesium doesn't cause diarrhoea.", DIRECT),
        ("Magnesium may not reduce pain.", CONDITIONAL),
        ("Magnesium does not appear to improve sleep.", CONDITIONAL),
        ("Magnesium was not associated with pain.", CORRELATIONAL),
        ("There was no correlation between magnesium and sleep.", CORRELATIONAL),
    ],
)
def test_negation_keeps_the_strength_and_says_it_is_negated(sentence, strength):
    reading = classify(sentence)
    assert (reading.strength, reading.negated) == (strength, True)


def test_negation_is_among_the_cues():
    assert cue_texts("Magnesium did not reduce nerve pain.") == ["not reduce"]
    assert cue_texts("Magnesium was not significantly associated with pain.") == ["not", "associated"]


def test_an_affirmed_relationship_is_not_negated():
    assert classify("Magnesium reduced nerve pain.").negated is False


@pytest.mark.parametrize(
    ("hedged", "plain"),
    [
        ("Magnesium may reduce pain.", "Magnesium reduces pain."),
        ("Research suggests that magnesium improves sleep.", "Research shows that magnesium improves sleep."),
        ("Magnesium appears to calm nerves.", "Magnesium is known to calm nerves."),
        ("Magnesium helps with nerve pain, studies suggest.", "Magnesium helps with nerve pain, studies show."),
    ],
)
def test_a_hedge_moves_a_cause_from_direct_to_conditional(hedged, plain):
    assert (classify(hedged).strength, classify(plain).strength) == (CONDITIONAL, DIRECT)


def test_a_hedge_does_not_make_an_association_causal():
    assert classify("Magnesium may be linked to fewer migraines.").strength == CORRELATIONAL


@pytest.mark.parametrize(
    ("sentence", "cues"),
    [
        ("Magnesium is proven to reduce nerve pain.", ["proven", "reduce"]),
        ("Magnesium clearly reduces pain.", ["clearly reduces"]),
        ("Magnesium has been shown to lower blood pressure.", ["shown", "lower"]),
    ],
)
def test_a_booster_states_a_cause_and_is_among_its_cues(sentence, cues):
    assert (classify(sentence).strength, cue_texts(sentence)) == (DIRECT, cues)


def test_a_recommendation_withdraws_its_clause_but_a_requirement_does_not():
    assert classify("Larger trials are needed, but magnesium reduced cramps here.").strength == DIRECT
    assert classify("Larger trials are needed to show that magnesium reduces cramps.").strength == NONE
    assert classify("Magnesium is necessary for nerve function and reduces cramps.").strength == DIRECT


def test_a_participle_after_have_is_a_groups_state_unless_a_thing_has_done_it():
    assert classify("Patients with neuropathy have reduced nerve conduction.").strength == CORRELATIONAL
    assert classify("Patients had elevated blood pressure.").strength == CORRELATIONAL
    assert classify("Magnesium has lowered blood pressure.").strength == DIRECT
    assert classify("Magnesium supplements have reduced the number of attacks.").strength == DIRECT


def test_an_infinitive_is_a_purpose_unless_something_states_it():
    assert classify("Doctors prescribe magnesium to reduce cramps.").strength == NONE
    assert classify("Magnesium is proven to reduce cramps.").strength == DIRECT


@pytest.mark.parametrize(
    ("sentence", "strength"),
    [
        ("Studies show that magnesium reduces nerve pain.", DIRECT),
        ("According to researchers, magnesium reduces pain.", DIRECT),
        ("Magnesium reduces the risk of stroke, according to a new study.", DIRECT),
        ("Experts say magnesium cures insomnia.", DIRECT),
        ("Scientists believe magnesium reduces inflammation.", CONDITIONAL),
        ("A 2015 study found that magnesium was linked to better sleep.", CORRELATIONAL),
    ],
)
def test_reported_speech_keeps_the_strength_of_what_it_reports(sentence, strength):
    assert classify(sentence).strength == strength


@pytest.mark.parametrize(
    "sentence",
    [
        "Does magnesium reduce nerve pain?",
        "Could magnesium be the key to better sleep?",
        '"Can magnesium cure neuropathy?"',
        "Can Magnesium Help Nerve Pain",
        "How Magnesium Supports Nerve Health",
        "Why magnesium matters for your nerves",
    ],
)
def test_a_question_states_no_relationship(sentence):
    assert classify(sentence).strength == NONE


def test_a_heading_names_a_topic_but_its_verb_still_states():
    assert classify("The Link Between Magnesium and Migraine").strength == NONE
    assert classify("The link between magnesium and migraine is well documented.").strength == CORRELATIONAL
    assert classify("Magnesium Cuts Migraine Risk").strength == DIRECT


@pytest.mark.parametrize(
    ("sentence", "strength"),
    [
        ("Magnesium reduced nerve damage in mice.", DIRECT),
        ("In rats, magnesium may promote nerve regeneration.", CONDITIONAL),
        ("Magnesium-deficient mice had more seizures than controls.", CORRELATIONAL),
    ],
)
def test_a_relationship_about_animals_keeps_its_strength_and_says_so(sentence, strength):
    reading = classify(sentence)
    assert (reading.strength, reading.animals) == (strength, True)


def test_a_sentence_about_people_does_not_speak_of_animals():
    assert classify("Magnesium reduced nerve pain in adults.").animals is False


def test_cue_offsets_index_the_sentence():
    sentence = "Studies suggest that, in older adults, magnesium may significantly reduce nerve pain."
    reading = classify(sentence)
    assert reading.strength == CONDITIONAL
    assert reading.cues == (Cue("suggest", 8, 15), Cue("may", 49, 52), Cue("reduce", 67, 73))
    assert all(sentence[cue.start : cue.end] == cue.text for cue in reading.cues)


def test_cue_offsets_survive_curly_apostrophes_and_accents():
    sentence = "Café owners’ magnesium doesn’t reduce stress, but it’s linked to calmer staff."
    reading = classify(sentence)
    assert reading.strength == DIRECT
    assert [cue.text for cue in reading.cues] == ["n’t reduce"]
    assert all(sentence[cue.start : cue.end] == cue.text for cue in reading.cues)


def test_every_relationship_comes_with_cues_and_no_relationship_with_none():
    for sentence in ["Magnesium reduces pain.", "Magnesium may help.", "Magnesium is linked to sleep.", "Hello."]:
        reading = classify(sentence)
        assert bool(reading.cues) == (reading.strength != NONE), sentence


def test_the_main_clause_outweighs_a_side_remark():
    sentence = "Low magnesium was associated with migraine, which suggests that supplements may prevent attacks."
    assert classify(sentence).strength == CORRELATIONAL


def test_the_strongest_relationship_of_the_main_clause_wins():
    assert classify("Magnesium is linked to sleep and reduces cramps.").strength == DIRECT


@pytest.mark.parametrize("sentence", ["", "   ", "?", "…", "12.5 mg"])
def test_text_without_words_states_no_relationship(sentence):
    assert classify(sentence) == Reading(NONE)


def reading_of(sentence):
    """(strength, negated, cue texts), checking that every cue indexes the sentence."""
    reading = classify(sentence)
    assert all(sentence[cue.start : cue.end] == cue.text for cue in reading.cues), reading.cues
    return reading.strength, reading.negated, [cue.text for cue in reading.cues]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Magnesium is essential for nerve function.", (DIRECT, False, ["essential for"])),
        ("Magnesium is not essential for nerve function.", (DIRECT, True, ["not essential for"])),
        ("Magnesium may be essential for nerve function.", (CONDITIONAL, False, ["may", "essential for"])),
        ("Magnesium is critical to creating nerve signals.", (DIRECT, False, ["critical to"])),
        ("Magnesium is needed for restful sleep.", (DIRECT, False, ["needed for"])),
        ("Magnesium plays a part in muscle relaxation.", (DIRECT, False, ["plays a part in"])),
        ("Magnesium acts as a natural calcium blocker.", (DIRECT, False, ["acts as a"])),
        ("Magnesium might act as a natural calcium blocker.", (CONDITIONAL, False, ["might act as a"])),
    ],
)
def test_a_role_said_of_something_states_a_cause(sentence, expected):
    assert reading_of(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "It is essential to choose a supplement you can take daily.",
        "Larger studies are needed to confirm that magnesium eases cramps.",
        "An essential mineral for everyone.",
    ],
)
def test_advice_and_a_bare_role_word_state_no_relationship(sentence):
    assert classify(sentence) == Reading(NONE)


def test_a_role_in_predicting_is_a_use_not_a_cause():
    assert classify("Magnesium levels are important in predicting cramps.").strength != DIRECT


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Magnesium relaxes muscles, easing night cramps.", (DIRECT, False, ["relaxes", "easing"])),
        ("Magnesium may relax muscles, easing night cramps.", (CONDITIONAL, False, ["may relax", "easing"])),
        ("Magnesium does not relax muscles, easing nothing.", (DIRECT, True, ["not relax", "easing"])),
        ("Magnesium calms the nerves, reducing stress.", (DIRECT, False, ["calms", "reducing"])),
    ],
)
def test_a_consequence_after_a_comma_shares_the_strength_of_its_clause(sentence, expected):
    assert reading_of(sentence) == expected


def test_a_gerund_opening_a_clause_is_its_subject_not_a_consequence():
    assert reading_of("Moreover, reducing salt may lower blood pressure.") == (CONDITIONAL, False, ["may lower"])
    assert classify("In short, improving sleep matters.").strength == NONE


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Magnesium's ability to calm nerves is well known.", (DIRECT, False, ["ability", "calm"])),
        ("This mineral ensures restful sleep.", (DIRECT, False, ["ensures"])),
        ("Magnesium assists in muscle recovery.", (DIRECT, False, ["assists in"])),
        ("Magnesium may not assist in muscle recovery.", (CONDITIONAL, True, ["may not assist in"])),
        ("A warm bath provides relief from cramps.", (DIRECT, False, ["provides relief"])),
        ("Low magnesium can have serious consequences for the heart.", (DIRECT, False, ["have", "consequences"])),
        ("Magnesium has been shown to be neuroprotective.", (DIRECT, False, ["shown", "neuroprotective"])),
    ],
)
def test_verbs_nouns_and_adjectives_of_cause_from_health_writing(sentence, expected):
    assert reading_of(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "After four weeks of magnesium therapy, cramps decreased.",
            (DIRECT, False, ["therapy", "decreased"]),
        ),
        ("Cramps did not decrease after magnesium therapy.", (DIRECT, True, ["not decrease", "therapy"])),
        ("Cramps may decrease with magnesium treatment.", (CONDITIONAL, False, ["may decrease", "treatment"])),
        ("Cramps decreased with age.", (CORRELATIONAL, False, ["decreased"])),
        ("Cramps were lower after magnesium therapy.", (CORRELATIONAL, False, ["lower"])),
    ],
)
def test_a_change_after_a_treatment_is_its_outcome_and_otherwise_observed(sentence, expected):
    assert reading_of(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Night cramps are often the result of low magnesium.", (DIRECT, False, ["result of"])),
        ("Night cramps may be the result of low magnesium.", (CONDITIONAL, False, ["may", "result of"])),
        ("Night cramps are not due to low magnesium.", (DIRECT, True, ["not due to"])),
        ("Tingling is a common sign of magnesium deficiency.", (DIRECT, False, ["sign of"])),
    ],
)
def test_an_attribution_or_a_sign_of_deficiency_names_a_cause(sentence, expected):
    assert reading_of(sentence) == expected


def test_a_sign_of_something_other_than_a_shortage_names_no_cause():
    assert classify("Tingling is a common sign of nerve trouble.") == Reading(NONE)


def test_a_quoted_fragment_is_a_clause_but_a_heading_names_a_topic():
    assert classify("magnesium is linked to migraine").strength == CORRELATIONAL
    assert classify("Studies have shown that magnesium plays a key role in sleep").strength == DIRECT
    assert classify("The link between magnesium and migraine").strength == NONE
    assert classify("Magnesium Is Linked To Migraine").strength == NONE


def test_a_recommendation_in_a_second_sentence_leaves_the_first_standing():
    assert classify("Magnesium is good for joint pain. It is also recommended by doctors.").strength == DIRECT
    assert classify("Models should be preferred, e.g. that may influence sleep.").strength == NONE


def test_a_charge_is_not_the_direction_of_a_relationship():
    assert classify("Magnesium ions are positively charged.") == Reading(NONE)
    assert classify("Magnesium was inversely related to pain.").strength == CORRELATIONAL


# A sanity set in the register of press releases and product pages, written for this test (the
# product, "Zorvex", is made up) and labelled before the classifier read it. Not fitted: the ones it
# gets wrong are marked as known gaps, not mended one by one.
_GAP = pytest.mark.xfail(strict=True, reason="known gap: a cause worded without a listed verb, role or idiom")


@pytest.mark.parametrize(
    ("sentence", "strength"),
    [
        ("Zorvex is essential for a healthy immune system, says its maker.", DIRECT),
        ("The new Zorvex blend calms the mind, helping you drift off faster.", DIRECT),
        ("Zorvex supports joint comfort, so you can stay active for longer.", DIRECT),
        pytest.param("Early findings suggest Zorvex may sharpen focus in older adults.", CONDITIONAL, marks=_GAP),
        ("Zorvex could help ease seasonal sniffles, the company said.", CONDITIONAL),
        ("Researchers found that people who took Zorvex were less likely to catch a cold.", CORRELATIONAL),
        ("Zorvex use was linked to better sleep in a survey of 2,000 adults.", CORRELATIONAL),
        ("Zorvex did not improve memory in the eight-week trial.", DIRECT),
        ("Zorvex comes in three refreshing flavours.", NONE),
        ("Ask your pharmacist whether Zorvex is right for you.", NONE),
        ("After eight weeks on Zorvex, volunteers' joint stiffness eased.", DIRECT),
        pytest.param("Zorvex is your secret weapon against afternoon fatigue.", DIRECT, marks=_GAP),
        pytest.param("Say goodbye to restless nights with Zorvex.", DIRECT, marks=_GAP),
    ],
)
def test_made_up_press_release_sentences(sentence, strength):
    assert classify(sentence).strength == strength
