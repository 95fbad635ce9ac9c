from django.core.management.base import BaseCommand, CommandError

from analysis import matching, matching_evaluation


class Command(BaseCommand):
    help = (
        "Pair precision and recall of the claim matcher against the hand grouping "
        "(fixtures/curation/assertions/groups.json), at the default threshold and over a range of thresholds."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--errors", type=int, default=0, metavar="N", help="Also list N wrong matches and N missed pairs."
        )

    def handle(self, *args, **options):
        try:
            claims, expected = matching_evaluation.load()
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"Cannot read the grouping: {exc}", returncode=2) from None
        scores = matching_evaluation.scored_pairs(claims)
        self.stdout.write(f"{len(claims)} claims, {len(expected)} same-assertion pairs (hand grouping)")
        self.stdout.write("threshold  predicted  correct  precision  recall")
        for row in matching_evaluation.curve(scores, expected):
            mark = "  <- default" if row.threshold == matching.DEFAULT_MIN_SCORE else ""
            self.stdout.write(
                f"{row.threshold:9.2f}  {row.predicted:9d}  {row.correct:7d}  "
                f"{row.precision:9.3f}  {row.recall:6.3f}{mark}"
            )
        if options["errors"]:
            threshold = matching.DEFAULT_MIN_SCORE
            wrong = sorted(
                ((r.score, p) for p, r in scores.items() if r.score >= threshold and p not in expected), reverse=True
            )
            missed = sorted(p for p in expected if p not in scores or scores[p].score < threshold)
            for label, rows in (("Wrong", [p for _, p in wrong]), ("Missed", missed)):
                for i, j in rows[: options["errors"]]:
                    self.stdout.write(f"{label}: {claims[i]['statement']} | {claims[j]['statement']}")
