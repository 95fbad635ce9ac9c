"""
Benchmark of the ratings CSV export; figures go to docs/benchmarks.md ("Export").

    make bench-export                      # or: .venv/bin/python bench/export_bench.py --runs 5

On a synthetic SQLite database of 100,000 claims x 3 ratings (built once with
`manage.py seed_synthetic` into bench/data/export.sqlite3, reused after), it
measures in one run, each contender in a fresh subprocess so that its peak
RSS (ru_maxrss) is its own:

- ours: public.exports.RATINGS over every rating (300,000 rows), as a lead
  gets it from the admin's "Export selected as CSV", through the same
  StreamingHttpResponse the view returns; and GET /export/ratings.csv as an
  anonymous visitor (the ratings of finalized claims, pseudonymised);
- the floor: the sqlite3 command-line shell (`sqlite3 -csv`) running the
  equivalent SQL on the same file, in two forms: the same 23 columns in the
  same order (studies and flags aggregated per claim with group_concat), and
  a plain join of the rating, claim, article, reviewer and consensus columns;
- what any Python exporter pays at least: Python's sqlite3 module fetching
  the plain join into csv.writer;
- django-import-export at its default settings, twice:
  - a bare ModelResource for Rating: the same 300,000 ratings, but only
    Rating's own 9 columns (foreign keys as ids, no joins, one query);
  - a ModelResource giving the same 23 columns as ours, byte for byte
    (declared fields following foreign keys, dehydrate_<field> methods for
    the multi-valued cells): it queries per rating, so it runs on the ratings
    of the first --subset-claims claims in the /claims/ order (20,001
    ratings by default; 0 for all, which takes most of an hour), and ours
    runs on the same subset for the ratio.

Contenders are interleaved within each round and medians reported, since
other work on the machine moves single timings. Every contender writes its
CSV to /dev/null.
"""

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from common import cpu_model  # bench/ is the script directory

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "bench" / "data" / "export.sqlite3"
LEAD = "synthetic-lead-1"

# The same rows, columns and order as the ratings export (a lead's view: usernames).
EQUIVALENT_SQL = """
SELECT r.id AS rating_id, r.claim_id, c.quote AS claim_quote, c.statement AS claim_statement,
  a.title AS article_title, a.source_url AS article_url, c.topic, c.population, u.username AS reviewer,
  r.evidence_strength, r.verdict,
  (SELECT group_concat(j.value, '; ') FROM json_each(r.extrapolation_concerns) j) AS extrapolation_concerns,
  (SELECT group_concat(category, '; ') FROM (SELECT DISTINCT f.category FROM claims_marketingflag f
     WHERE f.claim_id = c.id AND f.state = 'confirmed' ORDER BY f.category)) AS marketing_flags,
  (SELECT group_concat(s.citation, '; ') FROM claims_citation ci JOIN claims_study s ON s.id = ci.study_id
     WHERE ci.claim_id = c.id) AS study_citations,
  (SELECT group_concat(s.url, '; ') FROM claims_citation ci JOIN claims_study s ON s.id = ci.study_id
     WHERE ci.claim_id = c.id) AS study_urls,
  (SELECT group_concat(s.doi, '; ') FROM claims_citation ci JOIN claims_study s ON s.id = ci.study_id
     WHERE ci.claim_id = c.id) AS study_dois,
  (SELECT group_concat(s.pmid, '; ') FROM claims_citation ci JOIN claims_study s ON s.id = ci.study_id
     WHERE ci.claim_id = c.id) AS study_pmids,
  (SELECT group_concat(s.design, '; ') FROM claims_citation ci JOIN claims_study s ON s.id = ci.study_id
     WHERE ci.claim_id = c.id) AS study_designs,
  r.notes, strftime('%Y-%m-%dT%H:%M:%SZ', r.updated_at) AS rated_at, c.status AS claim_status,
  CASE WHEN c.status = 'finalized' THEN co.evidence_strength ELSE '' END AS consensus_strength,
  CASE WHEN c.status = 'finalized' THEN co.verdict ELSE '' END AS consensus_verdict
FROM claims_rating r
JOIN claims_claim c ON c.id = r.claim_id
JOIN claims_article a ON a.id = c.article_id
JOIN auth_user u ON u.id = r.reviewer_id
LEFT JOIN claims_consensus co ON co.claim_id = c.id
ORDER BY a.title, c.article_id, c.start, c.id, r.created_at, r.id;
"""

