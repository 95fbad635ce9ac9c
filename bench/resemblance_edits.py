"""
The near-duplicate threshold, measured on real edits of the corpus articles
(fixtures/articles/) against pairs of different articles. Prints a Markdown table
for docs/import.md.

    .venv/bin/python bench/resemblance_edits.py
"""

import itertools
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.resemblance import THRESHOLD, fingerprint, resemblance  # noqa: E402

# Made up for the measurement: a fictional brand's paragraph, never a real page's.
NEW_PARAGRAPH = (
    "Quillbrook Labs, a fictional maker, adds that its tablets dissolve in water within a minute and taste of lemon."
)


def paragraphs(text):
    return [p for p in text.split("\n\n") if p.strip()]


def edits(text, rng):
    parts = paragraphs(text)
    words = text.split(" ")
    i = rng.randrange(len(words))
    middle = len(parts) // 2
    lines = [n for n, p in enumerate(parts) if len(p) < 200]
    reordered = parts[:]
    if len(lines) >= 2:
        a, b = lines[0], lines[-1]
        reordered[a], reordered[b] = reordered[b], reordered[a]
    longest = max(range(len(parts)), key=lambda n: len(parts[n]))
    rewritten = parts[:]
    rewritten[longest] = "This paragraph was rewritten in other words by the page's editors."
    return {
        "one word changed": " ".join(words[:i] + ["changed"] + words[i + 1 :]),
        "a new paragraph": "\n\n".join(parts[:middle] + [NEW_PARAGRAPH] + parts[middle:]),
        "two short paragraphs swapped (a reordered list)": "\n\n".join(reordered),
        "a paragraph removed": "\n\n".join(parts[:middle] + parts[middle + 1 :]),
        "the longest paragraph rewritten": "\n\n".join(rewritten),
        "the second half removed": "\n\n".join(parts[: len(parts) // 2]),
    }


def main():
    rng = random.Random(7)
    texts = {path.name: path.read_text() for path in sorted((ROOT / "fixtures" / "articles").glob("*.txt"))}
    prints = {name: fingerprint(text) for name, text in texts.items()}
    rows = {}
    for name, text in texts.items():
        for edit, changed in edits(text, rng).items():
            rows.setdefault(edit, []).append(resemblance(prints[name], fingerprint(changed)))
    different = [resemblance(prints[a], prints[b]) for a, b in itertools.combinations(texts, 2)]
    cuts = sorted({0.2, 0.3, THRESHOLD, 0.5})
    print(f"| pair ({len(texts)} corpus articles) | min | median | max | " + " | ".join(f"≥ {c}" for c in cuts) + " |")
    print("| --- | ---: | ---: | ---: |" + " ---: |" * len(cuts))
    rows["two different corpus articles"] = different
    for edit, scores in rows.items():
        counts = " | ".join(f"{sum(score >= c for score in scores)} of {len(scores)}" for c in cuts)
        print(f"| {edit} | {min(scores):.2f} | {statistics.median(scores):.2f} | {max(scores):.2f} | {counts} |")
    print(f"\nthreshold in use: {THRESHOLD}")


if __name__ == "__main__":
    main()
