import json

from django.core.management.base import BaseCommand

from analysis.detector import Detector
from analysis.evaluation import marketing_scores, marketing_scores_by_article


class Command(BaseCommand):
    help = (
        "Measure the marketing detector (the lexicon as it is now in the database) against the "
        "hand-annotated marketing phrases of the corpus (fixtures/curation/marketing.json): precision "
        "and recall, overall, per category and per article; overlapping spans count as a match. Writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
        parser.add_argument("--details", action="store_true", help="Also list the misses and the unmatched hits.")

    def handle(self, *args, **options):
        details = options["details"]
        detector = Detector.from_lexicon()
        overall, by_category = marketing_scores(detector)
        by_article = marketing_scores_by_article(detector)
        if options["json"]:
            data = {
                "overall": overall.as_dict(),
                "by_category": {k: v.as_dict() for k, v in by_category.items()},
                "by_article": {k: v.as_dict() for k, v in by_article.items()},
            }
            if details:
                data["misses"] = [_row(m) for m in overall.misses]
                data["unmatched"] = [_row(m) for m in overall.extras]
            self.stdout.write(_dumps(data))
            return
        self.stdout.write(_line("all categories", overall))
        for category, scores in by_category.items():
            self.stdout.write(_line(category, scores))
        self.stdout.write("")
        for name, scores in by_article.items():
            self.stdout.write(_line(name.split("_", 1)[0], scores))
        if details:
            for title, rows in (
                ("Missed annotations", overall.misses),
                ("Hits matching no annotation", overall.extras),
            ):
                self.stdout.write(f"\n{title}:")
                for row in rows:
                    self.stdout.write(f"  {row[0]} [{row[4]}] {row[3]!r}")


def _row(row):
    file, start, end, text, category = row
    return {"file": file, "start": start, "end": end, "text": text, "category": category}


def _line(label, s):
    return (
        f"{label:<18} precision {s.precision:.2f} ({s.suggested_matching}/{s.suggested})   "
        f"recall {s.recall:.2f} ({s.curated_found}/{s.curated})"
    )


def _dumps(data):
    return json.dumps(data, ensure_ascii=False, indent=1)
