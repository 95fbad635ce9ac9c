import json
import sys
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from analysis.language import classify
from claims.choices import WordingStrength


class Command(BaseCommand):
    help = (
        "Say how strongly each sentence states a relationship: no_relationship, correlational, "
        "conditional_causal or direct_causal, with the cue words behind it and their offsets in the sentence. "
        "Reads one sentence per non-empty line of UTF-8 text from the files given, or from standard input "
        "('-', or no file). Writes nothing to the database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="*", metavar="FILE", help="Files of sentences, one per line; '-' reads standard input."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help='Write a JSON array in input order: {"text", "strength", "cues": [{"text", "start", "end"}]}.',
        )

    def handle(self, *args, **options):
        sentences = [sentence for name in options["files"] or ["-"] for sentence in read_sentences(name)]
        readings = [(sentence, classify(sentence)) for sentence in sentences]
        if options["json"]:
            self.stdout.write(json.dumps([as_json(s, r) for s, r in readings], ensure_ascii=False, indent=1))
            return
        for number, (sentence, reading) in enumerate(readings, start=1):
            self.stdout.write(f"{number:>4}  {WordingStrength(reading.strength).label:<22} {sentence}")
            notes = [f"“{c.text}” {c.start}–{c.end}" for c in reading.cues]
            notes += ["negated"] * reading.negated + ["speaks of animals"] * reading.animals
            if notes:
                self.stdout.write(f"{'':<29}{' · '.join(notes)}")
        self.stdout.write(summary(readings))


def read_sentences(name):
    """The non-empty lines of a UTF-8 file ('-': standard input), stripped; CommandError (exit 2) otherwise."""
    label = "standard input" if name == "-" else name
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {label}: {error.strerror}.", returncode=2) from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CommandError(
            f"{label} is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "give one sentence per line, encoded as UTF-8.",
            returncode=2,
        ) from error
    if "\x00" in text:
        raise CommandError(f"{label} is not text (it holds NUL bytes); give one sentence per line.", returncode=2)
    return [line.strip() for line in text.splitlines() if line.strip()]


def as_json(sentence, reading):
    return {
        "text": sentence,
        "strength": str(reading.strength),
        "cues": [{"text": c.text, "start": c.start, "end": c.end} for c in reading.cues],
    }


def summary(readings):
    if not readings:
        return "No sentences."
    counts = Counter(reading.strength for _, reading in readings)
    parts = [f"{counts[s]} {s.label.lower()}" for s in reversed(WordingStrength) if counts[s]]
    return f"{len(readings)} sentence(s): {', '.join(parts)}."
