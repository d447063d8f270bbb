"""Cuts found in the pictures, as the core gets them: times only (R-FORM-1 shots, R-FORM-5).

Recorded tracks of two labelled reels (tests/fixtures/tracks, with the cut times the video
shows) and synthetic ones; no video, no pose model.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from hingecoach.form import PoseSequence, ViewRefusedError, analyze_pose
from hingecoach.form.shots import cut_frames, find_shots, shot_lengths_s
from tests.unit.form.synthetic import Motion, jitter, make_sequence, reframe

#: The cuts found in the pictures of the recorded reels (capture.frame_cuts, the
#: integration test checks them against the video).
WRONG_RIGHT_CUTS_S = (7.3667, 14.7)
SUMO_REEL_CUTS_S = (0.9333, 3.3667, 5.2333)


def _times(n: int, fps: float = 30.0) -> np.ndarray:
    return np.arange(n) / fps


def test_a_cut_time_starts_the_shot_on_the_frame_at_or_just_after_it() -> None:
    times = _times(90)
    # 1.0 s is frame 30; 1.01 s (between two posed frames) starts on 30 too; edges ignored
    assert cut_frames(times, [1.0, 1.01, 2.0, 0.0, 5.0]) == (30, 60)
    assert cut_frames(times, []) == ()


def test_r_form_1_a_picture_cut_starts_a_shot_where_the_body_does_not_jump() -> None:
    seq = jitter(make_sequence(Motion(reps=3)), px=3.0)
    assert find_shots(seq).starts == ()
    cut = len(seq) // 2
    assert find_shots(seq, cuts=[cut]).starts == (cut,)


def test_r_form_1_a_body_jump_at_a_picture_cut_is_one_cut() -> None:
    """A cut to another framing: the pictures and the body both show it, a frame apart."""
    seq = reframe(jitter(make_sequence(Motion(reps=3)), px=3.0), 4.0, 0.7, (40.0, 30.0))
    body = find_shots(seq).starts
    assert len(body) == 1
    assert find_shots(seq, cuts=[body[0] + 1]).starts == (body[0] + 1,)


def test_r_form_1_a_picture_shot_of_a_frame_at_either_end_is_left_out() -> None:
    """A title card's first frame, a black last frame: no shot, the frames left out."""
    seq = make_sequence(Motion(reps=2))
    n = len(seq)
    shots = find_shots(seq, cuts=[1, n - 1])
    assert shots.starts == ()
    assert shots.glitch[0] and shots.glitch[-1] and not shots.glitch[1:-1].any()


def test_shot_lengths_leave_out_a_flash_of_a_frame_or_two() -> None:
    times = _times(300)  # 10 s
    assert shot_lengths_s(times, [1, 150, 151]) == pytest.approx([4.9333, 4.9333], abs=1e-3)


@pytest.mark.parametrize(
    ("cuts_s", "refused"),
    [
        ((2.0, 4.0, 6.0), True),  # four shots of 2-3 s: no rep in one take
        ((2.0, 6.0), False),  # two cuts are not a reel
        ((1.0, 2.0, 3.0), False),  # a 6 s shot holds the reps
    ],
)
def test_r_form_5_an_edited_reel_of_short_shots_is_pose_unreliable(
    track: Callable[[str], PoseSequence], cuts_s: tuple[float, ...], refused: bool
) -> None:
    """R-FORM-5: three cuts or more in the pictures and no shot of a rep's length (5 s)."""
    seq = track("kb-deadlift-clean")  # 9 s, a usable side view, 4 reps
    if refused:
        with pytest.raises(ViewRefusedError) as refusal:
            analyze_pose(seq, exercise="kettlebell-deadlift", cuts_s=cuts_s)
        assert refusal.value.code == "pose-unreliable"
    else:
        assert analyze_pose(seq, exercise="kettlebell-deadlift", cuts_s=cuts_s).reps


def test_r_form_5_the_sumo_reel_is_refused_for_its_cuts_not_its_angle(
    track: Callable[[str], PoseSequence],
) -> None:
    """The 7.1 s reel (side, front, close side, side shots, lines drawn over the body):
    the pose track alone reads a camera angle; the pictures show an edited reel."""
    seq = track("sumo-deadlift-reel")
    with pytest.raises(ViewRefusedError) as by_pose:
        analyze_pose(seq, exercise="sumo-deadlift")
    assert by_pose.value.code == "not-side-view"
    with pytest.raises(ViewRefusedError) as by_pictures:
        analyze_pose(seq, exercise="sumo-deadlift", cuts_s=SUMO_REEL_CUTS_S)
    assert by_pictures.value.code == "pose-unreliable"


def test_r_form_1_the_wrong_right_reel_is_counted_take_by_take(
    track: Callable[[str], PoseSequence],
) -> None:
    """R-FORM-1: a 'wrong vs right' reel cut at 7.37 s to a second recording (wider, other
    colours). The body does not jump at the cut, so the pose track alone sees one take with
    both pulls; with the cut from the pictures, each take has its own pull (the labels
    score the first one, 0-7.33 s), and the black last frame is no take."""
    seq = track("deadlift-wrong-right-reel")
    alone = analyze_pose(seq, exercise="conventional-deadlift")
    assert [s.reps for s in alone.shots] == [2]
    report = analyze_pose(seq, exercise="conventional-deadlift", cuts_s=WRONG_RIGHT_CUTS_S)
    assert [r.bottom_s for r in report.reps] == pytest.approx([2.63, 8.47], abs=0.1)
    assert [s.reps for s in report.shots] == [1, 1]
    bounds = [t for s in report.shots for t in (s.start_s, s.end_s)]
    assert bounds == pytest.approx([0.03, 7.33, 7.37, 14.67], abs=0.05)
    assert "cuts between 2 takes (0.0-7.3 s: 1 rep, 7.4-14.7 s: 1 rep)" in report.notes[-1]


def test_r_form_4_the_wrong_take_of_the_reel_keeps_its_faults(
    track: Callable[[str], PoseSequence],
) -> None:
    """R-FORM-4 take by take: the first take's only pull rounds the back with the head
    hanging (its labels); the second take's pull is clean. Seen as one take of two pulls,
    a fault on one of them was not kept and the reel read as having none."""
    seq = track("deadlift-wrong-right-reel")
    alone = analyze_pose(seq, exercise="conventional-deadlift")
    assert not {"back-rounding", "head-misaligned"} & set(alone.fault_ids)
    report = analyze_pose(seq, exercise="conventional-deadlift", cuts_s=WRONG_RIGHT_CUTS_S)
    by_id = {f.id: f for f in report.faults}
    assert {"back-rounding", "head-misaligned"} <= set(by_id)
    assert by_id["back-rounding"].reps == [1] and by_id["head-misaligned"].reps == [1]
    assert report.reps[1].faults == []
