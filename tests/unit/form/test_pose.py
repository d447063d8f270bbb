"""The PoseSequence container checks its shapes and maps COCO-17 onto BlazePose-33."""

from __future__ import annotations

import numpy as np
import pytest

from hingecoach.form.pose import COCO17_TO_BLAZEPOSE, LM, PoseSequence, coco17_to_blazepose33


def test_shapes_are_checked_with_expected_and_got() -> None:
    with pytest.raises(ValueError, match=r"expected shape \(frames, 33, 4\), got \(5, 17, 3\)"):
        PoseSequence(np.zeros((5, 17, 3)), np.arange(5.0), 100, 100)
    with pytest.raises(ValueError, match=r"times_s: expected shape \(5,\)"):
        PoseSequence(np.zeros((5, 33, 4)), np.arange(4.0), 100, 100)
    with pytest.raises(ValueError, match="increasing"):
        PoseSequence(np.zeros((3, 33, 4)), np.array([0.0, 0.0, 1.0]), 100, 100)
    with pytest.raises(ValueError, match="back_profile"):
        PoseSequence(np.zeros((3, 33, 4)), np.arange(3.0), 100, 100, back_profile=np.zeros(3))


def test_slice_time_and_fps() -> None:
    seq = PoseSequence(np.zeros((30, 33, 4)), np.arange(30) / 30.0, 640, 480)
    assert seq.fps == pytest.approx(30.0)
    part = seq.slice_time(0.5, 0.7)
    assert len(part) == 7 and part.times_s[0] == pytest.approx(0.5)


def test_coco17_is_mapped_and_missing_points_are_invisible() -> None:
    kp = np.random.default_rng(0).uniform(0, 100, (4, 17, 3))
    lm = coco17_to_blazepose33(kp)
    assert lm.shape == (4, 33, 4)
    assert np.allclose(lm[:, LM.LEFT_HIP, :2], kp[:, 11, :2])
    assert np.allclose(lm[:, LM.LEFT_HIP, 3], kp[:, 11, 2])
    assert np.all(lm[:, LM.LEFT_HEEL, 3] == 0) and np.isnan(lm[:, LM.LEFT_HEEL, 0]).all()
    assert len(set(COCO17_TO_BLAZEPOSE)) == 17
