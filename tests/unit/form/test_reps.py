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


def test_a_pull_from_the_floor_is_judged_from_its_set_up_not_the_set_down_before_it() -> None:
    """R-FORM-1, R-FORM-4: a deadlift's rep is the pull from the floor to lockout; lowering
    the bar of the rep before (the set-down) is not that pull, so the faults of the second
    rep are looked for from where the set-down ended, and its bottom position is read in
    the set-up just before lift-off."""
    from hingecoach.form.kinematics import compute_kinematics
    from hingecoach.form.reps import segment_reps
    from hingecoach.form.view import check_view

    m = Motion(reps=2, start="bottom", bottom_hold_s=1.0, descent_s=1.0)
    seq = make_sequence(m)
    kin = compute_kinematics(seq, check_view(seq).side)
    t = kin.times_s
    # rep 1: set-up 0-1 s, pull 1-2 s, lockout 2-2.8 s; rep 2: set-down 2.8-3.8 s, set-up
    # 3.8-4.8 s, pull 4.8-5.8 s
    pulls = segment_reps(kin, start="floor", bottom_time="liftoff").reps
    assert len(pulls) == 2
    second = pulls[1]
    assert second.judged_from is not None
    assert 3.6 <= t[second.judged_from] <= t[second.bottom] <= 4.9
    assert t[second.bottom_first] >= t[second.bottom] - 0.35, "the set-up just before lift-off"
    standing = segment_reps(kin, start="floor").reps[1]
    assert standing.judged_from is None, "other lifts: the whole rep, down and up"
