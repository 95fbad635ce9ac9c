"""
Server time of the public pages on the synthetic database, measured in-process.

    DATABASE_URL=... python bench/bench_pages.py [--repeat 60] [--label sqlite]

`make bench SIZE=N` seeds a database of N claims and runs this on it;
`make bench-growth` does so at 10,000, 100,000 and 1,000,000 claims.

Each page is requested through the WSGI application (the whole middleware
stack, no network), `--repeat` times after a warm-up; median and p95 of the
wall-clock time from the WSGI call to the last byte are reported beside a
trivial view measured in the same run (the framework's floor). One extra
instrumented request per page counts its queries and times each one; the plan
of the slowest query goes into the report.

Absolute times do not travel between machines, nor between days on one
machine, so each run also records a CPU calibration: the median time of a
fixed pure-Python loop, before and after the pages. The growth table compares
each page's p95 at every size with its p95 at 100,000 claims, and gives the
calibration beside it, so a slower day shows as a slower loop.

Results go to bench/data/results-<label>-<claims>.json, and docs/benchmarks.md
is rewritten between this script's own markers (other sections are kept).
`make bench` seeds the databases first (bench/run.sh).
"""

import argparse
import datetime
import io
import json
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

from common import CALIBRATION_LOOP, calibration_ms, cpu_model, write_block  # bench/ is the script directory

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Production-like settings: DEBUG off (no query log, manifest static files),
# persistent connections as docs/deploy.md recommends.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mgreview.settings")
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 30)
os.environ.setdefault("ALLOWED_HOSTS", "bench.invalid")
os.environ.setdefault("CONN_MAX_AGE", "600")
os.environ.setdefault("LOG_LEVEL", "ERROR")
# The pages' own cost: a repeat request would otherwise be served from the page
# cache (the spike scenario of `make load` measures the cache).
os.environ["PAGE_CACHE"] = "0"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402

from claims.models import Article, Claim, ClaimStatus  # noqa: E402
from public.filters import LIST_COUNT_CAP  # noqa: E402
from public.views import ClaimListView  # noqa: E402

PER_PAGE = ClaimListView.paginate_by

DATA = ROOT / "bench" / "data"
DOC = ROOT / "docs" / "benchmarks.md"
# The home page has no target of its own: it is held to the lists' target; /stats/ (five
# charts and the agreement table) to the long article's.
TARGETS = {"home": 15.0, "list": 15.0, "claim": 10.0, "article": 100.0, "stats": 100.0}
GROWTH_BASE, GROWTH_TOP, GROWTH_TARGET = 100_000, 1_000_000, 1.5


def environ(path):
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "bench.invalid",
        "SERVER_PORT": "443",
        "HTTP_HOST": "bench.invalid",
        "HTTP_X_FORWARDED_PROTO": "https",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


