"""R-FORM-5 several-people in a video clip, from recorded people scans (no MediaPipe).

The scans in ``tests/fixtures/people`` were recorded with the real ``PoseLandmarker``
(see its README); the background person, the passer-by and the double detection are built
from the recorded lifter (a scaled, moved copy of their landmarks), so each case differs
from the recorded one in that one respect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from hingecoach.capture.people_scan import load_scan
from hingecoach.form import PoseSequence, ViewRefusedError, analyze_pose
from hingecoach.form.people import PeopleScan, find_other_lifters
from hingecoach.form.pose import LM
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, rule_of

PEOPLE = Path(__file__).resolve().parents[2] / "fixtures" / "people"


def scan(name: str) -> PeopleScan:
    return load_scan(PEOPLE / f"{name}.npz")


def with_copy(
    base: PeopleScan,
    *,
    scale: float,
    dx: float,
    dy: float = 0.0,
    samples: slice | list[int] | None = None,
) -> PeopleScan:
    """``base`` with one more body: its lifter (slot 0) scaled about the lifter's feet by
    ``scale`` and moved by ``dx``, ``dy`` frame widths / heights, in ``samples`` (all)."""
    lifter = base.landmarks[:, 0]
    feet = lifter[:, [LM.LEFT_ANKLE, LM.RIGHT_ANKLE], :2].mean(axis=1, keepdims=True)
    body = lifter.copy()
    body[..., :2] = feet + scale * (lifter[..., :2] - feet)
    body[..., 0] += dx * base.width_px
    body[..., 1] += dy * base.height_px
    extra = np.full_like(lifter, np.nan)
    extra[..., 2:] = 0.0
    chosen = slice(None) if samples is None else samples
    extra[chosen] = body[chosen]
    return PeopleScan(
        landmarks=np.concatenate([base.landmarks, extra[:, None]], axis=1),
        times_s=base.times_s,
        width_px=base.width_px,
        height_px=base.height_px,
    )


def test_people_thresholds_name_their_rule() -> None:
    for name in ("people_min_size_share", "people_min_share", "people_same_overlap"):
        assert rule_of(name) == "R-FORM-5"


def test_r_form_5_one_lifter_is_not_several_people(track: Callable[[str], PoseSequence]) -> None:
    one = scan("kb-deadlift-one-lifter")
    clean = track("kb-deadlift-clean")
    finding = find_other_lifters(one, clean)
    assert finding.samples == len(one) and finding.crowded == 0
    assert not finding.several()
    report = analyze_pose(clean, exercise="kettlebell-deadlift", people=one)
    assert len(report.reps) == 4


def test_r_form_5_two_lifters_side_by_side_are_several_people() -> None:
    split = scan("kb-deadlift-split-screen")  # a split-screen reel: two sets side by side
    finding = find_other_lifters(split)
    assert finding.several()
    assert finding.crowded == finding.samples == len(split)
    assert finding.size_share == pytest.approx(1.0, abs=0.1)


@pytest.mark.parametrize(
    ("rule", "scale", "several"),
    [
        ("R-FORM-5", 0.35, False),  # far back in the room: a third of the lifter's size
        ("R-FORM-5", 0.45, False),
        ("R-FORM-5", 0.6, True),  # a little behind the lifter: a second lifter
        ("R-FORM-5", 1.0, True),
    ],
)
def test_r_form_5_a_background_person_counts_by_their_size(
    rule: str, scale: float, several: bool
) -> None:
    """Someone in the picture all along, further back (smaller and higher) as ``scale``."""
    one = scan("kb-deadlift-one-lifter")
    crowd = with_copy(one, scale=scale, dx=0.35, dy=-0.3 * (1 - scale))
    assert rule_of("people_min_size_share") == rule
    assert find_other_lifters(crowd).several() is several


@pytest.mark.parametrize(("seen_in", "several"), [(1, False), (2, False), (12, True)])
def test_r_form_5_someone_passing_through_is_not_a_second_lifter(
    seen_in: int, several: bool
) -> None:
    one = scan("kb-deadlift-one-lifter")
    passing = with_copy(one, scale=1.0, dx=0.4, samples=list(range(5, 5 + seen_in)))
    finding = find_other_lifters(passing)
    assert finding.crowded == seen_in
    assert finding.several() is several


def test_r_form_5_the_lifter_found_twice_is_one_person() -> None:
    """The model can put a second skeleton on a lifter bent over the bar."""
    one = scan("kb-deadlift-one-lifter")
    twice = with_copy(one, scale=0.95, dx=0.02)
    assert (twice.counts == 2).all()
    assert not find_other_lifters(twice).several()


def test_r_form_5_the_tracked_lifter_is_the_reference(
    track: Callable[[str], PoseSequence],
) -> None:
    """A bigger person near the camera is a second person beside the lifter the pose
    track follows; without the track the biggest body is taken for the lifter, and the
    real lifter (at 40 % of its size) for a background person."""
    one = scan("kb-deadlift-one-lifter")
    near = with_copy(one, scale=2.5, dx=-0.5, dy=0.1)
    assert find_other_lifters(near, track("kb-deadlift-clean")).several()
    assert not find_other_lifters(near).several()


def test_r_form_5_several_people_is_said_before_the_camera_angle(
    track: Callable[[str], PoseSequence],
) -> None:
    front = track("goblet-squat-front")
    with pytest.raises(ViewRefusedError) as alone:
        analyze_pose(front)
    assert alone.value.code == "not-side-view"
    with pytest.raises(ViewRefusedError) as crowded:
        analyze_pose(front, people=scan("kb-deadlift-split-screen"))
    assert crowded.value.code == "several-people"
    assert "only the lifter in the frame" in str(crowded.value)


@pytest.mark.parametrize(("samples", "several"), [(2, False), (3, True)])
def test_r_form_5_a_second_lifter_needs_a_few_samples(samples: int, several: bool) -> None:
    """Two samples (a one-second clip) are too few to call, even both crowded."""
    split = scan("kb-deadlift-split-screen")
    short = PeopleScan(
        split.landmarks[:samples], split.times_s[:samples], split.width_px, split.height_px
    )
    finding = find_other_lifters(short)
    assert finding.crowded == finding.samples == samples
    assert finding.several() is several
    assert finding.several(replace(DEFAULT_THRESHOLDS, people_min_samples=samples + 1)) is False


def test_people_scan_checks_its_shapes() -> None:
    with pytest.raises(ValueError, match=r"expected shape \(samples, slots, 33, 4\), got"):
        PeopleScan(np.zeros((3, 33, 4)), np.arange(3.0), 100, 100)
    with pytest.raises(ValueError, match="strictly increasing"):
        PeopleScan(np.zeros((2, 1, 33, 4)), np.zeros(2), 100, 100)
