"""
Make a benchmark database ready: create it (PostgreSQL), migrate, seed the
synthetic data set once, refresh planner statistics.

    python bench/prepare.py DATABASE_URL

Exits 2 when the database server cannot be reached (make bench then skips
that engine). The seed is the one docs/benchmarks.md describes.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEED = {"articles": 2000, "claims": 100_000, "ratings_per_claim": 3, "seed": 1}


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


def main(url):
    if url.startswith(("postgres://", "postgresql://")):
        create_postgres_database(url)
    elif url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mgreview.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from bench import synthetic
    from claims.models import Article

    call_command("migrate", interactive=False, verbosity=0)
    if not Article.objects.filter(is_synthetic=True).exists():
        call_command("seed_synthetic", **SEED)
    else:
        synthetic.refresh_statistics()  # new indexes from later migrations need statistics too


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
