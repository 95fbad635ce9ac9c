"""Helpers the benchmark scripts share: naming the machine, and writing their block of docs/benchmarks.md."""

import platform
from pathlib import Path


def cpu_model():
    """The CPU's model name from /proc/cpuinfo, else what platform knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def write_block(doc, start, end, block):
    """Put `block` between the `start` and `end` markers of `doc`, or append it with its markers."""
    block = f"{start}\n{block}\n{end}"
    text = doc.read_text() if doc.exists() else "# Benchmarks\n\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    doc.parent.mkdir(exist_ok=True)
    doc.write_text(text)
