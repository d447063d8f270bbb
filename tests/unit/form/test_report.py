"""The report the coach consumes: fields, JSON shape, thresholds naming their rules."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest

from hingecoach.form import DEFAULT_THRESHOLDS, PoseSequence, TempoTarget, analyze_pose, rule_of
from hingecoach.form.thresholds import threshold_rules


def test_report_json_has_the_documented_fields(track: Callable[[str], PoseSequence]) -> None:
    report = analyze_pose(track("kb-deadlift-rounded"), exercise="kettlebell-deadlift")
    data = json.loads(report.model_dump_json())
    assert {"view", "pattern", "reps", "faults", "rating", "next_session"} <= set(data)
    rep = data["reps"][0]
    assert {"bottom_s", "descent_s", "ascent_s", "faults"} <= set(rep)
    assert all("id" in f and "cue" in f for f in rep["faults"])
    assert all("id" in f for f in data["faults"])
    assert data["rating"] == "breakdown"
    assert "R-REG-1" in data["next_session"]


def test_every_threshold_names_a_rule() -> None:
    rules = threshold_rules()
    assert rules, "no thresholds"
    for name, rule in rules.items():
        assert re.fullmatch(r"R-(FORM|TRACK|RX)-\d", rule), name
        assert hasattr(DEFAULT_THRESHOLDS, name)
    assert rule_of("knees_locked_deg") == "R-FORM-3"
    assert rule_of("max_side_yaw_deg") == "R-FORM-1"
    assert rule_of("back_rounding_outline") == "R-FORM-2"


@pytest.mark.parametrize(
    ("tempo", "cue"),
    [
        (TempoTarget(3.0, 0.0), "Three seconds down, up fast."),
        (TempoTarget(3.0, 2.0), "Three seconds down, two seconds up."),
        (TempoTarget(2.5, 1.0), "2.5 seconds down, one second up."),
    ],
)
def test_a_rushed_tempo_is_cued_with_the_prescribed_tempo(tempo: TempoTarget, cue: str) -> None:
    """R-FORM-3: 'up fast' prescriptions are not told 'two seconds up'."""
    from hingecoach.form.analysis import fault_info
    from hingecoach.knowledge import load_catalogue

    assert fault_info(load_catalogue([]), "rushed-tempo", tempo)[1] == cue
