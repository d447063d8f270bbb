"""Pose tracks on disk: NPZ round trip, JSON (two layouts), CSV, COCO-17."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from hingecoach.capture.tracks import load_track, save_track
from hingecoach.form import UnreadableVideoError, analyze_pose
from hingecoach.form.pose import COCO17_NAMES, COCO17_TO_BLAZEPOSE, LM
from tests.conftest import SHARED
from tests.unit.form.synthetic import Motion, make_sequence


def test_npz_round_trip_keeps_everything(tmp_path: Path) -> None:
    seq = make_sequence(Motion(reps=2))
    save_track(seq, tmp_path / "t.npz")
    back = load_track(tmp_path / "t.npz")
    assert np.allclose(back.landmarks, seq.landmarks, atol=1e-3)
    assert np.allclose(back.times_s, seq.times_s)
    assert back.back_profile is not None and back.back_profile.shape == (len(seq), 11)
    assert (back.width_px, back.height_px) == (seq.width_px, seq.height_px)


def test_json_and_csv_give_the_same_reps(tmp_path: Path) -> None:
    seq = make_sequence(Motion(reps=3))
    data = {
        "width_px": seq.width_px,
        "height_px": seq.height_px,
        "layout": "blazepose-33",
        "times_s": seq.times_s.tolist(),
        "keypoints": seq.landmarks[:, :, [0, 1, 2, 3]].tolist(),
    }
    (tmp_path / "t.json").write_text(json.dumps(data))
    rows = [f"# width_px={seq.width_px} height_px={seq.height_px}", "time_s,name,x,y,z,visibility"]
    for i, t in enumerate(seq.times_s):
        for j in range(33):
            x, y, z, v = seq.landmarks[i, j]
            rows.append(f"{t},{j},{x},{y},{z},{v}")
    (tmp_path / "t.csv").write_text("\n".join(rows) + "\n")
    for name in ("t.json", "t.csv"):
        report = analyze_pose(load_track(tmp_path / name))
        assert len(report.reps) == 3, name


def test_coco17_track_is_analysed(tmp_path: Path) -> None:
    """Another pose model's output (COCO-17, no feet) still gives reps."""
    seq = make_sequence(Motion(reps=3))
    kp = seq.landmarks[:, list(COCO17_TO_BLAZEPOSE)][:, :, [0, 1, 3]]
    (tmp_path / "coco.json").write_text(
        json.dumps(
            {
                "width_px": seq.width_px,
                "height_px": seq.height_px,
                "layout": "coco-17",
                "times_s": seq.times_s.tolist(),
                "keypoints": kp.tolist(),
            }
        )
    )
    loaded = load_track(tmp_path / "coco.json")
    assert np.isnan(loaded.landmarks[:, LM.LEFT_HEEL, 0]).all()
    assert len(COCO17_NAMES) == 17
    assert len(analyze_pose(loaded).reps) == 3


def test_swing_analyzer_json_from_the_shared_data() -> None:
    """The recorded kettlebell-swing track (pixels, 30 fps, 4 hand-checked bottoms)."""
    path = SHARED / "data" / "tracks" / "swing-sample-4reps.posetrack.json"
    if not path.is_file():
        pytest.skip(f"the shared tracks are not at {path.parent}")
    seq = load_track(path)
    assert len(seq) == 165 and seq.width_px == 1920
    truth = json.loads(path.with_name("swing-sample-4reps.groundtruth.json").read_text())
    bottoms = [a["video_time"] for a in truth["annotations"] if a["position"] == "bottom"]
    report = analyze_pose(seq, exercise="kettlebell-swing")
    assert report.pattern == "hinge"
    got = [r.bottom_s for r in report.reps]
    # the clip opens at the first bottom and ends at the last: the middle ones are complete
    assert len(got) >= 2
    for b in got:
        assert min(abs(b - t) for t in bottoms) < 0.25


def test_unreadable_track_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(UnreadableVideoError) as err:
        load_track(bad)
    assert err.value.code == "unreadable-video"
    with pytest.raises(UnreadableVideoError):
        load_track(tmp_path / "missing.npz")
