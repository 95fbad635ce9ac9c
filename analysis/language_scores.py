"""
How well the wording classifier (analysis/language.py) agrees with sentences
labelled by hand, and how fast it reads them. Read-only.

The labelled data set (Yu, Li and Wang 2019, "Detecting causal language use
in science findings") is not part of the project: it carries its own licence,
so it is read where it lies, beside the project, at run time. The corpus
claims' wording, labelled by hand for this project, is a fixture.
"""

import csv
import json
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from claims.choices import WordingStrength

from .language import classify

DEFAULT_DATA = Path(settings.BASE_DIR).parent / "shared" / "data" / "causal-language" / "pubmed_causal_language_use.csv"

CORPUS_CLAIMS = Path(settings.BASE_DIR) / "fixtures" / "curation" / "claims.json"
CORPUS_WORDING = Path(settings.BASE_DIR) / "fixtures" / "curation" / "wording" / "claims-wording.json"

# The data set's label numbers.
LABEL_NUMBERS = {
    "0": WordingStrength.NO_RELATIONSHIP,
    "1": WordingStrength.DIRECT_CAUSAL,
    "2": WordingStrength.CONDITIONAL_CAUSAL,
    "3": WordingStrength.CORRELATIONAL,
}


class LabelledDataError(Exception):
    """The labelled sentences are absent or unreadable; the message says which and why."""


def strength_of_label(label):
    """A strength from a label number ("1") or name ("direct_causal"); None when it is neither."""
    label = label.strip()
    if label in LABEL_NUMBERS:
        return LABEL_NUMBERS[label]
    return WordingStrength(label) if label in WordingStrength.values else None


def read_labelled_csv(path):
    """[(sentence, strength)] from a CSV with the columns sentence and label (0-3, or a strength's name)."""
    path = Path(path)
    if not path.is_file():
        raise LabelledDataError(f"No labelled sentences at {path}.")
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except UnicodeDecodeError as error:
        raise LabelledDataError(f"{path} is not UTF-8 text ({error.reason} at byte {error.start}).") from error
    if not rows or not {"sentence", "label"} <= set(rows[0]):
        raise LabelledDataError(f"{path} needs the columns sentence and label.")
    labelled = []
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        strength = strength_of_label(row["label"] or "")
        if strength is None:
            raise LabelledDataError(f"{path}, line {number}: unknown label {row['label']!r}.")
        labelled.append((row["sentence"].strip(), strength))
    return labelled


def read_corpus_wording(claims_path=CORPUS_CLAIMS, wording_path=CORPUS_WORDING):
    """
    [(quote, strength)] for the corpus claims labelled by hand. The labels name
    claims by claim_id: the n-th claim of fixtures/curation/claims.json is claim n.
    """
    wording, claims = _read_json(wording_path), _read_json(claims_path)
    labelled = []
    for label in wording.get("labels", []):
        claim_id, strength = label.get("claim_id"), strength_of_label(str(label.get("strength", "")))
        if not isinstance(claim_id, int) or not 1 <= claim_id <= len(claims):
            raise LabelledDataError(f"{wording_path}: no claim {claim_id!r} in {claims_path}.")
        if strength is None:
            raise LabelledDataError(f"{wording_path}: claim {claim_id} has unknown strength {label.get('strength')!r}.")
        labelled.append((claims[claim_id - 1]["quote"], strength))
    return labelled


def _read_json(path):
    path = Path(path)
    if not path.is_file():
        raise LabelledDataError(f"No file at {path}.")
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass
class Scores:
    """Agreement of predicted strengths with labelled ones."""

    labelled: list  # [strength] by hand
    predicted: list  # [strength] by the classifier, in the same order

    @property
    def confusion(self):
        """Counter {(labelled, predicted): count}."""
        return Counter(zip(self.labelled, self.predicted, strict=True))

    def precision(self, strength):
        predicted = sum(1 for p in self.predicted if p == strength)
        return self.confusion[(strength, strength)] / predicted if predicted else 0.0

    def recall(self, strength):
        labelled = sum(1 for g in self.labelled if g == strength)
        return self.confusion[(strength, strength)] / labelled if labelled else 0.0

    def f1(self, strength):
        p, r = self.precision(strength), self.recall(strength)
        return 2 * p * r / (p + r) if p + r else 0.0

    def support(self, strength):
        return sum(1 for g in self.labelled if g == strength)

    @property
    def macro_f1(self):
        """The mean F1 of the four strengths (each counts the same, however rare)."""
        return statistics.fmean(self.f1(s) for s in WordingStrength)

    @property
    def accuracy(self):
        if not self.labelled:
            return 0.0
        return sum(1 for g, p in zip(self.labelled, self.predicted, strict=True) if g == p) / len(self.labelled)

    def as_dict(self):
        confusion = self.confusion
        return {
            "sentences": len(self.labelled),
            "accuracy": round(self.accuracy, 3),
            "macro_f1": round(self.macro_f1, 3),
            "by_strength": {
                s.value: {
                    "precision": round(self.precision(s), 3),
                    "recall": round(self.recall(s), 3),
                    "f1": round(self.f1(s), 3),
                    "support": self.support(s),
                }
                for s in WordingStrength
            },
            # rows: the labelled strength; columns: the predicted one
            "confusion": {g.value: {p.value: confusion[(g, p)] for p in WordingStrength} for g in WordingStrength},
        }


def score(labelled):
    """Scores of the classifier on [(sentence, strength)]."""
    return Scores([strength for _, strength in labelled], [classify(sentence).strength for sentence, _ in labelled])


def sentences_per_second(sentences, runs=5):
    """The median, over `runs` timed passes, of sentences classified per second."""
    rates = []
    for _ in range(runs):
        started = time.perf_counter()
        for sentence in sentences:
            classify(sentence)
        rates.append(len(sentences) / (time.perf_counter() - started))
    return statistics.median(rates)
