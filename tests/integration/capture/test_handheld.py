"""R-FORM-5 end to end: a real labelled clip filmed as if hand-held, in its pixels.

The kettlebell deadlift set (10 reps) is seen through a window that wanders as a hand does
(``perturb.handheld_video``) and analysed from the video, as an upload is: the pose pass
follows the room behind the person, and the set is counted as the steady phone counted it.
Measured against the picture alone, the same clip loses most of its reps.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hingecoach.capture import analyze_video
from hingecoach.form import analyze_pose
from hingecoach.form.camera import CAMERA_FOLLOWED_NOTE, CAMERA_MOVED_NOTE
from tests.unit.form.perturb import handheld_video

pytestmark = pytest.mark.slow

SET = "tby66-kb-deadlift-c_1.mp4"


def test_a_hand_held_set_is_counted_against_the_room(
    clip: Callable[[str], Path], tmp_path: Path
) -> None:
    held = tmp_path / SET
    handheld_video(clip(SET), held, seed=2)
    result = analyze_video(held, exercise="kettlebell-deadlift")
    report = result.report
    assert len(report.reps) == 10
    assert report.pattern == "hinge" and report.fault_ids == []
    assert CAMERA_FOLLOWED_NOTE in report.notes and CAMERA_MOVED_NOTE not in report.notes
    assert result.cuts is not None and result.cuts.camera is not None
    as_filmed = analyze_pose(
        result.pose, exercise="kettlebell-deadlift", cuts_s=result.cuts.cuts_s()
    )
    assert len(as_filmed.reps) < 10
    assert CAMERA_MOVED_NOTE in as_filmed.notes
