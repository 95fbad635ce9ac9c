"""
Benchmark of matching one new claim against the stored claims; figures go to
docs/matching.md and docs/benchmarks.md ("Claim matching").

    .venv/bin/python manage.py migrate --database default   # with DATABASE_URL below, once
    DATABASE_URL=sqlite:///bench/data/match.sqlite3 .venv/bin/python manage.py seed_synthetic \\
        --claims 100000 --articles 2000 --ratings-per-claim 0 --seed 1
    DATABASE_URL=sqlite:///bench/data/match.sqlite3 .venv/bin/python bench/match_bench.py --runs 5

For each of a fixed list of new claims (statements written for the benchmark,
plainly fictional), it times analysis.matching.matches_for: the full-text
candidate query and the scoring of every candidate, as match_claims and
import_article --dry-run run it. Reported: the median and the worst of the
per-claim medians over --runs rounds, in milliseconds.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mgreview.settings")

NEW_CLAIMS = (
    "Magnesium may reduce nerve pain in people with diabetes.",
    "Studies show magnesium improves sleep quality.",
    "Magnesium blocks the NMDA receptor.",
    "Magnesium citrate eases anxiety.",
    "Magnesium lowers inflammation markers.",
    "Magnesium reduced neuropathic pain in rats.",
    "Low magnesium causes muscle cramps.",
    "Magnesium prevents migraine headaches.",
)


def main():
    import django

    django.setup()
    from django.db import connection

    from analysis import matching
    from claims.models import Claim

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    total = Claim.objects.count()
    timings = {text: [] for text in NEW_CLAIMS}
    found = {}
    for _ in range(args.runs):
        for text in NEW_CLAIMS:
            claim = SimpleNamespace(pk=None, statement=text, population="unspecified")
            started = time.perf_counter()
            found[text] = matching.matches_for(claim)
            timings[text].append((time.perf_counter() - started) * 1000)
    medians = {text: statistics.median(values) for text, values in timings.items()}
    print(f"{connection.vendor}, {total:,} claims, {args.runs} runs per claim")
    for text, median in medians.items():
        print(f"{median:8.1f} ms  {len(found[text]):4d} matches  {text}")
    print(f"median {statistics.median(medians.values()):.1f} ms, worst {max(medians.values()):.1f} ms")


if __name__ == "__main__":
    main()
