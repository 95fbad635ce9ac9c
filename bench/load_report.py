"""Write `make load` figures (bench/data/load/) into docs/benchmarks.md between this script's markers."""

import datetime
import os
import re
import sys
from pathlib import Path

from common import CALIBRATION_LOOP, cpu_model, write_block  # bench/ is the script directory

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- load:start -->", "<!-- load:end -->"


def fields(line):
    return dict(re.findall(r"(\w+)=([\d.]+)", line))


def calibration(path):
    """'before / after' milliseconds of the calibration loop (bench/common.py) around a run, or '?'."""
    found = (
        dict(re.findall(r"^(before|after) calibration_ms=([\d.]+)", path.read_text(), re.M)) if path.exists() else {}
    )
    return " / ".join(f"{float(found[when]):.0f}" if when in found else "?" for when in ("before", "after"))


CALIBRATION_ROW = f"CPU calibration, before / after: {CALIBRATION_LOOP:,}-step Python loop, ms"

MODES = {
    "off": "cache off",
    "local": "local memory",
    "redis-readers": "Redis, readers build",
    "redis": "Redis, writers build",
}


def _spike(out, connections, seconds):
    """The spike table: the same hot pages with the page cache off, in local memory and on Redis, in one run."""
    runs, calibrations = {}, {}
    for mode in MODES:
        wrk = out / f"spike-{mode}-wrk.txt"
        if not wrk.exists():
            continue
        line = next((x for x in wrk.read_text().splitlines() if x.startswith("LOAD ")), "")
        access = (out / f"spike-{mode}-access.log").read_text().splitlines()
        runs[mode] = (
            fields(line),
            fields((out / f"spike-{mode}-ratings.txt").read_text()),
            fields((out / f"spike-{mode}-lead.txt").read_text()),
            sum(1 for x in access if re.search(r'" 5\d\d ', x)),
        )
        calibrations[mode] = calibration(out / f"spike-{mode}-calibration.txt")
    if "off" not in runs:
        return []
    hot = (out / "hot_paths.txt").read_text().split()
    baseline = float(runs["off"][0].get("rps", 0))
    rows = [
        ("requests per second", lambda w, r, lead, e: f"{float(w.get('rps', 0)):,.1f}"),
        (
            "throughput ÷ cache off",
            lambda w, r, lead, e: f"{float(w.get('rps', 0)) / baseline:.1f}×" if baseline else "?",
        ),
        (
            "latency p50 / p99 / max (ms)",
            lambda w, r, lead, e: (
                f"{float(w.get('p50_ms', 0)):.0f} / {float(w.get('p99_ms', 0)):.0f} / {float(w.get('max_ms', 0)):.0f}"
            ),
        ),
        ("5xx (wrk / access log, all clients)", lambda w, r, lead, e: f"{int(float(w.get('5xx', 0)))} / {e}"),
        ("timeouts (20 s) / other non-2xx", lambda w, r, lead, e: f"{w.get('timeouts', '?')} / {w.get('non2xx', '?')}"),
        (
            "ratings submitted / accepted / lost",
            lambda w, r, lead, e: f"{r.get('submitted', '?')} / {r.get('accepted', '?')} / {r.get('lost', '?')}",
        ),
        ("lead's changes (reopen + consensus)", lambda w, r, lead, e: f"{lead.get('changes', '?')}"),
        (
            "hot pages read after a change / stale",
            lambda w, r, lead, e: f"{lead.get('checks', '?')} / {lead.get('stale', '?')}",
        ),
    ]
    modes = [m for m in MODES if m in runs]
    return [
        "",
        "### Spike: hot pages, with the page cache off, in local memory, on Redis",
        "",
        f"wrk, 2 threads, {connections} connections, {seconds} s per column, round robin on {len(hot)} hot pages "
        f"({', '.join(f'`{p}`' for p in hot[:3])}, {(len(hot) - 3) // 2} claim pages and their articles; "
        "bench/load_spike.py picks them), while the synthetic reviewer rates (bench/load_ratings.py) and a "
        "synthetic lead reopens one hot claim and records a new consensus, over and over, 2 s apart "
        "(`SPIKE_LEAD_PAUSE`), reading every hot page as an anonymous reader after each change "
        "(bench/load_spike.py: a 304, or a page still showing "
        "the old state, counts as stale). Both writers log in before wrk starts and write through its whole run. "
        "The last row is the machine's speed just before each column's server started and just after it "
        "stopped (the page benchmark's calibration loop, bench/common.py): on a shared machine the same code's "
        "throughput follows it. "
        "Cache off: `PAGE_CACHE=0` (ETags still answered, nothing stored); "
        "local memory: the default, one cache per worker; Redis: `REDIS_URL`, one cache for all workers, "
        "either with the first readers after a change building the pages again (`PAGE_CACHE_WARM=0`) or "
        "with the writer's request building the pages read lately before its change is visible (the default "
        'with Redis; docs/public-pages.md, "Pages ready before readers ask").',
        "",
        "| figure | " + " | ".join(MODES[m] for m in modes) + " |",
        "| --- |" + " ---: |" * len(modes),
        *(f"| {name} | " + " | ".join(fmt(*runs[m]) for m in modes) + " |" for name, fmt in rows),
        f"| {CALIBRATION_ROW} | " + " | ".join(calibrations[m] for m in modes) + " |",
    ]