# The plain join: the per-row columns only, no per-claim aggregates.
PLAIN_JOIN_SQL = """
SELECT r.id, r.claim_id, c.quote, c.statement, a.title, a.source_url, c.topic, c.population, u.username,
  r.evidence_strength, r.verdict, r.extrapolation_concerns, r.notes, r.updated_at, c.status,
  co.evidence_strength, co.verdict
FROM claims_rating r
JOIN claims_claim c ON c.id = r.claim_id
JOIN claims_article a ON a.id = c.article_id
JOIN auth_user u ON u.id = r.reviewer_id
LEFT JOIN claims_consensus co ON co.claim_id = c.id
ORDER BY a.title, c.article_id, c.start, c.id, r.created_at, r.id;
"""


# --------------------------------------------------------------------------
# Workers: each runs in its own process and prints one JSON line.


def setup_django(db):
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    # As in production: with DEBUG on, Django keeps the last 9,000 queries' SQL in memory
    # (connection.queries_log), which grew the heap by about 50 MB over a long export.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 30)
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    small_cache = os.environ.get("BENCH_SQLITE_SMALL_CACHE") == "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mgreview.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if small_cache:
        # SQLite's page cache (32 MB, settings.py) and memory-mapped file (256 MB) fill up as
        # a long export reads more pages: bounded, but they hide whether the Python side streams.
        from django.db.backends.signals import connection_created

        def shrink(sender, connection, **kwargs):
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size=-2000")
                cursor.execute("PRAGMA mmap_size=0")

        connection_created.connect(shrink, weak=False)


def consume(pieces, out):
    rows = 0
    for piece in pieces:
        rows += piece.count(b"\r\n")
        out.write(piece)
    return rows - 1  # the header


def worker_ours_all(db, out):
    setup_django(db)
    from public import exports

    ratings, lead = lead_ratings(None)
    return consume(exports.RATINGS.response(ratings, lead).streaming_content, out)


def worker_ours_anonymous_url(db, out):
    setup_django(db)
    from django.test import Client

    response = Client(HTTP_HOST="localhost").get("/export/ratings.csv", secure=True)  # DEBUG off: HTTPS only
    assert response.status_code == 200, response.status_code
    return consume(response.streaming_content, out)


def worker_import_export(db, out):
    """django-import-export, a bare ModelResource for Rating: its own 8 columns (foreign keys as ids)."""
    setup_django(db)
    from import_export import resources

    from claims.models import Rating

    class RatingResource(resources.ModelResource):
        class Meta:
            model = Rating

    dataset = RatingResource().export(queryset=Rating.objects.order_by("claim_id", "created_at", "id"))
    out.write(dataset.csv.encode())
    return len(dataset)


