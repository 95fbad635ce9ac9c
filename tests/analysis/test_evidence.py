"""analysis/evidence.py: the kind of evidence an article mentions for a claim, with its cues."""

import pytest

from analysis.evidence import paragraph_bounds, read
from claims.choices import EvidenceHint

# Made-up sentences about a fictional supplement.
KINDS = [
    ("A meta-analysis of nine trials found zorbium lowered pain.", EvidenceHint.REVIEW, "meta-analysis"),
    ("A systematic review says zorbium helps sleep.", EvidenceHint.REVIEW, "systematic review"),
    ("In a randomised, placebo-controlled trial, zorbium eased cramps.", EvidenceHint.HUMAN_TRIAL, "randomised"),
    ("Adults who took zorbium slept better.", EvidenceHint.HUMAN_TRIAL, "Adults who took"),
    ("A cohort study of nurses linked zorbium to fewer migraines.", EvidenceHint.HUMAN_OBSERVATIONAL, "cohort study"),
    ("People with low zorbium have more migraines.", EvidenceHint.HUMAN_OBSERVATIONAL, "People with low"),
    ("Zorbium healed nerves in rats.", EvidenceHint.ANIMAL, "rats"),
    ("Mice given zorbium ran further.", EvidenceHint.ANIMAL, "Mice"),
    ("Zorbium protected cultured neurons in vitro.", EvidenceHint.IN_VITRO, "cultured neurons"),
    ("Studies show zorbium reduces pain.", EvidenceHint.STUDY, "Studies"),
    ("Zorbium reduces pain (Quillfeather 2031).", EvidenceHint.STUDY, "(Quillfeather 2031)"),
    ("Zorbium reduces pain (Quillfeather et al., 2031).", EvidenceHint.STUDY, "(Quillfeather et al., 2031)"),
    ("I started taking zorbium and my pain vanished.", EvidenceHint.TESTIMONIAL, "I started"),
    ("Customers say zorbium changed their lives.", EvidenceHint.TESTIMONIAL, "Customers say"),
    ("Experts agree that zorbium calms the nerves.", EvidenceHint.AUTHORITY, "Experts agree"),
    ("Zorbium is often recommended for sleep.", EvidenceHint.AUTHORITY, "is often recommended"),
    ("Zorbium cures nerve pain.", EvidenceHint.NONE, None),
]


@pytest.mark.parametrize(("sentence", "hint", "cue"), KINDS)
def test_each_kind_with_the_words_that_say_so(sentence, hint, cue):
    reading = read(sentence)
    assert reading.hint == hint
    if cue is None:
        assert reading.cues == ()
    else:
        assert cue in [c.text for c in reading.cues]


@pytest.mark.parametrize(("sentence", "_hint", "_cue"), KINDS)
def test_cue_offsets_point_at_the_cue(sentence, _hint, _cue):
    for cue in read(sentence).cues:
        assert sentence[cue.start : cue.end] == cue.text


def test_people_come_before_animals_and_animals_before_an_unstated_study():
    assert read("A study in mice and a trial in adults found zorbium helps.").hint == EvidenceHint.HUMAN_TRIAL
    reading = read("One study found zorbium healed mice.")
    assert reading.hint == EvidenceHint.ANIMAL
    assert [c.text for c in reading.cues] == ["study", "mice"]  # the unstated study is shown beside it


def test_the_paragraph_is_read_but_not_the_next_one():
    text = "Zorbium cures nerve pain. In one study, rats healed.\n\nCustomers say it works."
    reading = read(text, 0, len("Zorbium cures nerve pain."))
    assert reading.hint == EvidenceHint.ANIMAL
    assert all(cue.end <= text.index("\n") for cue in reading.cues)  # offsets are the text's


def test_paragraph_bounds_stop_at_line_breaks():
    text = "Heading\nFirst line. Claim here.\nNext"
    start = text.index("Claim")
    assert text[slice(*paragraph_bounds(text, start, start + 5))] == "First line. Claim here."


def test_words_that_only_look_like_evidence_are_not_cues():
    # "ratio" is not "rat", "studio" not "study", "Mr. Drake" is no doctor.
    assert read("The zorbium ratio in the studio was high.").hint == EvidenceHint.NONE
