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


def test_each_rep_gets_one_cue_most_important_fault_first(
    track: Callable[[str], PoseSequence],
) -> None:
    """Issue 19: one cue per rep (the others listed, not said); the back before the head."""
    report = analyze_pose(track("kb-deadlift-rounded"), exercise="kettlebell-deadlift")
    for rep in report.reps:
        assert [f.id for f in rep.faults] == ["back-rounding", "head-misaligned"]
        assert rep.cue == "Brace like you're about to take a punch."
        assert rep.faults[0].name == "Lower back rounds"
    data = json.loads(report.model_dump_json())
    assert data["reps"][0]["cue"] == report.reps[0].cue
    assert data["clean_reps"] == 0 and data["quality"] == 0.0


def test_a_good_rep_is_told_it_was_good_and_counts_towards_quality(
    track: Callable[[str], PoseSequence],
) -> None:
    report = analyze_pose(track("kb-deadlift-hips-rise"), exercise="kettlebell-deadlift")
    assert [rep.cue for rep in report.reps] == ["Good rep."] + ["Hips and chest rise together."] * (
        len(report.reps) - 1
    )
    assert report.clean_reps == 1
    assert report.quality == round(1 / len(report.reps), 3)
    clean = analyze_pose(track("kb-deadlift-clean"), exercise="kettlebell-deadlift")
    assert clean.quality == 1.0 and all(r.cue == "Good rep." for r in clean.reps)


def test_major_faults_come_before_minor_ones_whatever_their_kind() -> None:
    from hingecoach.form.analysis import RepFaultResult, most_important_first

    def fault(fid: str, severity: str) -> RepFaultResult:
        return RepFaultResult.model_validate(
            {"id": fid, "rule": "R-FORM-3", "severity": severity, "cue": "", "evidence": ""}
        )

    ranked = most_important_first(
        [
            fault("rushed-tempo", "minor"),
            fault("knees-locked", "major"),
            fault("back-rounding", "minor"),
        ]
    )
    assert [f.id for f in ranked] == ["knees-locked", "back-rounding", "rushed-tempo"]


@pytest.mark.parametrize(
    ("name", "exercise"),
    [
        ("kb-deadlift-rounded", "kettlebell-deadlift"),
        ("kb-deadlift-hips-rise", "kettlebell-deadlift"),
        ("deadlift-hyperextension", "conventional-deadlift"),
        ("deadlift-heel-lift", "conventional-deadlift"),
        ("kb-deadlift-squatting", "kettlebell-deadlift"),
        ("good-morning-knees-locked", "good-morning"),
    ],
)
def test_every_fault_carries_what_was_measured_the_threshold_and_where(
    track: Callable[[str], PoseSequence], name: str, exercise: str
) -> None:
    """Issue 19: each fault's evidence in --json: the measures, the thresholds (by their
    names in hingecoach.form.thresholds), and the stretch of the clip it was judged over."""
    report = analyze_pose(track(name), exercise=exercise)
    faults = [(rep, f) for rep in report.reps for f in rep.faults]
    assert faults, "the fixture shows its fault"
    tempo_limits = {"target_down_s", "target_up_s"}
    for rep, f in faults:
        assert f.measured and f.limits, f.id
        assert set(f.limits) <= set(threshold_rules()) | tempo_limits, f.limits
        assert f.from_s is not None and f.to_s is not None
        last = rep.end_s + DEFAULT_THRESHOLDS.lockout_window_s + 0.001  # times kept to 1 ms
        assert rep.start_s - 0.001 <= f.from_s <= f.to_s <= last


def test_the_evidence_shows_the_measure_past_its_threshold(
    track: Callable[[str], PoseSequence],
) -> None:
    report = analyze_pose(track("deadlift-hyperextension"), exercise="conventional-deadlift")
    lean = next(f for r in report.reps for f in r.faults if f.id == "hyperextension")
    assert lean.measured["lean_back_deg"] >= lean.limits["hyperextension_deg"] == 12.0
    rep = report.reps[0]
    assert lean.from_s == round(rep.end_s, 3), "judged at lockout, after the rep ends"
