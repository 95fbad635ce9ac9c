"""`manage.py evaluate_language`: the figures on a labelled CSV, and a clear failure when the data is absent."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from analysis.language_scores import (
    CORPUS_WORDING,
    DEFAULT_DATA,
    LabelledDataError,
    read_corpus_wording,
    sentences_per_second,
)
from claims.choices import WordingStrength

# Plainly fictional sentences: one classified wrongly (labelled conditional, read as direct).
LABELLED = """sentence,label
Blue tea reduces zorb fever.,1
Blue tea may reduce zorb fever.,2
Blue tea is linked to zorb fever.,3
Zorb fever is common on Mars.,0
Blue tea cures zorb fever.,2
Blue tea is sold on Tuesdays.,0
"""


def run(*args):
    out = StringIO()
    call_command("evaluate_language", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def labelled_csv(tmp_path):
    path = tmp_path / "labelled.csv"
    path.write_text(LABELLED, encoding="utf-8")
    return str(path)


def test_it_reports_per_strength_scores_macro_f1_accuracy_and_confusion(labelled_csv):
    figures = json.loads(run(labelled_csv, "--json", "--runs", "0"))
    assert (figures["sentences"], figures["accuracy"], figures["macro_f1"]) == (6, 0.833, 0.833)
    assert figures["by_strength"]["conditional_causal"] == {"precision": 1.0, "recall": 0.5, "f1": 0.667, "support": 2}
    assert figures["by_strength"]["direct_causal"] == {"precision": 0.5, "recall": 1.0, "f1": 0.667, "support": 1}
    assert figures["by_strength"]["no_relationship"]["f1"] == 1.0
    assert figures["confusion"]["conditional_causal"] == {
        "no_relationship": 0,
        "correlational": 0,
        "conditional_causal": 1,
        "direct_causal": 1,
    }
    assert figures["sentences_per_second"] is None


def test_the_text_report_names_every_figure(labelled_csv):
    out = run(labelled_csv, "--runs", "2")
    assert "6 labelled sentences from" in out
    assert "conditional_causal       1.000   0.500  0.667          2" in out
    assert "macro-F1 0.833   accuracy 0.833" in out
    assert "Confusion matrix (rows: labelled, columns: classified as)" in out
    assert "sentences/s (median of 2 timed passes)" in out


def test_labels_may_be_strength_names(tmp_path):
    path = tmp_path / "named.csv"
    path.write_text("sentence,label\nBlue tea reduces zorb fever.,direct_causal\n", encoding="utf-8")
    assert json.loads(run(str(path), "--json", "--runs", "0"))["accuracy"] == 1.0


def test_absent_data_fails_saying_so(tmp_path):
    message = r"No labelled sentences at .*nowhere\.csv\. Nothing was measured\."
    with pytest.raises(CommandError, match=message) as error:
        run(str(tmp_path / "nowhere.csv"))
    assert error.value.returncode != 0


def test_the_default_data_is_the_shared_data_set_beside_the_project(monkeypatch, tmp_path):
    assert Path(settings.BASE_DIR).parent / "shared/data/causal-language/pubmed_causal_language_use.csv" == DEFAULT_DATA
    monkeypatch.setattr("analysis.management.commands.evaluate_language.DEFAULT_DATA", tmp_path / "absent.csv")
    with pytest.raises(CommandError, match="absent.csv. Nothing was measured."):
        run()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"text,strength\nBlue tea reduces zorb fever.,1\n", "needs the columns sentence and label"),
        (b"sentence,label\nBlue tea reduces zorb fever.,7\n", "line 2: unknown label '7'"),
        (b"sentence,label\nCaf\xe9 tea,1\n", "is not UTF-8 text"),
    ],
)
def test_unreadable_data_fails_saying_why(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(str(path), "--runs", "0")


def test_the_classifier_reads_thousands_of_sentences_a_second():
    # The issue asks for 2,000 a second; the rules run at about 15,000 on the development machine.
    sentences = [line.split(",")[0] for line in LABELLED.splitlines()[1:]] * 200
    assert sentences_per_second(sentences, runs=3) > 2000


def test_corpus_labels_are_paired_with_the_quote_of_the_claim_they_name(tmp_path):
    claims = tmp_path / "claims.json"
    claims.write_text(json.dumps([{"quote": "Blue tea reduces zorb fever."}, {"quote": "Blue tea is sold."}]))
    wording = tmp_path / "wording.json"
    wording.write_text(
        json.dumps(
            {"labels": [{"claim_id": 2, "strength": "no_relationship"}, {"claim_id": 1, "strength": "direct_causal"}]}
        )
    )
    assert read_corpus_wording(claims, wording) == [
        ("Blue tea is sold.", WordingStrength.NO_RELATIONSHIP),
        ("Blue tea reduces zorb fever.", WordingStrength.DIRECT_CAUSAL),
    ]


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ([{"claim_id": 3, "strength": "direct_causal"}], "no claim 3 in"),
        ([{"claim_id": 1, "strength": "strong"}], "claim 1 has unknown strength 'strong'"),
    ],
)
def test_corpus_labels_naming_no_claim_or_no_strength_are_refused(tmp_path, labels, message):
    claims = tmp_path / "claims.json"
    claims.write_text(json.dumps([{"quote": "Blue tea reduces zorb fever."}]))
    wording = tmp_path / "wording.json"
    wording.write_text(json.dumps({"labels": labels}))
    with pytest.raises(LabelledDataError, match=message):
        read_corpus_wording(claims, wording)


def test_absent_corpus_labels_are_refused(tmp_path):
    with pytest.raises(LabelledDataError, match="No file at .*absent.json"):
        read_corpus_wording(tmp_path / "claims.json", tmp_path / "absent.json")


def test_corpus_measures_every_hand_labelled_corpus_claim():
    figures = json.loads(run("--corpus", "--json", "--runs", "0"))
    assert (figures["path"], figures["sentences"]) == (str(CORPUS_WORDING), 227)
    assert sum(s["support"] for s in figures["by_strength"].values()) == 227


def test_corpus_and_a_path_are_not_given_together(labelled_csv):
    with pytest.raises(CommandError, match="not both"):
        run(labelled_csv, "--corpus")
