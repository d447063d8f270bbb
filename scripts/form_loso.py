"""Leave-one-source-out evaluation of the form analysis (issue 19, "honest evaluation").

The labelled clips come from a few sources (a person, a channel, a data set: the file
name's first word). For each source in turn, a few thresholds are tuned on the clips of
all the other sources, then the left-out source is scored with them. The scores of the
left-out sources together say how the analysis does on clips like none it was tuned on;
the in-sample line says how it does on clips it was.

Tuning is one threshold at a time over a small grid around its default (the others at
their defaults), keeping the default unless another value scores strictly better on the
training sources: cheap (each setting is analysed once for every clip) and conservative.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds

__all__ = ["GRID", "leave_one_source_out", "source_of"]

#: The thresholds tuned, each with the values tried (its default among them).
GRID: dict[str, tuple[float, ...]] = {
    "max_side_yaw_deg": (20.0, 25.0, 30.0),
    "min_rep_range": (0.3, 0.35, 0.4),
    "bottom_level": (0.6, 0.65, 0.7),
    "zone_min_s": (0.05, 0.1, 0.2),
    "pattern_trunk_deg": (35.0, 40.0, 45.0),
    "pattern_min_score": (-0.1, 0.0, 0.1),
    "back_rounding_outline": (0.04, 0.045, 0.05),
    "head_misaligned_deg": (8.0, 10.0, 12.0),
    "heel_rise_deg": (15.0, 18.0, 21.0),
    "fault_min_share": (0.4, 0.5, 0.6),
}


class Scored(Protocol):
    """What the evaluation knows of one clip's result (``eval_form.ClipResult``)."""

    file: str
    usable: bool
    decision: str
    right_reasons: set[str]
    reps_got: int | None
    reps_expected: int | None
    pattern_got: str | None
    pattern_expected: str
    faults_got: set[str]
    faults_expected: set[str]


R = TypeVar("R", bound=Scored)
Row = dict[str, str]


def source_of(file: str) -> str:
    """The clip's source: the first word of its file name (``tby66-kb-deadlift-c_1.mp4``)."""
    return file.split("-", 1)[0]


def clip_score(result: Scored) -> float:
    """How right one clip came out: the view decision, the reps, the pattern, the faults."""
    if not result.usable:
        refused = result.decision != "accepted"
        return float(refused) + float(result.decision in result.right_reasons)
    if result.decision != "accepted":
        return 0.0
    wrong_faults = len(result.faults_got ^ result.faults_expected)
    return (
        1.0
        + float(result.reps_got == result.reps_expected)
        + float(result.pattern_got == result.pattern_expected)
        - 0.5 * wrong_faults
    )


def _with(changes: dict[str, float]) -> FormThresholds:
    fields: dict[str, Any] = changes  # the tuned fields are all floats
    return dataclasses.replace(DEFAULT_THRESHOLDS, **fields)


def _tuned(
    scores: dict[tuple[str, float], dict[str, float]], training: Iterable[str]
) -> dict[str, float]:
    """The changed thresholds: each one's best value on the training clips, where it beats
    the default strictly."""
    files = list(training)
    changes = {}
    for name, values in GRID.items():
        default = getattr(DEFAULT_THRESHOLDS, name)
        best, best_score = default, sum(scores[(name, default)][f] for f in files)
        for value in values:
            score = sum(scores[(name, value)][f] for f in files)
            if score > best_score:
                best, best_score = value, score
        if best != default:
            changes[name] = best
    return changes


def leave_one_source_out(
    rows: Sequence[Row],
    evaluate: Callable[[Row, FormThresholds], R],
    *,
    report: Callable[[str], None] = print,
) -> list[R]:
    """Every clip's result when its source was left out of the tuning; a line per source
    (its clips, its score, the thresholds its tuning changed) goes to ``report``."""
    scores: dict[tuple[str, float], dict[str, float]] = {}
    for name, values in GRID.items():
        for value in values:
            thresholds = _with({name: value})
            scores[(name, value)] = {r["file"]: clip_score(evaluate(r, thresholds)) for r in rows}
    by_source: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_source[source_of(row["file"])].append(row)
    held_out: list[R] = []
    report(f"  {'source':20} {'clips':>5} {'score':>11}  thresholds tuned away from default")
    for source, own in sorted(by_source.items()):
        training = (r["file"] for r in rows if source_of(r["file"]) != source)
        changes = _tuned(scores, training)
        thresholds = _with(changes)
        results = [evaluate(r, thresholds) for r in own]
        held_out.extend(results)
        score = sum(clip_score(r) for r in results)
        best = sum(3.0 if r.usable else 2.0 for r in results)
        changed = ", ".join(f"{k}={v:g}" for k, v in sorted(changes.items())) or "none"
        report(f"  {source:20} {len(own):>5} {score:>5.1f}/{best:<5.0f}  {changed}")
    return held_out
