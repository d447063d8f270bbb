"""The leave-one-source-out evaluation (issue 19): a source's own clips never tune the
thresholds it is scored with."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "form_loso.py"


def _loso() -> ModuleType:
    spec = importlib.util.spec_from_file_location("form_loso", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["form_loso"] = module
    spec.loader.exec_module(module)
    return module


@dataclass
class Result:
    file: str
    usable: bool = True
    decision: str = "accepted"
    right_reasons: set[str] = field(default_factory=set)
    reps_got: int | None = 5
    reps_expected: int | None = 5
    pattern_got: str | None = "hinge"
    pattern_expected: str = "hinge"
    faults_got: set[str] = field(default_factory=set)
    faults_expected: set[str] = field(default_factory=set)


def _evaluate(row: dict[str, str], th: FormThresholds) -> Result:
    """Clips of source "wide" count their reps only with a wider view limit (30 deg); the
    other sources count theirs only at the default (25)."""
    wants = 30.0 if row["file"].startswith("wide-") else 25.0
    reps = 5 if th.max_side_yaw_deg == wants else 4
    return Result(file=row["file"], reps_got=reps)


ROWS = [{"file": f"wide-{i}.mp4"} for i in range(3)] + [
    {"file": f"{src}-{i}.mp4"} for src in ("a", "b") for i in range(2)
]


def test_a_source_is_scored_with_thresholds_tuned_without_it() -> None:
    loso = _loso()
    lines: list[str] = []
    held_out = loso.leave_one_source_out(ROWS, _evaluate, report=lines.append)
    by_file = {r.file: r for r in held_out}
    # "wide" alone wants 30 deg: left out, the others keep 25, so its reps come out wrong.
    assert all(by_file[f"wide-{i}.mp4"].reps_got == 4 for i in range(3))
    # Left out, "a" is tuned on "wide" (3 clips for 30) and "b" (2 clips for 25): 30 wins.
    assert by_file["a-0.mp4"].reps_got == 4
    assert any(line.split()[0] == "a" and "max_side_yaw_deg=30" in line for line in lines)
    assert len(held_out) == len(ROWS)


def test_the_default_stays_unless_another_value_is_strictly_better() -> None:
    loso = _loso()
    rows = [{"file": f"s{i}-clip.mp4"} for i in range(3)]
    held_out = loso.leave_one_source_out(
        rows, lambda row, th: Result(file=row["file"]), report=lambda _: None
    )
    assert [r.reps_got for r in held_out] == [5, 5, 5]
    assert loso.clip_score(Result(file="x", faults_got={"back-rounding"})) == 2.5
    assert DEFAULT_THRESHOLDS.max_side_yaw_deg in loso.GRID["max_side_yaw_deg"]
