"""Benchmarks: each prints what it measured, in plain numbers. Run with ``make bench``.

Numbers are medians over several runs on this machine; they are for reading, not asserting.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable

BENCHES: list[tuple[str, Callable[[], str]]] = []


def bench(name: str) -> Callable[[Callable[[], str]], Callable[[], str]]:
    def register(fn: Callable[[], str]) -> Callable[[], str]:
        BENCHES.append((name, fn))
        return fn

    return register


def _median_s(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@bench("hingecoach --help start-up (goal: well under 0.5 s)")
def startup() -> str:
    cmd = [sys.executable, "-m", "hingecoach", "--help"]
    seconds = _median_s(lambda: subprocess.run(cmd, capture_output=True, check=True), 7)
    return f"{seconds * 1000:.0f} ms median of 7 runs"


@bench("catalogue load and validation, cold process")
def catalogue_cold() -> str:
    code = (
        "import time; t=time.perf_counter(); from hingecoach.knowledge import load_catalogue;"
        "c=load_catalogue([]); print(len(c.exercises), time.perf_counter()-t)"
    )
    results = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        count, seconds = out.stdout.split()
        results.append(float(seconds))
    return f"{statistics.median(results) * 1000:.0f} ms for {count} exercises (median of 5)"


@bench("catalogue load, warm (cached)")
def catalogue_warm() -> str:
    from hingecoach.knowledge import load_catalogue

    load_catalogue([])
    seconds = _median_s(lambda: load_catalogue([]), 1000)
    return f"{seconds * 1e6:.1f} us per call"


def main() -> None:
    for name, fn in BENCHES:
        print(f"{name}: {fn()}", flush=True)


if __name__ == "__main__":
    main()
