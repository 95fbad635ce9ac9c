import json

from django.core.management.base import BaseCommand

from analysis.detector import Detector
from analysis.evaluation import claim_suggestion_scores
from analysis.importer import analyse


class Command(BaseCommand):
    help = (
        "Measure the importer's claim suggestions against the curated corpus claims "
        "(fixtures/curation/claims.json) by analysing the five corpus files as a dry run: precision, "
        "recall (overlapping spans match) and topic accuracy. Writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
        parser.add_argument("--details", action="store_true", help="Also list the missed curated claims.")

    def handle(self, *args, **options):
        detector = Detector.from_lexicon()
        scores, topic_accuracy = claim_suggestion_scores(lambda name, data: analyse(name, data, detector=detector))
        data = {**scores.as_dict(), "topic_accuracy": round(topic_accuracy, 3)}
        if options["json"]:
            if options["details"]:
                data["misses"] = [{"file": m[0], "quote": m[3]} for m in scores.misses]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        self.stdout.write(
            f"claim suggestions: precision {scores.precision:.2f} ({scores.suggested_matching}/{scores.suggested})   "
            f"recall {scores.recall:.2f} ({scores.curated_found}/{scores.curated})   "
            f"topic right on {topic_accuracy:.0%} of matching suggestions"
        )
        if options["details"]:
            for m in scores.misses:
                self.stdout.write(f"  missed in {m[0]}: {m[3]!r}")
