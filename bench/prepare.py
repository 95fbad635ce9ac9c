"""
Make a benchmark database ready: create it (PostgreSQL), migrate, seed the
synthetic data set once, refresh planner statistics.

    python bench/prepare.py DATABASE_URL [--claims N]

Exits 2 when the database server cannot be reached (make bench then skips
that engine). The seed is the one docs/benchmarks.md describes, scaled to N
claims (100,000 by default) with one article per 50 claims; the seeding time
and the database's size go to bench/data/seed-<engine>-<N>.json.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench" / "data"
CLAIMS_PER_ARTICLE = 50


def seed_options(claims):
    """seed_synthetic's options for a data set of `claims` claims (2,000 articles at 100,000)."""
    return {"articles": max(12, claims // CLAIMS_PER_ARTICLE), "claims": claims, "ratings_per_claim": 3, "seed": 1}


def create_postgres_database(url):
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    params = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
    }
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5, **params) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL not reachable ({exc}).", file=sys.stderr)
        raise SystemExit(2) from None


def database_bytes(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        else:
            cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def main(url, claims):
    if url.startswith(("postgres://", "postgresql://")):
        create_postgres_database(url)
    elif url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mgreview.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import synthetic
    from claims.models import Article, Claim

    call_command("migrate", interactive=False, verbosity=0)
    if not Article.objects.filter(is_synthetic=True).exists():
        started = time.perf_counter()
        call_command("seed_synthetic", **seed_options(claims))
        seconds = time.perf_counter() - started
        # The automatic reading of every claim, as `make db` gives the corpus: the wording,
        # evidence and overclaim filters then have data to filter.
        started = time.perf_counter()
        call_command("refresh_readings")
        reading_seconds = time.perf_counter() - started
        # The readings rewrote every claim row: on PostgreSQL the visibility map that index-only
        # scans (the capped counts) need is cleared again until the next VACUUM.
        synthetic.refresh_statistics()
        DATA.mkdir(parents=True, exist_ok=True)
        record = {
            "claims": Claim.objects.count(),
            "seed_seconds": round(seconds, 1),
            "reading_seconds": round(reading_seconds, 1),
            "database_bytes": database_bytes(connection),
            "load_average": os.getloadavg()[0],
        }
        (DATA / f"seed-{connection.vendor}-{claims}.json").write_text(json.dumps(record, indent=1))
        size_mb = record["database_bytes"] / 1e6
        print(f"seeded {record['claims']:,} claims in {seconds:.0f} s; database {size_mb:,.0f} MB")
    elif Claim.objects.filter(article__is_synthetic=True).count() != claims:
        raise SystemExit(f"{url} holds another data set than {claims:,} claims: drop it or choose another database.")
    else:
        if Claim.objects.filter(wording_strength="").exists():
            call_command("refresh_readings")  # a database seeded before claims carried readings
        synthetic.refresh_statistics()  # new indexes from later migrations need statistics too


if __name__ == "__main__":
    parser = argparse.ArgumentParser(usage=__doc__)
    parser.add_argument("url")
    parser.add_argument("--claims", type=int, default=100_000)
    args = parser.parse_args()
    main(args.url, args.claims)
