"""How the form analysis holds when a clip differs from the labelled ones (issue 19).

    python scripts/form_sweep.py [LABELS.csv] [--ways NAME,NAME,...]

Each labelled clip's cached track (as ``make eval-form`` reads it) is changed the way an
unseen clip may differ: another frame rate, the lifter facing the other way, another
picture size, frames dropped as a busy phone or a phone in low light drops them, the
pose lost for half a second now and then, the phone tilted 2 or 4 degrees (propped on a
bench), the phone hand-held (the picture drifts and shakes). Its
verdict (accepted or the refusal, the reps, hinge or squat, the faults) is compared with
the unchanged track's. Prints every verdict that moved and, per way, how many.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the tests' perturbations

import eval_form  # noqa: E402 - beside this script
from eval_form import DEFAULT_CACHE, DEFAULT_LABELS, ClipResult  # noqa: E402
from tests.unit.form.perturb import (  # noqa: E402
    dropped,
    low_light,
    mirrored,
    pose_lost_at_random,
    resampled,
    scaled,
    shaken,
    tilted,
)

from hingecoach.form.pose import PoseSequence  # noqa: E402

Way = Callable[[PoseSequence], PoseSequence]

WAYS: dict[str, Way] = {
    "15-fps": lambda s: resampled(s, 15.0),
    "24-fps": lambda s: resampled(s, 24.0),
    "50-fps": lambda s: resampled(s, 50.0),
    "mirrored": mirrored,
    "0.4x-size": lambda s: scaled(s, 0.4),
    "2x-size": lambda s: scaled(s, 2.0),
    **{f"10%-dropped-{k}": dropped(0.1, 10 + k) for k in range(1, 6)},
    **{f"20%-dropped-{k}": dropped(0.2, 20 + k) for k in range(1, 6)},
    **{f"low-light-{k}": low_light(k) for k in range(1, 6)},
    **{f"pose-lost-{k}": pose_lost_at_random(0.5, 2.0, k) for k in range(1, 4)},
    **{f"tilted{deg:+d}": tilted(deg) for deg in (-4, -2, 2, 4)},
    **{f"hand-held-{k}": shaken(0.004, k) for k in range(1, 4)},
}

Verdict = tuple[str, int | None, str | None, tuple[str, ...]]


def verdict(result: ClipResult) -> Verdict:
    return (result.decision, result.reps_got, result.pattern_got, tuple(sorted(result.faults_got)))


def sweep(labels: Path, ways: list[str]) -> Counter[str]:
    """Print each verdict that moves; the count of moved verdicts per way."""
    rows = list(csv.DictReader(labels.open(encoding="utf-8", newline="")))
    clips_dir = labels.parent / "clips"
    eval_form.ensure_tracks([clips_dir / r["file"] for r in rows], DEFAULT_CACHE, 2)
    read = eval_form._track
    whole = {
        r["file"]: verdict(eval_form.evaluate_row(r, clips_dir, DEFAULT_CACHE, False)) for r in rows
    }
    moved: Counter[str] = Counter()
    for name in ways:
        change = WAYS[name]
        with mock.patch.object(eval_form, "_track", lambda path, way=change: way(read(path))):
            for row in rows:
                got = verdict(eval_form.evaluate_row(row, clips_dir, DEFAULT_CACHE, False))
                if got != whole[row["file"]]:
                    moved[name] += 1
                    print(f"  {name:16s} {row['file']}: {whole[row['file']]} -> {got}")
    return moved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("labels", nargs="?", type=Path, default=DEFAULT_LABELS)
    parser.add_argument(
        "--ways", default=",".join(WAYS), help="comma-separated, of: " + ", ".join(WAYS)
    )
    args = parser.parse_args(argv)
    ways = [w.strip() for w in args.ways.split(",") if w.strip()]
    if not ways:
        print(f"no ways given; choose from {', '.join(WAYS)}")
        return 2
    unknown = [w for w in ways if w not in WAYS]
    if unknown:
        print(f"unknown ways: {', '.join(unknown)}; choose from {', '.join(WAYS)}")
        return 2
    if not args.labels.is_file():
        print(f"no labels file at {args.labels}; pass one (see ../shared/data/README.md)")
        return 2
    moved = sweep(args.labels, ways)
    print(f"verdicts moved: {sum(moved.values())} in {len(ways)} ways")
    for name in ways:
        print(f"  {name:16s} {moved[name]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
