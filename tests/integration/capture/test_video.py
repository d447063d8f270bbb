"""The real model on real clips (MediaPipe full, PyAV); rotation; annotated output."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from hingecoach.form import UnreadableVideoError, ViewRefusedError

pytestmark = pytest.mark.usefixtures("video_support")


def _write_clip(path: Path, rotation: int | None = None, frames: int = 6) -> None:
    import av

    container = av.open(str(path), "w")
    stream = container.add_stream("libx264", rate=30)
    stream.width, stream.height, stream.pix_fmt = 64, 32, "yuv420p"
    if rotation is not None:
        stream.set_display_rotation(rotation)
    img = np.zeros((32, 64, 3), np.uint8)
    img[:16, :32] = (255, 0, 0)  # red top-left quadrant
    for _ in range(frames):
        for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)
    container.close()


def test_phone_rotation_metadata_is_applied(tmp_path: Path) -> None:
    from hingecoach.capture.video import iter_frames, probe

    _write_clip(tmp_path / "rot.mp4", rotation=90)
    info = probe(tmp_path / "rot.mp4")
    assert (info.width_px, info.height_px, info.rotation_deg) == (32, 64, 90)
    frame = next(iter_frames(tmp_path / "rot.mp4"))
    assert frame.rgb.shape == (64, 32, 3)
    red = frame.rgb[:, :, 0] > 128
    assert red[-8:, :8].all() and not red[:8, :].any()  # top-left went bottom-left
    assert frame.rgb.flags.c_contiguous


def test_times_are_presentation_times(tmp_path: Path) -> None:
    from hingecoach.capture.video import iter_frames

    _write_clip(tmp_path / "plain.mp4", frames=9)
    times = [f.time_s for f in iter_frames(tmp_path / "plain.mp4")]
    assert times == pytest.approx([i / 30 for i in range(9)], abs=1e-6)


def test_a_file_that_is_not_a_video(tmp_path: Path) -> None:
    from hingecoach.capture import analyze_video

    bad = tmp_path / "notes.mp4"
    bad.write_text("this is not a video")
    with pytest.raises(UnreadableVideoError) as err:
        analyze_video(bad)
    assert err.value.code == "unreadable-video"


def test_a_clip_with_no_person_is_refused(tmp_path: Path) -> None:
    from hingecoach.capture import analyze_video

    _write_clip(tmp_path / "empty.mp4", frames=15)
    with pytest.raises(ViewRefusedError) as err:
        analyze_video(tmp_path / "empty.mp4")
    assert err.value.code == "no-person"


def test_a_long_empty_clip_stops_early_with_nobody_in_view(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hingecoach.capture import analyze_video
    from hingecoach.capture.mediapipe_pose import PoseEstimator
    from hingecoach.capture.pipeline import EarlyStop
    from hingecoach.capture.video import probe

    clip = tmp_path / "nobody.mp4"
    _write_clip(clip, frames=600)  # 20 s at 30 fps, nobody in it
    posed: list[int] = []
    process = PoseEstimator.process

    def counted(self: PoseEstimator, rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        posed.append(1)
        return process(self, rgb)

    monkeypatch.setattr(PoseEstimator, "process", counted)
    with pytest.raises(ViewRefusedError) as err:
        analyze_video(clip, stop=EarlyStop(nobody_s=2.0))
    assert err.value.code == "no-person"
    assert "nobody in view in the first 2 s" in str(err.value)
    assert "whole body in frame" in str(err.value)
    assert probe(clip).frames_estimate == 600
    assert len(posed) <= 2 * 30 + 2  # the first two seconds, not the twenty


def test_a_clip_running_past_the_limit_is_refused_part_way(tmp_path: Path) -> None:
    """The header may say nothing of the length (a browser's recording) or lie about it:
    the analysis itself stops at the limit."""
    from hingecoach.capture import analyze_video
    from hingecoach.capture.pipeline import EarlyStop
    from hingecoach.form import FormError

    clip = tmp_path / "long.mp4"
    _write_clip(clip, frames=90)  # 3 s
    with pytest.raises(FormError) as err:
        analyze_video(clip, stop=EarlyStop(max_s=1.0))
    assert err.value.code == "clip-too-long"
    assert "trim the clip to one set" in str(err.value)


@pytest.mark.slow
def test_kettlebell_deadlift_end_to_end_with_annotated_video(
    clip: Callable[[str], Path], tmp_path: Path
) -> None:
    """Real model, real clip: 1 rep at 0.1 s (labels), clean; H.264 out, a PNG per rep."""
    import av

    from hingecoach.capture import analyze_video

    result = analyze_video(
        clip("tobefrank-kb-deadlift.mp4"),
        exercise="kettlebell-deadlift",
        out_video=tmp_path / "out.mp4",
        frames_dir=tmp_path / "frames",
    )
    report = result.report
    assert len(report.reps) == 1
    assert report.reps[0].bottom_s == pytest.approx(0.1, abs=0.2)
    assert report.pattern == "hinge" and report.rating == "clean"
    with av.open(str(tmp_path / "out.mp4")) as out:
        stream = out.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert stream.codec_context.pix_fmt == "yuv420p"
        assert sum(1 for _ in out.decode(stream)) == len(result.pose)
    assert [p.name for p in result.frames] == ["rep-01-bottom.png"]


@pytest.mark.slow
def test_heel_lift_deadlift_on_the_real_model(clip: Callable[[str], Path]) -> None:
    from hingecoach.capture import analyze_video

    report = analyze_video(clip("jeffchen-heellift.mp4"), exercise="conventional-deadlift").report
    assert len(report.reps) == 1
    assert "weight-on-toes" in report.fault_ids


@pytest.mark.slow
def test_front_oblique_swing_is_refused(clip: Callable[[str], Path]) -> None:
    from hingecoach.capture import analyze_video

    with pytest.raises(ViewRefusedError) as err:
        analyze_video(clip("kovi-kb-swing-front-oblique.mp4"))
    assert err.value.code == "not-side-view"


@pytest.mark.slow
def test_stretch_of_a_long_clip_in_constant_memory(clip: Callable[[str], Path]) -> None:
    """Frames stream one at a time: a stretch of a multi-rep clip, 3 labelled bottoms."""
    from hingecoach.capture import extract_pose
    from hingecoach.form import analyze_pose

    seq = extract_pose(clip("tby66-kb-deadlift-k_1.mp4"), start_s=0.0, end_s=5.8)
    report = analyze_pose(seq, exercise="kettlebell-deadlift")
    assert [round(r.bottom_s, 1) for r in report.reps] == pytest.approx([1.9, 3.67, 5.23], abs=0.2)
    assert "squatting" in report.fault_ids


def test_video_support_is_looked_up_not_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    """MediaPipe's import (about 0.6 s) is left to the process that poses; a missing
    library still says what to install."""
    import subprocess
    import sys

    from hingecoach.capture.pipeline import require_video_support
    from hingecoach.form import FormError

    check = (
        "import sys; from hingecoach.capture.pipeline import require_video_support; "
        "require_video_support(); print('mediapipe' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
    monkeypatch.setitem(sys.modules, "mediapipe", None)
    with pytest.raises(FormError) as err:
        require_video_support()
    assert err.value.code == "video-support-missing"
    assert "mediapipe" in str(err.value) and "make setup" in str(err.value)