def same_columns_resource():
    """
    A django-import-export ModelResource giving the same 23 columns as
    /export/ratings.csv, written as a Django team would: declared fields
    that follow foreign keys (claim__quote, ...) and dehydrate_<field>
    methods for the cells made of several values. Its default settings; no
    select_related or prefetch_related, so every rating costs queries of
    its own (its claim, article, reviewer, consensus, flags, studies).
    Formula neutralisation is off (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT's
    default), which only spares it work.
    """
    import datetime

    from import_export import fields, resources

    from claims.models import ClaimStatus, Consensus, Rating

    def studies(rating, attribute):
        values = [getattr(study, attribute) for study in rating.claim.studies.order_by("citation", "id")]
        return "; ".join(values) if any(values) else ""

    def consensus(rating, attribute):
        if rating.claim.status != ClaimStatus.FINALIZED:
            return ""
        try:
            return getattr(rating.claim.consensus, attribute)
        except Consensus.DoesNotExist:
            return ""

    class RatingResource(resources.ModelResource):
        rating_id = fields.Field(attribute="id", column_name="rating_id")
        claim_id = fields.Field(attribute="claim_id", column_name="claim_id")
        claim_quote = fields.Field(attribute="claim__quote", column_name="claim_quote")
        claim_statement = fields.Field(attribute="claim__statement", column_name="claim_statement")
        article_title = fields.Field(attribute="claim__article__title", column_name="article_title")
        article_url = fields.Field(attribute="claim__article__source_url", column_name="article_url")
        topic = fields.Field(attribute="claim__topic", column_name="topic")
        population = fields.Field(attribute="claim__population", column_name="population")
        reviewer = fields.Field(attribute="reviewer__username", column_name="reviewer")
        extrapolation_concerns = fields.Field(column_name="extrapolation_concerns")
        marketing_flags = fields.Field(column_name="marketing_flags")
        study_citations = fields.Field(column_name="study_citations")
        study_urls = fields.Field(column_name="study_urls")
        study_dois = fields.Field(column_name="study_dois")
        study_pmids = fields.Field(column_name="study_pmids")
        study_designs = fields.Field(column_name="study_designs")
        rated_at = fields.Field(column_name="rated_at")
        claim_status = fields.Field(attribute="claim__status", column_name="claim_status")
        consensus_strength = fields.Field(column_name="consensus_strength")
        consensus_verdict = fields.Field(column_name="consensus_verdict")

        class Meta:
            model = Rating
            fields = (
                "rating_id", "claim_id", "claim_quote", "claim_statement", "article_title", "article_url", "topic",
                "population", "reviewer", "evidence_strength", "verdict", "extrapolation_concerns",
                "marketing_flags", "study_citations", "study_urls", "study_dois", "study_pmids", "study_designs",
                "notes", "rated_at", "claim_status", "consensus_strength", "consensus_verdict",
            )  # fmt: skip

        def dehydrate_extrapolation_concerns(self, rating):
            return "; ".join(rating.extrapolation_concerns)

        def dehydrate_marketing_flags(self, rating):
            categories = rating.claim.marketing_flags.confirmed().values_list("category", flat=True)
            return "; ".join(sorted(set(categories)))

        def dehydrate_study_citations(self, rating):
            return studies(rating, "citation")

        def dehydrate_study_urls(self, rating):
            return studies(rating, "url")

        def dehydrate_study_dois(self, rating):
            return studies(rating, "doi")

        def dehydrate_study_pmids(self, rating):
            return studies(rating, "pmid")

        def dehydrate_study_designs(self, rating):
            return studies(rating, "design")

        def dehydrate_rated_at(self, rating):
            return rating.updated_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

        def dehydrate_consensus_strength(self, rating):
            return consensus(rating, "evidence_strength")

        def dehydrate_consensus_verdict(self, rating):
            return consensus(rating, "verdict")

    return RatingResource


def lead_ratings(subset_claims):
    """The ratings a lead exports, in the /claims/ order; with subset_claims, those of the first claims only."""
    from django.contrib.auth import get_user_model

    from claims.models import Claim
    from public import exports
    from public.filters import DEFAULT_ORDERING

    lead = get_user_model().objects.get(username=LEAD)
    claims = Claim.objects.order_by(*DEFAULT_ORDERING)
    if subset_claims:
        claims = Claim.objects.filter(pk__in=list(claims.values_list("pk", flat=True)[:subset_claims]))
        claims = claims.order_by(*DEFAULT_ORDERING)
    return exports.ratings_of(claims, lead), lead


def worker_import_export_same_columns(db, out, subset_claims):
    setup_django(db)
    ratings, _ = lead_ratings(subset_claims)
    dataset = same_columns_resource()().export(queryset=ratings)
    out.write(dataset.csv.encode())
    return len(dataset)


def worker_ours_subset(db, out, subset_claims):
    setup_django(db)
    from public import exports

    ratings, lead = lead_ratings(subset_claims)
    return consume(exports.RATINGS.response(ratings, lead).streaming_content, out)


def worker_python_sqlite(db, out, sql):
    """The floor when the sqlite3 shell is missing: Python's sqlite3 module straight into csv.writer."""
    import csv
    import io
    import sqlite3

    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    writer = csv.writer(text)
    connection = sqlite3.connect(db)
    cursor = connection.execute(sql)
    writer.writerow([column[0] for column in cursor.description])
    rows = 0
    while batch := cursor.fetchmany(5000):
        writer.writerows(batch)
        rows += len(batch)
    text.flush()
    return rows


def worker_assign_pseudonyms(db, out):
    """The anonymous export hands out pseudonyms on its first run; done before the timings."""
    setup_django(db)
    from claims.models import ReviewerPseudonym

    return ReviewerPseudonym.objects.assign_missing()


WORKERS = {
    "assign-pseudonyms": worker_assign_pseudonyms,
    "ours-all": worker_ours_all,
    "ours-anonymous-url": worker_ours_anonymous_url,
    "django-import-export": worker_import_export,
    "django-import-export-same-columns": worker_import_export_same_columns,
    "ours-subset": worker_ours_subset,
    "python-sqlite3-equivalent": lambda db, out: worker_python_sqlite(db, out, EQUIVALENT_SQL),
    "python-sqlite3-plain": lambda db, out: worker_python_sqlite(db, out, PLAIN_JOIN_SQL),
}


