"""Speed without new verdicts (issue 17): one decode for the annotated video, a long clip
posed by two processes, and the frame spool in between."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from hingecoach.form.pose import LM

pytestmark = pytest.mark.usefixtures("video_support")

#: The landmarks the form analysis reads (one side of the body and the head).
KEY_POINTS = [
    LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP, LM.LEFT_KNEE,
    LM.RIGHT_KNEE, LM.LEFT_ANKLE, LM.RIGHT_ANKLE,
]  # fmt: skip


def test_the_annotated_video_comes_from_the_one_decoding_pass(
    clip: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The source is decoded once; the written video is H.264 with every frame, and plays
    (every frame decodes, at the analysis size and the clip's frame rate)."""
    import av

    from hingecoach.capture import analyze_video, video

    source = clip("tobefrank-kb-deadlift.mp4")
    opened: list[Path] = []
    real = video.iter_frames

    def counting(path: Path, **kwargs: Any) -> Iterator[video.Frame]:
        opened.append(path)
        return real(path, **kwargs)

    monkeypatch.setattr(video, "iter_frames", counting)
    out = tmp_path / "annotated.mp4"
    result = analyze_video(
        source, exercise="kettlebell-deadlift", out_video=out, frames_dir=tmp_path / "f"
    )
    assert opened == [source]
    decoded = sum(1 for _ in real(source))
    assert len(result.pose) == decoded
    with av.open(str(out)) as played:
        stream = played.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert stream.codec_context.pix_fmt == "yuv420p"
        frames = [f.to_ndarray(format="rgb24") for f in played.decode(stream)]
        assert float(stream.average_rate or 0) == pytest.approx(video.probe(source).fps, rel=0.01)
    assert len(frames) == decoded
    assert frames[0].shape[:2] == (result.pose.height_px, result.pose.width_px)
    # drawn on: the first frame differs from the source frame by the overlay
    first = next(iter(real(source, max_side=video.ANALYSIS_MAX_SIDE_PX))).rgb
    assert np.mean(np.abs(frames[0].astype(int) - first.astype(int)) > 60) > 0.001
    assert [p.name for p in result.frames] == ["rep-01-bottom.png"]


def test_the_spool_gives_back_every_frame_in_order(tmp_path: Path) -> None:
    from hingecoach.capture.spool import FrameSpool

    ramp = np.linspace(0, 255, 64)[None, :, None] * np.ones((48, 1, 3))
    images = []
    for i in range(5):  # a smooth background with a coloured block moving across it
        img = ramp.astype(np.uint8)
        img[10:30, 8 * i : 8 * i + 16] = (200, 40, 40)
        images.append(img)
    spool = FrameSpool()
    for i, img in enumerate(images):
        spool.add(i / 30, img)
    other = FrameSpool(tmp_path / "part.spool")
    other.add(5 / 30, images[0])
    other.close()
    spool.adopt(tmp_path / "part.spool")
    back = list(spool.frames())
    spool.close()
    assert [round(t * 30) for t, _ in back] == [0, 1, 2, 3, 4, 5]
    for (_, got), want in zip(back, [*images, images[0]], strict=True):
        assert got.shape == want.shape
        assert np.mean(np.abs(got.astype(int) - want.astype(int))) < 8  # JPEG, quality 90
    assert not (tmp_path / "part.spool").exists()


@pytest.mark.slow
def test_a_clip_split_over_two_processes_gives_the_same_report(
    clip: Callable[[str], Path], tmp_path: Path
) -> None:
    """10.6 s, 3 squats with a hold: the first half's landmarks are the one-process ones
    exactly; the second half's (tracker restarted 1 s early) agree within a few pixels;
    the reps, their bottoms and the faults are the same."""
    import av

    from hingecoach.capture import analyze_video

    source = clip("mtv4-bw-squat-hold.mp4")
    one = analyze_video(source)
    out = tmp_path / "two.mp4"
    two = analyze_video(source, processes=2, out_video=out)
    np.testing.assert_allclose(two.pose.times_s, one.pose.times_s)
    split = float(one.pose.times_s[-1]) / 2
    first = one.pose.times_s < split - 0.05
    a, b = one.pose.xy[:, KEY_POINTS], two.pose.xy[:, KEY_POINTS]
    np.testing.assert_allclose(b[first], a[first], atol=1e-3)
    later = np.abs(b[~first] - a[~first]).max(axis=(1, 2))
    assert np.nanmedian(later) < 3.0 and np.nanpercentile(later, 90) < 15.0
    assert len(two.report.reps) == len(one.report.reps) == 3
    for r1, r2 in zip(one.report.reps, two.report.reps, strict=True):
        assert r2.bottom_s == pytest.approx(r1.bottom_s, abs=0.1)
    assert two.report.fault_ids == one.report.fault_ids
    assert two.report.view.side == one.report.view.side
    with av.open(str(out)) as played:
        assert sum(1 for _ in played.decode(video=0)) == len(one.pose)


def _doubled(source: Path, target: Path) -> Path:
    """``source`` at twice its frame rate, each frame twice: the same motion."""
    import av

    from hingecoach.capture import video

    rate = round(video.probe(source).fps) * 2
    with av.open(str(target), "w") as out:
        stream = out.add_stream("libx264", rate=rate)
        first = next(iter(video.iter_frames(source)))
        stream.height, stream.width = first.rgb.shape[:2]
        stream.pix_fmt = "yuv420p"
        for frame in video.iter_frames(source):
            for _ in range(2):
                vf = av.VideoFrame.from_ndarray(frame.rgb, format="rgb24")
                for packet in stream.encode(vf):
                    out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return target


def test_a_60_fps_clip_is_posed_on_every_other_frame(
    clip: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every frame gets landmarks (the ones between two posed frames half-way between
    them) and the report is the one of posing every frame."""
    from hingecoach.capture import analyze_video, video

    source = clip("jeffchen-good.mp4")  # 30 fps, one rep
    fast = _doubled(source, tmp_path / "sixty.mp4")
    capped = analyze_video(fast)
    monkeypatch.setenv("HINGECOACH_POSE_FPS_MAX", "0")
    every = analyze_video(fast)
    assert len(capped.pose) == len(every.pose) == 2 * len(list(video.iter_frames(source)))
    xy = capped.pose.xy[:, KEY_POINTS]
    middle = (xy[0:-2:2] + xy[2::2]) / 2
    np.testing.assert_allclose(xy[1:-1:2], middle, atol=1e-3)
    assert len(capped.report.reps) == len(every.report.reps) == 1
    assert capped.report.reps[0].bottom_s == pytest.approx(every.report.reps[0].bottom_s, abs=0.1)
    assert capped.report.fault_ids == every.report.fault_ids


@pytest.mark.slow
def test_a_high_frame_rate_clip_split_over_two_processes(
    clip: Callable[[str], Path], tmp_path: Path
) -> None:
    """At 48 fps (posed on every other frame) the second part starts on a frame the cap
    would skip: it is posed, and the report is the one-process one."""
    from hingecoach.capture import analyze_video

    fast = _doubled(clip("mtv4-bw-squat-hold.mp4"), tmp_path / "fast.mp4")
    one = analyze_video(fast)
    two = analyze_video(fast, processes=2)
    np.testing.assert_allclose(two.pose.times_s, one.pose.times_s)
    assert len(two.report.reps) == len(one.report.reps) == 3
    for r1, r2 in zip(one.report.reps, two.report.reps, strict=True):
        assert r2.bottom_s == pytest.approx(r1.bottom_s, abs=0.1)
    assert two.report.fault_ids == one.report.fault_ids
