"""The report the coach consumes: fields, JSON shape, thresholds naming their rules."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from hingecoach.form import DEFAULT_THRESHOLDS, PoseSequence, analyze_pose, rule_of
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
