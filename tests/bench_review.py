"""
Benchmark of the review pages (not part of the suite: pytest collects test_*.py only).

Builds N synthetic claims in a fresh test database (never the real one), rated
by three reviewers so that about a third disagree, then times each review page
through the test client (median of several requests, milliseconds) and counts
its queries. Usage:

    .venv/bin/python -m tests.bench_review 100 2000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mg_bench .venv/bin/python -m tests.bench_review 2000
"""

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mgreview.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from claims.models import Claim, Rating  # noqa: E402

STRENGTHS = ["high", "moderate", "low", "very_low", "none"]
VERDICTS = ["supports", "partially", "does_not_support", "not_found"]


def build(count):
    # Usernames carry the size: an in-memory SQLite test database can outlive destroy_test_db.
    from tests import factories

    reviewers = [factories.make_reviewer(f"bench{count}-r{i}") for i in range(3)]
    lead = factories.make_lead(f"bench{count}-lead")
    text = " ".join(f"Sentence {n} says magnesium helps." for n in range(count))
    article = factories.make_article(text=text, title=f"Bench article {count}")
    claims = []
    offset = 0
    for n in range(count):
        quote = f"Sentence {n} says magnesium helps."
        start = text.index(quote, offset)
        offset = start + len(quote)
        claims.append(Claim(article=article, quote=quote, start=start, end=offset, statement=quote))
    claims = Claim.objects.bulk_create(claims)
    ratings = []
    for n, claim in enumerate(claims):
        for i, reviewer in enumerate(reviewers[:2] if n % 2 else reviewers):
            disagree = n % 3 == 0 and i == 1
            ratings.append(
                Rating(
                    claim=claim,
                    reviewer=reviewer,
                    evidence_strength=STRENGTHS[(n + disagree) % 5],
                    verdict=VERDICTS[n % 4],
                )
            )
    Rating.objects.bulk_create(ratings)
    # bench-r2 rated every other claim: their queue holds the rest.
    return reviewers[2], lead, claims[len(claims) // 2 + 1]


def measure(client, url, repeat=7):
    client.get(url)  # warm
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), len(queries)


def main(sizes):
    vendor = connection.vendor
    for count in sizes:
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            reviewer, lead, middle = build(count)
            # Not setup_test_environment(): its instrumented template rendering would dominate the figures.
            client = Client(HTTP_HOST="127.0.0.1")
            rows = []
            for who, user in (("reviewer", reviewer), ("lead", lead)):
                client.force_login(user)
                for name, url in (
                    ("queue", reverse("review:queue")),
                    ("claim", reverse("review:claim", args=[middle.pk])),
                    ("conflicts", reverse("review:conflicts")),
                    ("agreement", reverse("review:agreement")),
                ):
                    ms, queries = measure(client, url)
                    rows.append(f"{vendor:10} {count:6} claims  {who:8} {name:10} {ms:8.1f} ms  {queries:3} queries")
            print("\n".join(rows), flush=True)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100, 2000])
