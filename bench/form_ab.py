"""Two versions of the code side by side on the 60 s 1080p clip of ``make bench``: one
process on one core, and two processes, each run in a fresh process, alternating which
version goes first (the machine is shared: a busy moment hits both alike).

    python bench/form_ab.py OLD_SRC NEW_SRC [ROUNDS]

``OLD_SRC``/``NEW_SRC`` are ``src`` directories (of two git worktrees), put first on the
measured process's ``PYTHONPATH``. Prints one JSON line a run, then the medians: seconds,
CPU seconds (the calling process and its part processes apart), the real-time factor on one
core and the ratio of two processes to one.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import form_bench

#: (label, pinned to one CPU, processes)
_RUNS = (("one", True, 1), ("two", False, 2))
# the part processes' CPU apart from the calling process's
_SELF = (
    "seconds=time.perf_counter() - start, cpu_s=cpu() - cpu0, frames=len(result.pose), "
    "self_s=mine() - mine0"
)
_MINE = (
    "import resource\n"
    "def mine():\n"
    "    r = resource.getrusage(resource.RUSAGE_SELF)\n"
    "    return r.ru_utime + r.ru_stime\n"
)


def _script() -> Path:
    text = form_bench._MEASURE.replace(
        "seconds=time.perf_counter() - start, cpu_s=cpu() - cpu0, frames=len(result.pose)", _SELF
    ).replace(
        "start, cpu0 = time.perf_counter(), cpu()",
        "start, cpu0, mine0 = time.perf_counter(), cpu(), mine()",
    )
    path = form_bench._TMP / "measure_ab.py"
    path.write_text(_MINE + text)
    return path


def main(old: Path, new: Path, rounds: int) -> None:
    clip = form_bench.looped(form_bench.phone_clip(1080), 60.0)
    script = _script()
    last_cpu = str(sorted(os.sched_getaffinity(0))[-1])
    rows: list[dict[str, float | str]] = []
    for r in range(rounds):
        order = [("old", old), ("new", new)][:: 1 if r % 2 == 0 else -1]
        for label, one_core, processes in _RUNS:
            for who, src in order:
                env = dict(
                    os.environ, PYTHONPATH=str(src), BENCH_OUT=str(form_bench._TMP / "ab.mp4")
                )
                cpu = last_cpu if one_core else "any"
                done = subprocess.run(
                    [sys.executable, str(script), cpu, str(clip), "bare", str(processes)],
                    capture_output=True, text=True, env=env, check=True,
                )  # fmt: skip
                row = dict(json.loads(done.stdout.strip().splitlines()[-1]))
                row.update(who=who, run=label, load=round(os.getloadavg()[0], 1))
                rows.append(row)
                print(json.dumps(row), flush=True)
    for who in ("old", "new"):
        print(_summary(who, [x for x in rows if x["who"] == who], rounds))


def _median(rows: list[dict[str, float | str]], run: str, key: str) -> float:
    return statistics.median(float(x[key]) for x in rows if x["run"] == run)


def _summary(who: str, rows: list[dict[str, float | str]], rounds: int) -> str:
    one, two = _median(rows, "one", "seconds"), _median(rows, "two", "seconds")
    own, total = _median(rows, "two", "self_s"), _median(rows, "two", "cpu_s")
    return (
        f"{who}: one process {one:.1f} s (RTF {one / 60:.2f}, "
        f"CPU {_median(rows, 'one', 'cpu_s'):.1f} s), two {two:.1f} s (CPU {own:.1f} s "
        f"calling process + {total - own:.1f} s parts): {two / one:.2f}x "
        f"(medians of {rounds}; load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 3)