def main(out, workers, connections, seconds, spike_connections=None, spike_seconds=None):
    out = Path(out)
    wrk = next((line for line in (out / "wrk.txt").read_text().splitlines() if line.startswith("LOAD ")), "")
    ratings = (out / "ratings.txt").read_text().strip()
    access = (out / "access.log").read_text().splitlines()
    server_5xx = sum(1 for line in access if re.search(r'" 5\d\d ', line))
    w, r = fields(wrk), fields(ratings)
    cpu = cpu_model()
    lines = [
        "## Load check (generated by `make load`)",
        "",
        f"{datetime.date.today().isoformat()}; {cpu}, {os.cpu_count()} cores; load average "
        f"{os.getloadavg()[0]:.1f} at the end (the check's own gunicorn, wrk and PostgreSQL share the cores). "
        f"gunicorn, {workers} sync workers, on 127.0.0.1 with the synthetic "
        f"PostgreSQL database; wrk, 2 threads, {connections} connections, {seconds} s, on a mix of "
        "14 `/claims/` URLs (bench/load.lua), while a synthetic reviewer, logged in before wrk started, submitted "
        "ratings through the review form, `/review/claims/<id>/` (bench/load_ratings.py).",
        "",
        "| figure | value |",
        "| --- | ---: |",
        f"| `/claims/` requests | {int(float(w.get('requests', 0))):,} |",
        f"| requests per second | {float(w.get('rps', 0)):,.1f} |",
        f"| latency p50 / p99 / max | {float(w.get('p50_ms', 0)):.0f} / {float(w.get('p99_ms', 0)):.0f} / "
        f"{float(w.get('max_ms', 0)):.0f} ms |",
        f"| 5xx answers seen by wrk | {int(float(w.get('5xx', 0)))} |",
        f"| other non-2xx answers / timeouts (20 s) seen by wrk | {w.get('non2xx', '?')} / {w.get('timeouts', '?')} |",
        f"| 5xx in the server's access log (all clients) | {server_5xx} |",
        f"| ratings submitted / accepted | {r.get('submitted', '?')} / {r.get('accepted', '?')} |",
        f"| ratings in the database before → after | {r.get('before', '?')} → {r.get('after', '?')} |",
        f"| lost ratings | {r.get('lost', '?')} |",
        f"| {CALIBRATION_ROW} | {calibration(out / 'calibration.txt')} |",
    ]
    if spike_connections:
        lines += _spike(out, spike_connections, spike_seconds)
    write_block(DOC, START, END, "\n".join(lines))


if __name__ == "__main__":
    main(*sys.argv[1:7])
