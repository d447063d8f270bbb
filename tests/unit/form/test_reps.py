"""R-FORM-1: rep segmentation, bottom times, partial reps at the ends, descent/ascent times."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hingecoach.form import PoseSequence, analyze_pose
from tests.unit.form.synthetic import Motion, make_sequence, rep_bottoms


@pytest.mark.parametrize(
    ("rule", "motion", "exercise", "reps", "partial"),
    [
        ("R-FORM-1", Motion(reps=4), None, 4, 0),
        ("R-FORM-1", Motion(reps=1), None, 1, 0),
        ("R-FORM-1", Motion(reps=3, end="bottom"), None, 3, 1),
        ("R-FORM-1", Motion(reps=3, start="mid-descent"), "romanian-deadlift", 2, 1),
        ("R-FORM-1", Motion(reps=3, start="bottom"), "kettlebell-deadlift", 3, 0),
        ("R-FORM-1", Motion(reps=3, start="bottom"), "romanian-deadlift", 2, 1),
        ("R-FORM-1", Motion(reps=2, fps=60), None, 2, 0),
        ("R-FORM-1", Motion(reps=3, facing=-1), None, 3, 0),
    ],
    ids=[
        "four", "one", "ends-at-bottom", "opens-part-way-down", "floor-lift-opens-at-bottom",
        "standing-lift-opens-at-bottom", "60-fps", "facing-left",
    ],
)  # fmt: skip
def test_rep_counts_and_partials(
    rule: str, motion: Motion, exercise: str | None, reps: int, partial: int
) -> None:
    report = analyze_pose(make_sequence(motion), exercise=exercise)
    assert len(report.reps) == reps
    assert report.partial_reps == partial


def test_bottom_times_and_tempo_match_the_motion() -> None:
    """R-FORM-1: the bottom is the centre of the hold; timing survives smoothing."""
    motion = Motion(reps=3, descent_s=2.0, ascent_s=1.5, bottom_hold_s=0.4)
    report = analyze_pose(make_sequence(motion))
    for rep, expected in zip(report.reps, rep_bottoms(motion), strict=True):
        assert rep.bottom_s == pytest.approx(expected, abs=0.07)
        assert rep.descent_s is not None
        # an eased start and stop are slow: about 80 % of the movement is measured
        assert 0.75 * motion.descent_s <= rep.descent_s <= motion.descent_s + 0.1
        assert 0.75 * motion.ascent_s <= rep.ascent_s <= motion.ascent_s + 0.1
    first = report.reps[0]
    assert first.descent_s is not None and first.ascent_s is not None
    assert first.descent_s > first.ascent_s


def test_no_movement_means_no_reps() -> None:
    report = analyze_pose(make_sequence(Motion(reps=2, trunk_bottom_deg=5, knee_bottom_deg=175)))
    assert report.reps == [] and report.pattern is None
    assert any("no rep" in n for n in report.notes)


RECORDED = [
    # name, exercise, labelled bottoms (s)
    ("kb-deadlift-clean", "kettlebell-deadlift", [2.83, 4.77, 6.53, 8.23]),
    ("kb-deadlift-squatting", "kettlebell-deadlift", [1.9, 3.67, 5.23, 6.8]),
    ("kb-deadlift-rounded", "kettlebell-deadlift", [2.93, 5.3, 7.67, 10.13]),
    ("kb-deadlift-hips-rise", "kettlebell-deadlift", [2.67, 4.9, 6.93, 9.0]),
    ("good-morning-knees-locked", None, [17.0, 24.2, 30.9]),
    ("bw-squat", None, [2.77, 8.4, 13.68]),
    ("deadlift-hyperextension", "conventional-deadlift", [1.25]),
    ("deadlift-heel-lift", "conventional-deadlift", [0.1]),
    ("deadlift-partial-rounded", "conventional-deadlift", []),
]


@pytest.mark.parametrize(("name", "exercise", "bottoms"), RECORDED, ids=[r[0] for r in RECORDED])
def test_recorded_tracks_count_reps_like_the_labels(
    track: Callable[[str], PoseSequence], name: str, exercise: str | None, bottoms: list[float]
) -> None:
    """R-FORM-1 on real MediaPipe tracks: exact counts, bottoms within 0.4 s."""
    report = analyze_pose(track(name), exercise=exercise)
    assert len(report.reps) == len(bottoms)
    for rep, expected in zip(report.reps, bottoms, strict=True):
        assert rep.bottom_s == pytest.approx(expected, abs=0.4)
