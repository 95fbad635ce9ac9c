"""
How import time grows with the file: `analyse()` (read, clean, segment, suggest, read
each claim) on generated hostile and large inputs, each size in a fresh process with a
time limit, median of --runs; with --save, the whole import (analyse() then save(), in a
transaction rolled back afterwards). DEBUG is off, as in production. Prints a Markdown
table for docs/import.md.

    DATABASE_URL=... .venv/bin/python bench/import_sizes.py [--runs 3] [--limit 120] [--quick] [--save]

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
    if kind == "markup":
        return "markup.html", markup_page(n).encode()
    raise ValueError(kind)


def markup_page(size):
    """
    A large page of the usual shape: a short article (about 10 KB of text) inside `size`
    bytes of markup: inline styles and scripts, an embedded image, a long menu.
    """
    article = "".join(f"<p>{PARAGRAPH.format(n=i, p=i % 90 + 5, y=1990 + i % 30)}</p>\n" for i in range(50))
    menu = "".join(f'<li><a href="/zentora/{i}">Zentora range {i}</a></li>' for i in range(2000))
    head = f"<html><head><title>Zentora Calm</title><style>{'.z{color:#123456;margin:0 auto;}' * 2000}</style>"
    body = f"</head><body><nav><ul>{menu}</ul></nav><article><h1>Zentora Calm</h1>{article}</article>"
    filler_rule = "var zentora = {fictional: true, items: [1, 2, 3]};\n"
    image = '<img alt="" src="data:image/png;base64,'
    room = size - len(head) - len(body) - len(image) - 200
    script = filler_rule * max(0, room // 2 // len(filler_rule))
    data = "QUJD" * max(0, (room - len(script)) // 4)
    return f'{head}{body}<script>{script}</script>{image}{data}"></body></html>'


CASES = [
    ("nested", [1_000, 5_000, 20_000, 200_000]),
    ("siblings", [2_000, 5_000, 20_000]),
    ("text", [1_000_000, 5_000_000, 20_000_000]),
    ("html", [1_000_000, 5_000_000, 20_000_000]),
    ("markup", [1_000_000, 20_000_000]),
]
QUICK = [
    ("nested", [1_000, 5_000]),
    ("siblings", [2_000, 5_000]),
    ("text", [1_000_000, 2_000_000]),
    ("html", [1_000_000]),
]


def one(kind, n, save_too):
    """Run in a child process: time analyse() (and save(), rolled back) on one generated input; print JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mgreview.settings")
    # As in production: with DEBUG on, Django also formats every query's SQL for its log.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import transaction

    from analysis.importer import ImportRefused, analyse, save

    class RolledBack(Exception):
        pass

    name, data = case(kind, n)
    started = time.perf_counter()
    saving = 0.0
    try:
        draft = analyse(name, data)
        outcome = f"{len(draft.claims)} suggested claims, {len(draft.marketing)} flags"
        if save_too:
            # The whole import, written and then rolled back, so every size starts from the same database.
            saved = time.perf_counter()
            try:
                with transaction.atomic():
                    save(draft, url="https://zentora.example/", publisher="Zentora (fictional)")
                    saving = time.perf_counter() - saved
                    raise RolledBack
            except RolledBack:
                pass
    except ImportRefused as exc:
        outcome = f"refused: {exc}"
    total = time.perf_counter() - started
    print(json.dumps({"seconds": total, "saving": saving, "outcome": outcome, "bytes": len(data)}))


def main(runs, limit, quick, save_too):
    rows = []
    for kind, sizes in QUICK if quick else CASES:
        for n in sizes:
            times, saves, outcome, size = [], [], "", 0
            for _ in range(runs):
                try:
                    done = subprocess.run(  # noqa: S603 - this interpreter, this script
                        [sys.executable, __file__, "--one", kind, str(n), *(["--save"] if save_too else [])],
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
                saves.append(result["saving"])
                outcome, size = result["outcome"], result["bytes"]
            median = f"{statistics.median(times):.2f}" if times else "—"
            saving = f"{statistics.median(saves):.2f}" if times and save_too else "—"
            rows.append(f"| {kind} | {n:,} | {size / 1e6:.1f} MB | {median} | {saving} | {outcome[:90]} |")
            print(rows[-1], flush=True)
    load = os.getloadavg()[0]
    print(f"\nload average {load:.1f}; median of {runs} runs, each in a fresh process\n")
    print(
        "| input | size parameter | bytes | seconds in all | of which saving | outcome |\n"
        "| --- | ---: | ---: | ---: | ---: | --- |"
    )
    print("\n".join(rows))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=float, default=120)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--save", action="store_true", help="also save each import (rolled back): the whole import")
    parser.add_argument("--one", nargs=2, metavar=("KIND", "N"))
    args = parser.parse_args()
    if args.one:
        one(args.one[0], int(args.one[1]), args.save)
    else:
        main(args.runs, args.limit, args.quick, args.save)
