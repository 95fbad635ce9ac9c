"""Helpers the benchmark scripts share: the machine's name and speed, and writing their block of docs/benchmarks.md."""

import platform
import statistics
import time
from pathlib import Path

START_WAIT_SECONDS = 120
CALIBRATION_LOOP = 1_000_000


def calibration_ms(runs=7):
    """Median CPU milliseconds of a fixed pure-Python loop: this machine's speed now."""
    times = []
    for _ in range(runs):
        started = time.thread_time()
        total = 0
        for i in range(CALIBRATION_LOOP):
            total += i
        times.append((time.thread_time() - started) * 1000)
    return statistics.median(times)


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


def add_start_arguments(parser):
    """--ready and --go: a writer of the load check says it is logged in, then waits for the measuring to start."""
    parser.add_argument("--ready", help="create this file once logged in and ready to write")
    parser.add_argument("--go", help="then wait until this file exists before starting the clock")


def wait_for_the_start(ready, go):
    """
    Say this writer is ready, then wait for the go. A login hashes a password (1.7-2.0 s of a worker's time
    under the spike) and a client's start imports Django: neither is the steady writing the load
    check measures, so the writers do both before wrk starts, and their time counts from the go.
    """
    if ready:
        Path(ready).touch()
    if go:
        deadline = time.monotonic() + START_WAIT_SECONDS
        while not Path(go).exists():
            if time.monotonic() > deadline:
                raise SystemExit(f"no start signal ({go}) after {START_WAIT_SECONDS} s")
            time.sleep(0.05)


if __name__ == "__main__":
    # `python bench/common.py`: one calibration, for the shell scripts (bench/load.sh).
    print(f"calibration_ms={calibration_ms():.1f}")
