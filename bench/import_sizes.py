"""
How import time grows with the file: `analyse()` (read, clean, segment, suggest, read
each claim) on generated hostile and large inputs, each size in a fresh process with a
time limit, median of --runs. Prints a Markdown table for docs/import.md.

    DATABASE_URL=... .venv/bin/python bench/import_sizes.py [--runs 3] [--limit 120] [--quick]

The inputs are made up here (a fictional brand's sentences), never real pages.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PARAGRAPH = (
    "Zentora Calm {n} is a fictional magnesium drink. Studies show magnesium reduces stress by {p}%. "
    "Our formula cures tension headaches and supports deep sleep. (Doe {y}) Magnesium may help muscles relax."
)


def text_of(size):
    parts, total, n = [], 0, 0
    while total < size:
        chunk = PARAGRAPH.format(n=n, p=n % 90 + 5, y=1990 + n % 30) + "\n\n"
        parts.append(chunk)
        total += len(chunk)
        n += 1
    return "".join(parts)[:size]


def case(kind, n):
    """(file name, bytes) of one generated input."""
    if kind == "nested":
        return "nested.html", ("<html><body>" + "<div>" * n + "Magnesium cures everything." + "</div>" * n).encode()
    if kind == "siblings":
        body = "".join(f"<p>{PARAGRAPH.format(n=i, p=i % 90 + 5, y=1990 + i % 30)}</p>" for i in range(n))
        return "siblings.html", f"<html><head><title>Zentora</title></head><body>{body}</body></html>".encode()
    if kind == "text":
        return "large.txt", text_of(n).encode()
    if kind == "html":
        return (
            "large.html",
            f"<html><body><article>{text_of(n).replace(chr(10) * 2, '</p><p>')}</article></body></html>".encode(),
        )
    raise ValueError(kind)


CASES = [
    ("nested", [1_000, 5_000, 20_000, 200_000]),
    ("siblings", [2_000, 5_000, 20_000]),
    ("text", [1_000_000, 5_000_000, 20_000_000]),
    ("html", [1_000_000, 5_000_000, 20_000_000]),
]
QUICK = [
    ("nested", [1_000, 5_000]),
    ("siblings", [2_000, 5_000]),
    ("text", [1_000_000, 2_000_000]),
    ("html", [1_000_000]),
]


def one(kind, n):
    """Run in a child process: time analyse() on one generated input; print JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mgreview.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from analysis.importer import ImportRefused, analyse

    name, data = case(kind, n)
    started = time.perf_counter()
    try:
        draft = analyse(name, data)
        outcome = f"{len(draft.claims)} suggested claims"
    except ImportRefused as exc:
        outcome = f"refused: {exc}"
    print(json.dumps({"seconds": time.perf_counter() - started, "outcome": outcome, "bytes": len(data)}))


def main(runs, limit, quick):
    rows = []
    for kind, sizes in QUICK if quick else CASES:
        for n in sizes:
            times, outcome, size = [], "", 0
            for _ in range(runs):
                try:
                    done = subprocess.run(  # noqa: S603 - this interpreter, this script
                        [sys.executable, __file__, "--one", kind, str(n)],
                        capture_output=True,
                        text=True,
                        timeout=limit,
                        check=True,
                    )
                except subprocess.TimeoutExpired:
                    outcome = f"over {limit} s (stopped)"
                    times = []
                    break
                result = json.loads(done.stdout.strip().splitlines()[-1])
                times.append(result["seconds"])
                outcome, size = result["outcome"], result["bytes"]
            median = f"{statistics.median(times):.2f}" if times else "—"
            rows.append(f"| {kind} | {n:,} | {size / 1e6:.1f} MB | {median} | {outcome[:90]} |")
            print(rows[-1], flush=True)
    load = os.getloadavg()[0]
    print(f"\nload average {load:.1f}; median of {runs} runs, each in a fresh process\n")
    print("| input | size parameter | bytes | seconds | outcome |\n| --- | ---: | ---: | ---: | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=float, default=120)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--one", nargs=2, metavar=("KIND", "N"))
    args = parser.parse_args()
    if args.one:
        one(args.one[0], int(args.one[1]))
    else:
        main(args.runs, args.limit, args.quick)
