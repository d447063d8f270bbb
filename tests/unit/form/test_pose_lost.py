"""R-FORM-5: the pose lost for a moment (motion blur, a plate passing the camera) does not
split a set into pieces too short to count, and no fault is read where there was no pose;
lost for longer, the set is split as before (issue 19)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hingecoach.form import PoseSequence, analyze_pose
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS
from tests.unit.form.perturb import pose_lost

#: (recorded track, its reps, pattern, faults)
TRACKS = [
    ("kb-deadlift-clean", 4, "hinge", ()),
    ("kb-deadlift-rounded", 4, "hinge", ("back-rounding", "head-misaligned")),
    ("good-morning-knees-locked", 3, "hinge", ("knees-locked",)),
    ("bw-squat", 3, "squat", ()),
    ("squat-shallow-rep", 6, "squat", ()),
]
IDS = [t[0] for t in TRACKS]


@pytest.mark.parametrize(("name", "reps", "pattern", "faults"), TRACKS, ids=IDS)
def test_the_pose_lost_half_a_second_on_the_way_down_keeps_the_set_and_its_faults(
    track: Callable[[str], PoseSequence],
    name: str,
    reps: int,
    pattern: str,
    faults: tuple[str, ...],
) -> None:
    whole = track(name)
    found = analyze_pose(whole).reps
    assert len(found) == reps
    halfway = [(r.start_s + r.bottom_s) / 2 for r in found]
    report = analyze_pose(pose_lost(whole, halfway, 0.5))
    assert len(report.reps) == reps
    assert report.pattern == pattern
    assert report.fault_ids == list(faults)


@pytest.mark.parametrize(("name", "reps", "pattern"), [t[:3] for t in TRACKS[:4]], ids=IDS[:4])
def test_the_pose_lost_half_a_second_at_each_bottom_still_counts_the_reps(
    track: Callable[[str], PoseSequence], name: str, reps: int, pattern: str
) -> None:
    """The rep is counted through the moment without a pose (its bottom then a guess
    within it); a fault read at the bottom is not read from the guess."""
    whole = track(name)
    bottoms = [r.bottom_s for r in analyze_pose(whole).reps]
    report = analyze_pose(pose_lost(whole, bottoms, 0.5))
    assert len(report.reps) == reps
    assert report.pattern == pattern
    assert "head-misaligned" not in report.fault_ids


def test_the_pose_lost_for_longer_still_splits_the_set(
    track: Callable[[str], PoseSequence],
) -> None:
    """Past ``pose_lost_bridge_s`` nobody knows what happened: the rep through the gap is
    not counted from guesses."""
    whole = track("kb-deadlift-clean")
    bottoms = [r.bottom_s for r in analyze_pose(whole).reps]
    longer = DEFAULT_THRESHOLDS.pose_lost_bridge_s + 0.3
    report = analyze_pose(pose_lost(whole, bottoms[1:2], longer))
    assert len(report.reps) == len(bottoms) - 1
    assert bottoms[1] not in [r.bottom_s for r in report.reps]


def test_a_pose_found_in_every_other_frame_is_read_between_them(
    track: Callable[[str], PoseSequence],
) -> None:
    """A frame at a time without a pose is a moment too: the clip reads as it would at
    half its frame rate."""
    whole = track("kb-deadlift-clean")
    every_other = pose_lost(whole, list(whole.times_s[1::2]), 1e-6)
    report = analyze_pose(every_other)
    assert len(report.reps) == 4
    assert report.pattern == "hinge"
    assert report.fault_ids == []