class Bench:
    def __init__(self, app):
        self.app = app

    def request(self, path):
        """(status, body bytes, wall seconds, this thread's CPU seconds)."""
        status = []
        cpu_started = time.thread_time()
        started = time.perf_counter()
        response = self.app(environ(path), lambda s, h, exc_info=None: status.append(s))
        try:
            body = b"".join(response)
        finally:
            if hasattr(response, "close"):
                response.close()
        return int(status[0].split()[0]), body, time.perf_counter() - started, time.thread_time() - cpu_started

    def timings(self, path, repeat, warmup=5):
        """([wall ms], [CPU ms]) of `repeat` requests."""
        for _ in range(warmup):
            code = self.request(path)[0]
            if code != 200:
                raise SystemExit(f"{path} answered {code}")
        runs = [self.request(path)[2:] for _ in range(repeat)]
        return [wall * 1000 for wall, _ in runs], [cpu * 1000 for _, cpu in runs]

    def queries(self, path):
        """[(sql, params, ms)] of one request."""
        log = []

        def wrapper(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                log.append((sql, params, (time.perf_counter() - started) * 1000))

        with connection.execute_wrapper(wrapper):
            self.request(path)
        return log


def explain(sql, params):
    vendor = connection.vendor
    prefix = "EXPLAIN QUERY PLAN " if vendor == "sqlite" else "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    if vendor == "sqlite":
        depth = {0: 0}
        lines = []
        for node, parent, _, detail in rows:
            depth[node] = depth.get(parent, 0) + 1
            lines.append("  " * (depth[node] - 1) + detail)
        return "\n".join(lines)
    return "\n".join(row[0] for row in rows)


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def cases():
    """(name, path, target kind) for every page measured."""
    big = Article.objects.annotate(n=Count("claims")).order_by("-n", "id").values_list("slug", "n").first()
    mid_article = (
        Article.objects.annotate(n=Count("claims")).filter(n__gte=40).order_by("id").values_list("slug", flat=True)[5]
    )
    claim = (
        Claim.objects.filter(status=ClaimStatus.FINALIZED, citations__isnull=False)
        .order_by("id")
        .values_list("pk", flat=True)[Claim.objects.count() // 4]
    )
    public = Claim.objects.public().count()
    # The list's deepest page: its pages end at LIST_COUNT_CAP claims (page 400), or earlier
    # on a smaller data set.
    deep = max(1, -(-min(public, LIST_COUNT_CAP) // PER_PAGE))
    sleep_pages = -(-Claim.objects.public().filter(topic="sleep").count() // PER_PAGE)
    sleep_deep = min(100, max(1, sleep_pages))
    lists = [
        ("/claims/ unfiltered", "/claims/"),
        ("/claims/ deepest page (400, or the last)", f"/claims/?page={deep}"),
        ("/claims/ article=<slug>", f"/claims/?article={mid_article}"),
        ("/claims/ topic=sleep", "/claims/?topic=sleep"),
        ("/claims/ strength=low", "/claims/?strength=low"),
        ("/claims/ verdict=partially", "/claims/?verdict=partially"),
        ("/claims/ flag=hype (no claim matches)", "/claims/?flag=hype"),
        ("/claims/ flag=vague-authority", "/claims/?flag=vague-authority"),
        ("/claims/ design=rct", "/claims/?design=rct"),
        ("/claims/ population=animal", "/claims/?population=animal"),
        ("/claims/ status=finalized", "/claims/?status=finalized"),
        ("/claims/ linked=true", "/claims/?linked=true"),
        ("/claims/ linked=false", "/claims/?linked=false"),
        ("/claims/ order=newest", "/claims/?order=newest"),
        ("/claims/ order=topic", "/claims/?order=topic"),
        ("/claims/ q=sleep quality", "/claims/?q=sleep+quality"),
        ("/claims/ q=citr (prefix)", "/claims/?q=citr"),
        ("/claims/ q=synthetic study 12", "/claims/?q=synthetic+study+12"),
        ("/claims/ q=magnesium (matches 90%)", "/claims/?q=magnesium"),
        ("/claims/ topic=sleep page 100 (or the last)", f"/claims/?topic=sleep&page={sleep_deep}"),
        ("/claims/ overclaim=any", "/claims/?overclaim=any"),
        ("/claims/ wording=direct_causal", "/claims/?wording=direct_causal"),
        ("/claims/ evidence=animal", "/claims/?evidence=animal"),
        ("/overclaims/", "/overclaims/"),
    ]
    yield ("/ (home: the database's totals)", "/", "home")
    yield from ((name, path, "list") for name, path in lists)
    yield ("/claims/<id>/", f"/claims/{claim}/", "claim")
    yield (f"/articles/<slug>/ ({big[1]:,} claims)", f"/articles/{big[0]}/", "article")
    yield ("/stats/ (the site's kept sums)", "/stats/", "stats")


def machine():
    cpu = cpu_model()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            engine = f"SQLite {cursor.fetchone()[0]}"
        else:
            cursor.execute("SHOW server_version")
            engine = f"PostgreSQL {cursor.fetchone()[0]}"
    return {
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "django": django.get_version(),
        "engine": engine,
        "load_average": os.getloadavg()[0],
    }


def export_rate(bench):
    try:
        resolve("/export/ratings.csv")
    except Resolver404:
        return None
    rates = []
    for _ in range(3):
        code, body, seconds, _ = bench.request("/export/ratings.csv")
        if code != 200:
            return {"error": f"answered {code}"}
        rows = body.count(b"\n") - 1
        rates.append((rows, rows / seconds, seconds))
    rows, rate, seconds = sorted(rates, key=lambda r: r[1])[1]
    return {"rows": rows, "rows_per_s": rate, "seconds": seconds}


def run(label, repeat, size):
    # The application production serves (mgreview.wsgi, with its gc.freeze()), not a bare one.
    from mgreview.wsgi import application

    if not Article.objects.filter(is_synthetic=True).exists():
        raise SystemExit("No synthetic data here: run `manage.py seed_synthetic` first (make bench does).")
    with override_settings(ROOT_URLCONF="bench.urls"):
        bench = Bench(application)
        info = machine()
        info["claims"] = Claim.objects.count()
        info["public_claims"] = Claim.objects.public().count()
        from claims.models import Rating

        info["ratings"] = Rating.objects.count()
        info["calibration_ms"] = calibration_ms()
        results = []
        for name, path, kind in cases():
            trivial, _ = bench.timings("/_bench/trivial/", repeat)
            page, cpu = bench.timings(path, repeat)
            log = bench.queries(path)
            slowest = max(log, key=lambda q: q[2]) if log else None
            result = {
                "name": name,
                "path": path,
                "kind": kind,
                "median_ms": statistics.median(page),
                "p95_ms": percentile(page, 95),
                "cpu_median_ms": statistics.median(cpu),
                "cpu_p95_ms": percentile(cpu, 95),
                "trivial_median_ms": statistics.median(trivial),
                "queries": len(log),
                "slowest_query_ms": slowest[2] if slowest else 0,
                "plan": explain(slowest[0], slowest[1]) if slowest else "",
                "slowest_sql": slowest[0] if slowest else "",
            }
            result["ratio"] = result["median_ms"] / result["trivial_median_ms"]
            results.append(result)
            print(
                f"{name:40} {result['median_ms']:8.2f} {result['p95_ms']:8.2f} ms  "
                f"cpu {result['cpu_median_ms']:7.2f} {result['cpu_p95_ms']:7.2f}  "
                f"x{result['ratio']:5.1f}  {len(log)} queries",
                flush=True,
            )
        info["export"] = export_rate(bench)
        info["calibration_after_ms"] = calibration_ms()
        info["load_average_after"] = os.getloadavg()[0]
    info["date"] = datetime.date.today().isoformat()
    info["repeat"] = repeat
    DATA.mkdir(parents=True, exist_ok=True)
    seed = DATA / f"seed-{connection.vendor}-{size}.json"
    if seed.exists():
        info["seed"] = json.loads(seed.read_text())
    (DATA / f"results-{label}-{size}.json").write_text(json.dumps({"info": info, "results": results}, indent=1))
    write_doc(label, size)


# ---------------------------------------------------------------------------
# docs/benchmarks.md


START, END = "<!-- bench_pages:start -->", "<!-- bench_pages:end -->"
GROWTH_START, GROWTH_END = "<!-- bench_growth:start -->", "<!-- bench_growth:end -->"
LABELS = ("sqlite", "postgresql")


def load_runs():
    """{label: {claims: run}} from every results file."""
    runs = {}
    for label in LABELS:
        for path in DATA.glob(f"results-{label}-*.json"):
            size = path.stem.rsplit("-", 1)[1]
            if size.isdigit():
                runs.setdefault(label, {})[int(size)] = json.loads(path.read_text())
    return runs


ENGINE_HEADINGS = {"sqlite": "### SQLite", "postgresql": "### PostgreSQL"}
SUBSECTION = re.compile(r"(?m)^(?=### )")


def _block(text, start, end):
    return text.split(start, 1)[1].split(end, 1)[0] if start in text and end in text else ""


def _engine_sections(block):
    """{label: text} of the per-engine subsections of a generated block."""
    found = {}
    for part in SUBSECTION.split(block)[1:]:
        for label, heading in ENGINE_HEADINGS.items():
            if part.startswith(heading):
                found[label] = part.rstrip("\n") + "\n\n"
    return found


def keep_unmeasured(old_block, new_block, measured):
    """
    `new_block`, with the subsection of each engine that has no results here kept from
    `old_block`: results live in bench/data, on the machine that measured them, so a run
    of one engine on another machine must not erase the other's tables.
    """
    old, new = _engine_sections(old_block), _engine_sections(new_block)
    parts = [SUBSECTION.split(new_block)[0]]
    for label in LABELS:
        part = new.get(label) if label in measured else old.get(label)
        if part:
            parts.append(part)
    return "".join(parts).strip("\n")


def write_doc(label, size):
    """The detailed tables at the size just measured (100,000 claims unless only another exists), and growth."""
    runs = load_runs()
    detailed = {}
    for name, by_size in runs.items():
        chosen = GROWTH_BASE if GROWTH_BASE in by_size else (size if name == label and size in by_size else None)
        if chosen is not None:
            detailed[name] = by_size[chosen]
    text = DOC.read_text() if DOC.exists() else ""
    pages = keep_unmeasured(_block(text, START, END), render(detailed), set(detailed))
    growth = keep_unmeasured(_block(text, GROWTH_START, GROWTH_END), render_growth(runs), set(runs))
    write_block(DOC, START, END, pages)
    write_block(DOC, GROWTH_START, GROWTH_END, growth)


def _info_cell(run_, key, fmt):
    value = run_["info"]
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return "–" if value is None else fmt(value)


# (row title, info key, format) of the conditions of each run in the growth table.
CONDITIONS = (
    ("measured on", "date", str),
    ("load average before", "load_average", lambda v: f"{v:.1f}"),
    ("load average after", "load_average_after", lambda v: f"{v:.1f}"),
    (f"calibration: {CALIBRATION_LOOP:,}-step Python loop, ms, before", "calibration_ms", lambda v: f"{v:.0f}"),
    ("calibration after", "calibration_after_ms", lambda v: f"{v:.0f}"),
    ("seeding time", "seed.seed_seconds", lambda v: f"{v:,.0f} s"),
    ("reading every claim (refresh_readings)", "seed.reading_seconds", lambda v: f"{v:,.0f} s"),
    ("database size", "seed.database_bytes", lambda v: f"{v / 1e6:,.0f} MB"),
)


def _conditions_table(by_size, sizes):
    rows = [
        "| | " + " | ".join(f"{n:,} claims" for n in sizes) + " |",
        "| --- | " + " | ".join("---:" for _ in sizes) + " |",
    ]
    for title, key, fmt in CONDITIONS:
        rows.append(f"| {title} | " + " | ".join(_info_cell(by_size[n], key, fmt) for n in sizes) + " |")
    return rows


def render_growth(runs):
    """One table per engine: every page's p95 at every size, and the ratio of the largest to 100,000."""
    out = ["## Growth: the same pages at 10,000, 100,000 and 1,000,000 claims (generated by `make bench SIZE=...`)", ""]
    if not runs:
        return "\n".join(out + ["No results yet."])
    for label in LABELS:
        by_size = runs.get(label)
        if not by_size:
            continue
        sizes = sorted(by_size)
        first = by_size[sizes[0]]["info"]
        out += [f"### {first['engine']}", ""]
        out += _conditions_table(by_size, sizes) + [""]
        growth = [
            "| page: p95 ms (CPU p95 ms), queries | "
            + " | ".join(f"{n:,}" for n in sizes)
            + f" | p95 at {GROWTH_TOP:,} ÷ at {GROWTH_BASE:,} (target ≤ {GROWTH_TARGET:g}×); CPU ratio |",
            "| --- | " + " | ".join("---:" for _ in sizes) + " | --- |",
        ]
        names = [r["name"] for r in by_size[sizes[-1]]["results"]]
        for name in names:
            cells, p95, cpu = [], {}, {}
            for n in sizes:
                result = next((r for r in by_size[n]["results"] if r["name"] == name), None)
                if result is None:
                    cells.append("–")
                    continue
                p95[n], cpu[n] = result["p95_ms"], result["cpu_p95_ms"]
                cells.append(f"{result['p95_ms']:.1f} ({result['cpu_p95_ms']:.1f}), {result['queries']}")
            if GROWTH_BASE in p95 and GROWTH_TOP in p95:
                factor = p95[GROWTH_TOP] / p95[GROWTH_BASE]
                verdict = f"{factor:.2f}× {'met' if factor <= GROWTH_TARGET else '**missed**'}; "
                verdict += f"CPU {cpu[GROWTH_TOP] / cpu[GROWTH_BASE]:.2f}×"
            else:
                verdict = "not measured at both sizes"
            growth.append(f"| {name} | " + " | ".join(cells) + f" | {verdict} |")
        out += growth + [""]
    return "\n".join(out)


def render(runs):
    out = ["## Page benchmarks (generated by `make bench`)", ""]
    if not runs:
        return "\n".join(out + ["No results yet."])
    for label, run_ in runs.items():
        info = run_["info"]
        out += [
            f"### {info['engine']}",
            "",
            f"{info['date']}; {info['cpu']}; Python {info['python']}, Django {info['django']}; "
            f"{info['claims']:,} claims ({info['public_claims']:,} public), {info['ratings']:,} ratings; "
            f"{info['repeat']} requests per page after 5 warm-up; load average "
            f"{info['load_average']:.1f} before, {info['load_average_after']:.1f} after.",
            "",
            "| page | queries | median ms | p95 ms | CPU median / p95 ms | × trivial view | target (p95) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for r in run_["results"]:
            target = TARGETS[r["kind"]]
            if label == "sqlite":
                verdict = f"≤ {target:g} ms: {'met' if r['p95_ms'] <= target else '**missed**'}"
            else:
                base = runs.get("sqlite", {}).get("results", [])
                match = next((b for b in base if b["name"] == r["name"]), None)
                if match:
                    factor = r["p95_ms"] / match["p95_ms"]
                    verdict = f"≤ 2× SQLite: {factor:.1f}× {'met' if factor <= 2 else '**missed**'}"
                else:
                    verdict = "no SQLite run to compare"
            out.append(
                f"| `{r['path']}` — {r['name']} | {r['queries']} | {r['median_ms']:.2f} | {r['p95_ms']:.2f} "
                f"| {r['cpu_median_ms']:.2f} / {r['cpu_p95_ms']:.2f} | {r['ratio']:.1f} | {verdict} |"
            )
        trivial = statistics.median(r["trivial_median_ms"] for r in run_["results"])
        out += ["", f"Trivial view (same middleware, no database): median {trivial:.2f} ms."]
        export = info.get("export")
        if export is None:
            out.append("`/export/ratings.csv`: not on this branch, not measured.")
        elif "error" in export:
            out.append(f"`/export/ratings.csv`: {export['error']}.")
        else:
            out.append(
                f"`/export/ratings.csv`: {export['rows']:,} rows in {export['seconds']:.2f} s, "
                f"{export['rows_per_s']:,.0f} rows/s."
            )
        out += ["", "<details><summary>Plan of each page's slowest query</summary>", ""]
        for r in run_["results"]:
            out += [
                f"**{r['name']}** ({r['slowest_query_ms']:.2f} ms)",
                "",
                "```",
                r["slowest_sql"][:600] + (" …" if len(r["slowest_sql"]) > 600 else ""),
                "",
                r["plan"],
                "```",
                "",
            ]
        out += ["</details>", ""]
    return "\n".join(out)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--label", default=None, help="sqlite or postgresql (default: the engine in use)")
    parser.add_argument("--size", type=int, default=None, help="the data set's size in claims (default: counted)")
    args = parser.parse_args()
    size = args.size or Claim.objects.filter(article__is_synthetic=True).count()
    run(args.label or connection.vendor, args.repeat, size)