# Workers that take the number of claims whose ratings they export (all of them when 0).
SUBSET_WORKERS = {"django-import-export-same-columns", "ours-subset"}


def anonymous_rss_mb():
    """This process's resident anonymous memory (heap, stacks), MB: RSS without mapped files."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


class AnonymousPeak:
    """
    Samples anonymous RSS every 20 ms while the export runs. The peak RSS also counts the
    pages of the SQLite file mapped into memory (mmap_size: up to 256 MB, settings.py),
    which grow with the database, not with what the export holds.
    """

    def __enter__(self):
        self.peak, self.done = anonymous_rss_mb(), threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while not self.done.wait(0.02):
            now = anonymous_rss_mb()
            if now is not None and (self.peak is None or now > self.peak):
                self.peak = now

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()


def run_worker(name, db, subset_claims=0, output=os.devnull):
    with open(output, "wb") as out, AnonymousPeak() as anonymous:
        wall, cpu = time.perf_counter(), time.process_time()
        rows = WORKERS[name](db, out, subset_claims) if name in SUBSET_WORKERS else WORKERS[name](db, out)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": wall, "cpu": cpu, "peak_mb": peak_mb, "peak_anon_mb": anonymous.peak}))


# --------------------------------------------------------------------------
# The driver


def measure_worker(name, db, subset_claims=0):
    command = [sys.executable, __file__, "--worker", name, "--db", str(db), "--subset-claims", str(subset_claims)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - our own script
    if result.returncode:
        raise SystemExit(f"{name} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_sqlite_shell(sqlite3, sql, db):
    """
    sqlite3 -header -csv with the SQL on stdin, output to /dev/null: wall and CPU time and peak RSS.
    Run under GNU time when there is one: its fork of a small process gives sqlite3's own peak
    RSS, where a child of this Python process would report at least this process's.
    """
    sql_file = db.parent / "export-bench.sql"
    sql_file.write_text(sql)
    gnu_time = Path("/usr/bin/time")
    with open(os.devnull, "wb") as out, open(sql_file, "rb") as sql_in:
        report = db.parent / "export-bench.time"
        prefix = [str(gnu_time), "-f", "%e %U %S %M", "-o", str(report)] if gnu_time.exists() else []
        started = time.perf_counter()
        process = subprocess.Popen([*prefix, sqlite3, "-header", "-csv", str(db)], stdin=sql_in, stdout=out)  # noqa: S603
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"sqlite3 failed: {status}")
    cpu, peak_kb = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
    if prefix:
        _, user, system, peak_kb = report.read_text().split()
        cpu, peak_kb = float(user) + float(system), int(peak_kb)
    rows = subprocess.run(  # noqa: S603
        [sqlite3, str(db), "SELECT count(*) FROM claims_rating"], capture_output=True, text=True, check=True
    ).stdout
    return {"rows": int(rows), "seconds": seconds, "cpu": cpu, "peak_mb": peak_kb / 1024}


def build_database(db):
    if db.exists():
        return
    db.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    print(f"Building {db} (migrate + seed_synthetic: 100,000 claims x 3 ratings)...", file=sys.stderr)
    try:
        subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True)  # noqa: S603
        subprocess.run([*manage, "seed_synthetic", "-v0"], env=env, check=True)  # noqa: S603
    except subprocess.CalledProcessError:
        db.unlink(missing_ok=True)
        raise


def machine():
    cpu = cpu_model()
    import sqlite3

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_average": os.getloadavg(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--runs", type=int, default=5, help="rounds of the fast contenders")
    parser.add_argument("--slow-runs", type=int, default=3, help="rounds of django-import-export")
    parser.add_argument(
        "--subset-claims",
        type=int,
        default=6667,
        help="django-import-export with the same 23 columns exports the ratings of this many claims "
        "(the first in the /claims/ order; 6,667 claims = 20,001 ratings), ours too for the ratio; 0 for all",
    )
    parser.add_argument("--same-columns-runs", type=int, default=1, help="rounds of the same-columns contender")
    parser.add_argument("--output", default=os.devnull, help="with --worker: where its CSV goes (default /dev/null)")
    parser.add_argument("--worker", choices=WORKERS, help="run one contender in this process and print its figures")
    args = parser.parse_args()
    if args.worker:
        run_worker(args.worker, args.db, args.subset_claims, args.output)
        return

    db = args.db.resolve()
    build_database(db)
    # In a subprocess: the driver stays small, so that it adds nothing to the peak RSS its
    # children report (Linux carries the high-water mark of a vforked child's parent over exec).
    measure_worker("assign-pseudonyms", db)
    sqlite3 = shutil.which("sqlite3")
    if sqlite3:
        floors = {
            "sqlite3 -csv, equivalent SQL": lambda: measure_sqlite_shell(sqlite3, EQUIVALENT_SQL, db),
            "sqlite3 -csv, plain join": lambda: measure_sqlite_shell(sqlite3, PLAIN_JOIN_SQL, db),
        }
    else:
        print("No sqlite3 shell: the floor is Python's sqlite3 module into csv.writer.", file=sys.stderr)
        floors = {
            "Python sqlite3 -> csv.writer, equivalent SQL": lambda: measure_worker("python-sqlite3-equivalent", db),
        }
    subset = f"ratings of the first {args.subset_claims:,} claims" if args.subset_claims else "every rating"
    ours_all, ours_subset = "ours: RATINGS, every rating (lead)", f"ours: RATINGS, {subset} (lead)"
    bare = "django-import-export (defaults): bare Rating model, its 9 own columns"
    same = f"django-import-export (defaults): same 23 columns, {subset}"
    contenders = {
        ours_all: lambda: measure_worker("ours-all", db),
        "ours: GET /export/ratings.csv (anonymous)": lambda: measure_worker("ours-anonymous-url", db),
        **floors,
        # What any Python exporter pays at least: fetching the rows and csv.writer, nothing else.
        "Python sqlite3 -> csv.writer, plain join": lambda: measure_worker("python-sqlite3-plain", db),
    }
    if args.subset_claims:
        contenders[ours_subset] = lambda: measure_worker("ours-subset", db, args.subset_claims)
    slow = {
        bare: (args.slow_runs, lambda: measure_worker("django-import-export", db)),
        same: (
            args.same_columns_runs,
            lambda: measure_worker("django-import-export-same-columns", db, args.subset_claims),
        ),
    }
    results = {name: [] for name in [*contenders, *slow]}
    for round_ in range(1, max(args.runs, args.slow_runs, args.same_columns_runs) + 1):
        if round_ <= args.runs:
            for name, measure in contenders.items():
                results[name].append(measure())
                print(f"round {round_}: {name}: {results[name][-1]}", file=sys.stderr)
        for name, (runs, measure) in slow.items():
            if round_ <= runs:
                results[name].append(measure())
                print(f"round {round_}: {name}: {results[name][-1]}", file=sys.stderr)

    # Each contender against ours on the same rows.
    baseline = dict.fromkeys(results, ours_all) | {same: ours_subset if args.subset_claims else ours_all}
    report(results, baseline, machine(), args)


def report(results, baseline, machine_info, args):
    medians = {}
    for name, runs in results.items():
        if not runs:
            continue
        seconds = statistics.median(run["seconds"] for run in runs)
        cpu = statistics.median(run["cpu"] for run in runs)
        medians[name] = {
            "rows": runs[0]["rows"],
            "seconds": seconds,
            "cpu": cpu,
            "rows_per_second": runs[0]["rows"] / seconds,
            "rows_per_cpu_second": runs[0]["rows"] / cpu,
            "peak_mb": statistics.median(run["peak_mb"] for run in runs),
            "runs": len(runs),
        }
    print(f"Machine: {machine_info}")
    print(
        f"Runs: {args.runs} (django-import-export bare: {args.slow_runs}, "
        f"same columns: {args.same_columns_runs}); medians.\n"
    )
    print("| contender | rows | wall s | CPU s | rows/s | peak RSS MB | ours ÷ it (rows/s) | ours ÷ it (CPU) | vs |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, m in medians.items():
        ours = medians[baseline[name]]
        print(
            f"| {name} | {m['rows']:,} | {m['seconds']:.2f} | {m['cpu']:.2f} | {m['rows_per_second']:,.0f} "
            f"| {m['peak_mb']:.0f} | {ours['rows_per_second'] / m['rows_per_second']:.2f} "
            f"| {ours['rows_per_cpu_second'] / m['rows_per_cpu_second']:.2f} | {baseline[name]} |"
        )
    out = ROOT / "bench" / "data" / "export-results.json"
    out.write_text(json.dumps({"machine": machine_info, "medians": medians, "runs": results}, indent=2))
    print(f"\nAll runs: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
