import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bench import synthetic


class Command(BaseCommand):
    help = (
        "Fill the database with a reproducible synthetic data set for benchmarks and load tests: "
        "articles, claims with exact offsets, studies (DOIs under the example prefix 10.1000/), "
        "ratings by synthetic reviewers, consensus and marketing flags. Refuses to run on a "
        "database that holds real articles unless --force. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=2000)
        parser.add_argument("--claims", type=int, default=100_000)
        parser.add_argument("--ratings-per-claim", type=int, default=3)
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")
        parser.add_argument("--force", action="store_true", help="Add synthetic data beside real articles.")

    def handle(self, articles, claims, ratings_per_claim, seed, force, verbosity, **options):
        if articles < 1 or claims < 0 or ratings_per_claim < 0:
            raise CommandError("--articles must be at least 1; --claims and --ratings-per-claim at least 0.")
        if ratings_per_claim > synthetic.REVIEWER_COUNT:
            raise CommandError(f"--ratings-per-claim is at most {synthetic.REVIEWER_COUNT} (one per reviewer).")
        if synthetic.has_real_articles() and not force:
            raise CommandError(
                "This database holds real (non-synthetic) articles; seeding would mix fake data into it. "
                "Use an empty database (e.g. DATABASE_URL=sqlite:///bench.sqlite3), or --force."
            )
        if synthetic.has_synthetic_articles():
            raise CommandError(
                "This database already holds synthetic articles. Start from an empty database "
                "(e.g. `manage.py flush`) so that a seed always gives the same data."
            )
        from rich.console import Console
        from rich.progress import Progress

        started = time.monotonic()
        with (
            Progress(console=Console(stderr=True), disable=verbosity == 0, transient=True) as bar,
            transaction.atomic(),
        ):
            task = bar.add_task("Seeding claims", total=claims)
            counts = synthetic.seed(articles, claims, ratings_per_claim, seed, progress=lambda n: bar.advance(task, n))
        synthetic.refresh_statistics()
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{n} {name}" for name, n in counts.as_dict().items())
        self.stdout.write(self.style.SUCCESS(f"Seeded in {elapsed:.1f} s: {summary}."))
