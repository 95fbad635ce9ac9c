import json

from django.core.management.base import BaseCommand, CommandError

from analysis.language_scores import (
    CORPUS_WORDING,
    DEFAULT_DATA,
    LabelledDataError,
    read_corpus_wording,
    read_labelled_csv,
    score,
    sentences_per_second,
)
from claims.choices import WordingStrength


class Command(BaseCommand):
    help = (
        "Measure the wording classifier against hand-labelled sentences: precision, recall and F1 per strength, "
        "macro-F1, accuracy, the confusion matrix and the speed (sentences per second, the median of --runs "
        "passes). PATH is a CSV with the columns sentence,label (0 no relationship, 1 direct causal, 2 conditional "
        "causal, 3 correlational, or the strength's name); by default the causal-language data set beside the "
        "project, ../shared/data/causal-language/. With --corpus, the corpus claims' quotes against their "
        "wording labelled by hand (fixtures/curation/wording/claims-wording.json). Fails, saying so, when the "
        "data is absent. Writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", metavar="PATH", help="The labelled CSV.")
        parser.add_argument(
            "--corpus", action="store_true", help="Measure on the corpus claims labelled by hand instead of a CSV."
        )
        parser.add_argument("--runs", type=int, default=5, help="Timed passes for the speed (0: do not time).")
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")

    def handle(self, *args, **options):
        if options["corpus"] and options["path"]:
            raise CommandError("Give a PATH or --corpus, not both.")
        source = str(CORPUS_WORDING) if options["corpus"] else options["path"] or str(DEFAULT_DATA)
        try:
            labelled = read_corpus_wording() if options["corpus"] else read_labelled_csv(source)
        except LabelledDataError as error:
            raise CommandError(f"{error} Nothing was measured.") from error
        scores = score(labelled)
        speed = sentences_per_second([s for s, _ in labelled], options["runs"]) if options["runs"] > 0 else None
        if options["json"]:
            data = {"path": source, **scores.as_dict(), "sentences_per_second": speed and round(speed)}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"{len(labelled)} labelled sentences from {source}\n")
        self.stdout.write(f"{'':<20}{'precision':>10}{'recall':>8}{'F1':>7}{'sentences':>11}")
        for s in WordingStrength:
            self.stdout.write(
                f"{s.value:<20}{scores.precision(s):>10.3f}{scores.recall(s):>8.3f}{scores.f1(s):>7.3f}"
                f"{scores.support(s):>11}"
            )
        self.stdout.write(f"\nmacro-F1 {scores.macro_f1:.3f}   accuracy {scores.accuracy:.3f}\n")
        self.stdout.write("Confusion matrix (rows: labelled, columns: classified as)")
        self.stdout.write(f"{'':<20}" + "".join(f"{s.value:>20}" for s in WordingStrength))
        confusion = scores.confusion
        for labelled_as in WordingStrength:
            counts = "".join(f"{confusion[(labelled_as, s)]:>20}" for s in WordingStrength)
            self.stdout.write(f"{labelled_as.value:<20}{counts}")
        if speed is not None:
            self.stdout.write(f"\nSpeed: {speed:,.0f} sentences/s (median of {options['runs']} timed passes)")
