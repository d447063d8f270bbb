"""R-FORM-4: a clip whose frames come unevenly (a phone dropping frames in low light) is
read on an even clock, so "sustained" means the same time all through it (issue 19)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

from hingecoach.form import PoseSequence, ViewRefusedError, analyze_pose
from hingecoach.form.clock import is_even, on_even_clock
from hingecoach.form.pose import N_LANDMARKS
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS
from tests.unit.form.perturb import dropped, low_light, without


def _moving(times: list[float] | np.ndarray) -> PoseSequence:
    """Every point moving right at 100 px/s and down at 50 px/s, all seen."""
    t = np.asarray(times, dtype=np.float64)
    lm = np.zeros((t.size, N_LANDMARKS, 4))
    lm[..., 0] = 100.0 + 100.0 * t[:, None]
    lm[..., 1] = 200.0 + 50.0 * t[:, None]
    lm[..., 3] = 1.0
    return PoseSequence(
        landmarks=lm,
        times_s=t,
        width_px=640,
        height_px=480,
        back_profile=np.stack([t, 2 * t], axis=1),
        people=np.arange(t.size),
    )


def test_a_steady_clip_is_read_as_it_is() -> None:
    seq = _moving(np.arange(60) / 30.0 + 0.004 * np.sin(np.arange(60)))  # timestamp jitter
    assert is_even(seq.times_s)
    assert on_even_clock(seq) is seq


def test_dropped_frames_are_put_back_on_the_clip_s_own_rate() -> None:
    full = _moving(np.arange(90) / 30.0)
    keep = np.ones(90, bool)
    keep[[5, 6, 20, 41, 42, 43, 70]] = False
    evened = on_even_clock(without(full, keep))
    assert not is_even(full.times_s[keep])
    assert evened.times_s == pytest.approx(full.times_s)
    # straight-line motion: the missing frames come back where the points were
    assert evened.landmarks == pytest.approx(full.landmarks)
    assert evened.back_profile == pytest.approx(full.back_profile)
    assert evened.people is not None and full.people is not None
    assert set(evened.people) <= set(full.people[keep])  # the nearer frame's count


def test_a_long_gap_is_left_unseen_not_made_up() -> None:
    gap = DEFAULT_THRESHOLDS.clock_gap_max_s
    times = np.concatenate([np.arange(30) / 30.0, 1.0 + gap + np.arange(30) / 30.0])
    evened = on_even_clock(_moving(times))
    hidden = ~np.isfinite(evened.landmarks[:, 0, 0])
    in_gap = (evened.times_s > times[29] + 1e-9) & (evened.times_s < times[30] - 1e-9)
    assert in_gap.sum() >= round(gap * 30) - 1
    assert np.array_equal(hidden, in_gap)
    assert np.all(evened.landmarks[hidden, :, 3] == 0.0)


def test_a_point_unseen_in_the_nearer_frame_stays_unseen_and_no_longer() -> None:
    seq = _moving(np.arange(30) / 30.0)
    lm = seq.landmarks.copy()
    lm[10, 0, :2] = np.nan  # the nose unseen in one frame
    lm[10, 0, 3] = 0.0
    keep = np.ones(30, bool)
    keep[[11, 12]] = False  # and the two frames after it dropped
    evened = on_even_clock(without(replace(seq, landmarks=lm), keep))
    nose_seen = np.isfinite(evened.landmarks[:, 0, 0])
    # frame 11 is nearer frame 10 (unseen), frame 12 nearer frame 13 (seen)
    assert list(np.flatnonzero(~nose_seen)) == [10, 11]
    assert evened.landmarks[12, 0, :2] == pytest.approx(seq.landmarks[13, 0, :2])
    assert np.isfinite(evened.landmarks[10, 1:, :2]).all()  # the other points are seen


# -- the verdicts on recorded tracks with frames dropped as a phone drops them --


UNEVEN: dict[str, Callable[[PoseSequence], PoseSequence]] = {
    "10%-dropped": dropped(0.1, 11),
    "20%-dropped": dropped(0.2, 21),
    "20%-dropped-again": dropped(0.2, 22),
    "low-light": low_light(2),
    "low-light-again": low_light(3),
}

#: Recorded tracks whose verdicts moved with dropped frames before they were read on an
#: even clock (a fault missed or added, a rep lost, an edited reel accepted), and some
#: that held anyway.
TRACKS = [
    "deadlift-hyperextension",
    "deadlift-wrong-right-reel",
    "squat-shallow-rep",
    "sumo-deadlift-reel",
    "kb-deadlift-rounded",
    "kb-deadlift-hips-rise",
    "kb-deadlift-squatting",
    "good-morning-knees-locked",
]


def _verdict(seq: PoseSequence) -> tuple[object, ...]:
    try:
        report = analyze_pose(seq)
    except ViewRefusedError as exc:
        return ("refused", exc.code)
    return (len(report.reps), report.pattern, tuple(report.fault_ids))


@pytest.mark.parametrize("uneven", list(UNEVEN))
@pytest.mark.parametrize("name", TRACKS)
def test_dropped_frames_leave_the_verdict_as_the_whole_clip_s(
    track: Callable[[str], PoseSequence], name: str, uneven: str
) -> None:
    """R-FORM-4 (and R-FORM-1, R-FORM-5): the same reps, pattern and faults, or the same
    refusal, with frames dropped as with every frame."""
    whole = track(name)
    assert _verdict(UNEVEN[uneven](whole)) == _verdict(whole)
