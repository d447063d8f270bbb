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


def _played(path: Path) -> tuple[list[np.ndarray], float, float]:
    """(every frame decoded, RGB; nominal frame rate; duration in seconds) of a written
    video, checked to be what browsers play: H.264 in yuv420p."""
    import av

    with av.open(str(path)) as played:
        stream = played.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert stream.codec_context.pix_fmt == "yuv420p"
        frames = [f.to_ndarray(format="rgb24") for f in played.decode(stream)]
        rate = float(stream.average_rate or 0)
        assert stream.duration is not None and stream.time_base is not None
        duration = float(stream.duration * stream.time_base)
    return frames, rate, duration


def _overlay_drawn(drawn: np.ndarray, source: np.ndarray) -> bool:
    """The skeleton and counters differ from the source frame by far more than the
    encoding does."""
    return bool(np.mean(np.abs(drawn.astype(int) - source.astype(int)) > 60) > 0.001)


def test_the_annotated_video_comes_from_the_one_decoding_pass(
    clip: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The source is decoded once; a 30 fps clip's video has every frame (within the
    30 fps cap), lasts as long as the clip and plays (every frame decodes, at the
    analysis size and the clip's frame rate)."""
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
    info = video.probe(source)
    frames, rate, duration = _played(out)
    assert rate == pytest.approx(info.fps, rel=0.01) and info.fps <= 30
    assert len(frames) == decoded
    assert duration == pytest.approx(info.duration_s, abs=1 / info.fps)
    assert frames[0].shape[:2] == (result.pose.height_px, result.pose.width_px)
    first = next(iter(real(source, max_side=video.ANALYSIS_MAX_SIDE_PX))).rgb
    assert _overlay_drawn(frames[0], first)
    assert [p.name for p in result.frames] == ["rep-01-bottom.png"]


def test_a_60_fps_clip_gives_a_30_fps_video_of_the_same_length(
    clip: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 60 fps only every other frame is kept, drawn and encoded: the video has half the
    frames at 30 fps, lasts as long as the clip (it plays at the clip's speed) and each
    frame is the source frame of its time with the overlay; the cap at 0 keeps all."""
    from hingecoach.capture import analyze_video, video

    fast = _doubled(clip("jeffchen-good.mp4"), tmp_path / "sixty.mp4")
    info = video.probe(fast)
    source = [f.rgb for f in video.iter_frames(fast, max_side=video.ANALYSIS_MAX_SIDE_PX)]
    out = tmp_path / "thirty.mp4"
    result = analyze_video(fast, exercise="conventional-deadlift", out_video=out)
    assert len(result.pose) == len(source), "the analysis still sees every frame"
    frames, rate, duration = _played(out)
    assert rate == pytest.approx(30, rel=0.01)
    assert len(frames) == (len(source) + 1) // 2
    assert duration == pytest.approx(info.duration_s, abs=1 / 30)
    for k in (0, len(frames) // 2, len(frames) - 1):  # frame k shows source frame 2k
        assert _overlay_drawn(frames[k], source[2 * k])
        still = np.abs(frames[k].astype(int) - source[2 * k].astype(int)).max(axis=2) < 40
        assert still.mean() > 0.8, "the same picture under the overlay"

    monkeypatch.setenv("HINGECOACH_ANNOTATED_FPS_MAX", "0")
    every = tmp_path / "sixty-out.mp4"
    analyze_video(fast, exercise="conventional-deadlift", out_video=every)
    frames, rate, duration = _played(every)
    assert rate == pytest.approx(60, rel=0.01)
    assert len(frames) == len(source)
    assert duration == pytest.approx(info.duration_s, abs=1 / 30)


def test_the_spool_gives_back_every_frame_in_order(tmp_path: Path) -> None:
    from hingecoach.capture.spool import FrameSpool, i420_to_rgb

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
    back = [(t, i420_to_rgb(yuv)) for t, yuv in spool.frames()]
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
    # the people scan is made in the parts, on the frames one process scans
    assert one.people is not None and two.people is not None
    np.testing.assert_allclose(two.people.times_s, one.people.times_s)
    assert (two.people.counts == one.people.counts).all()
    frames, _, duration = _played(out)
    assert len(frames) == len(one.pose)  # 24 fps: every frame
    assert duration == pytest.approx(float(one.pose.times_s[-1]) + 1 / 24, abs=1 / 24)


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
    would skip: it is posed, and the report is the one-process one. The video written
    from the two parts is the one-process one's: every other frame (24 fps), evenly."""
    from hingecoach.capture import analyze_video

    fast = _doubled(clip("mtv4-bw-squat-hold.mp4"), tmp_path / "fast.mp4")
    one = analyze_video(fast, out_video=tmp_path / "one.mp4")
    two = analyze_video(fast, processes=2, out_video=tmp_path / "two.mp4")
    np.testing.assert_allclose(two.pose.times_s, one.pose.times_s)
    assert len(two.report.reps) == len(one.report.reps) == 3
    # a held bottom is timed at the centre of the hold, whose edges move by a frame or two
    # with the model's run-to-run differences under load (0.19 s seen once in CI): 0.25 s
    for r1, r2 in zip(one.report.reps, two.report.reps, strict=True):
        assert r2.bottom_s == pytest.approx(r1.bottom_s, abs=0.25)
    assert two.report.fault_ids == one.report.fault_ids

    def shown_at(path: Path) -> list[float]:
        import av

        with av.open(str(path)) as played:
            return [float(f.time or 0) for f in played.decode(video=0)]

    t1, t2 = shown_at(tmp_path / "one.mp4"), shown_at(tmp_path / "two.mp4")
    assert t2 == pytest.approx(t1, abs=1e-3)
    assert len(t1) == (len(one.pose) + 1) // 2
    assert np.diff(t1) == pytest.approx(np.full(len(t1) - 1, 1 / 24), abs=2e-3)
