"""The frame spool's writer thread (issue 17): frames come back whole and in order, raw or
compressed, and a failed write is raised as one clear error with no video left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.usefixtures("video_support")


def _frames(count: int, h: int = 48, w: int = 64) -> list[np.ndarray]:
    """Smooth RGB frames, each different (a block moving over a ramp)."""
    ramp = (np.linspace(0, 255, w)[None, :, None] * np.ones((h, 1, 3))).astype(np.uint8)
    out = []
    for i in range(count):
        img = ramp.copy()
        img[8:24, (5 * i) % (w - 16) : (5 * i) % (w - 16) + 16] = (200, 40 + i, 40)
        out.append(img)
    return out


def _read_all(spool: object) -> list[tuple[float, np.ndarray]]:
    from hingecoach.capture.spool import FrameSpool

    assert isinstance(spool, FrameSpool)
    return [(t, yuv.copy()) for t, yuv in spool.frames()]  # the array is reused: copy


def test_frames_written_on_the_thread_come_back_identical_and_in_order() -> None:
    """Raw frames are the I420 conversion of what was added, byte for byte, in order,
    more frames than the thread's queue holds."""
    from hingecoach.capture.spool import SPOOL_QUEUE_FRAMES, FrameSpool, to_i420

    images = _frames(3 * SPOOL_QUEUE_FRAMES + 1)
    spool = FrameSpool(raw_bytes=1 << 30)
    try:
        for i, img in enumerate(images):
            spool.add(i / 30, img)
        back = _read_all(spool)
    finally:
        spool.close()
    assert [round(t * 30) for t, _ in back] == list(range(len(images)))
    for (_, got), img in zip(back, images, strict=True):
        assert np.array_equal(got, to_i420(img))


def test_past_the_raw_limit_frames_are_compressed_and_stay_in_order(tmp_path: Path) -> None:
    """With room for two raw frames, the rest are JPEGs of the planes: the first two come
    back exact, the others close (and the file is far smaller than raw)."""
    from hingecoach.capture.spool import FrameSpool, to_i420

    images = _frames(12, 96, 128)
    raw = to_i420(images[0]).nbytes
    path = tmp_path / "mixed.spool"
    spool = FrameSpool(path, raw_bytes=2 * raw)
    try:
        for i, img in enumerate(images):
            spool.add(i / 30, img)
        back = _read_all(spool)
        size = path.stat().st_size
    finally:
        spool.close()
    assert [round(t * 30) for t, _ in back] == list(range(12))
    want = [to_i420(img) for img in images]
    assert all(np.array_equal(back[i][1], want[i]) for i in (0, 1))
    for (_, got), w in zip(back[2:], want[2:], strict=True):
        assert not np.array_equal(got, w)
        assert np.mean(np.abs(got.astype(int) - w.astype(int))) < 3  # quality 90
    assert size < 12 * raw / 2


def test_odd_sized_frames_lose_their_last_row_and_column() -> None:
    from hingecoach.capture.spool import FrameSpool, to_i420

    img = _frames(1, 49, 65)[0]
    spool = FrameSpool()
    try:
        spool.add(0.0, img)
        ((_, got),) = _read_all(spool)
    finally:
        spool.close()
    assert got.shape == (48 * 3 // 2, 64)
    assert np.array_equal(got, to_i420(img[:48, :64].copy()))


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_failed_write_on_the_thread_is_raised_as_a_clear_error() -> None:
    """/dev/full refuses every write (ENOSPC), as a full disk does: the error reaches the
    caller as a SpoolError that says what to do, from add() or flush(), never silently."""
    from hingecoach.capture.spool import FrameSpool, SpoolError

    spool = FrameSpool(Path("/dev/full"), raw_bytes=1 << 30)
    images = _frames(40)
    with pytest.raises(SpoolError) as caught:
        for i, img in enumerate(images):
            spool.add(i / 30, img)
        spool.flush()
    spool.close()  # raises nothing
    message = str(caught.value)
    assert "free space" in message and "No space left on device" in message
    assert caught.value.code == "frame-spool-failed"
    assert isinstance(caught.value.__cause__, OSError)


def test_a_part_written_by_another_process_must_be_whole(tmp_path: Path) -> None:
    """A part's file ends with a mark written by close(): cut short (a process killed
    while writing), reading it raises instead of giving a shorter video."""
    from hingecoach.capture.spool import FrameSpool, SpoolError, read_spool

    part = tmp_path / "part-1.spool"
    writer = FrameSpool(part)
    for i, img in enumerate(_frames(3)):
        writer.add(i / 30, img)
    writer.close()
    assert len(list(read_spool(part))) == 3
    whole = part.read_bytes()
    part.write_bytes(whole[: len(whole) - 100])
    with pytest.raises(SpoolError, match="end part-way"):
        list(read_spool(part))


_CHILD = """
import resource, signal, sys
from pathlib import Path
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (4_000_000, 4_000_000))
from hingecoach.cli import main
sys.argv = ["hingecoach", "analyze", sys.argv[1], "--out", sys.argv[2]]
main()
"""


def test_the_spool_failing_mid_clip_stops_with_one_line_and_leaves_no_video(
    clip: Callable[[str], Path], tmp_path: Path
) -> None:
    """`analyze --out` with files limited to 4 MB (the raw spool passes that within a
    few frames): one line saying what to do, exit status 3, no annotated video and no
    partial one."""
    source = clip("tobefrank-kb-deadlift.mp4")
    out = tmp_path / "annotated.mp4"
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(source), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, HINGECOACH_SPOOL_RAW_MB="1000"),
    )
    assert done.returncode == 3, done.stderr
    text = done.stdout + done.stderr
    assert "could not keep the clip's frames" in text and "Traceback" not in text
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_bad_raw_limit_setting_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from hingecoach.capture.spool import SPOOL_RAW_MB_ENV, spool_raw_bytes
    from hingecoach.errors import InputError

    for bad in ("lots", "-1", "nan"):
        monkeypatch.setenv(SPOOL_RAW_MB_ENV, bad)
        with pytest.raises(InputError, match=SPOOL_RAW_MB_ENV):
            spool_raw_bytes()
    monkeypatch.setenv(SPOOL_RAW_MB_ENV, "0.5")
    assert spool_raw_bytes() == 500_000


def test_the_video_takes_its_name_only_when_whole(tmp_path: Path) -> None:
    """H264Writer writes NAME.partial.mp4 and renames it at close(); abort() leaves
    nothing."""
    from hingecoach.capture.annotate import H264Writer

    images = _frames(10, 96, 128)
    kept, dropped = tmp_path / "kept.mp4", tmp_path / "dropped.mp4"
    for path in (kept, dropped):
        writer = H264Writer(path, 30.0, 128, 96)
        for img in images:
            writer.write(img)
        assert not path.exists() and (tmp_path / f"{path.stem}.partial.mp4").exists()
        writer.close() if path == kept else writer.abort()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.mp4"]


def test_a_failure_while_drawing_leaves_no_video(
    clip: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The draw pass failing part-way (here: the fifth frame) raises that error and leaves
    neither the video nor a partial one."""
    from hingecoach.capture import analyze_video
    from hingecoach.capture.annotate import Annotator

    real = Annotator.draw_i420
    drawn: list[float] = []

    def failing(self: Annotator, yuv: np.ndarray, index: int, time_s: float) -> None:
        if len(drawn) == 4:
            raise OSError(28, "No space left on device")
        drawn.append(time_s)
        real(self, yuv, index, time_s)

    monkeypatch.setattr(Annotator, "draw_i420", failing)
    out = tmp_path / "annotated.mp4"
    with pytest.raises(OSError, match="No space"):
        analyze_video(clip("tobefrank-kb-deadlift.mp4"), out_video=out)
    assert len(drawn) == 4
    assert list(tmp_path.iterdir()) == []


def test_the_overlay_drawn_on_i420_matches_the_overlay_drawn_in_rgb(
    clip: Callable[[str], Path],
) -> None:
    """Skeleton, angles, rep counter and a cue drawn on the spool's I420 planes come out
    as drawn in RGB and converted: within a grey level or two on average, and the text
    boxes (blended from kept glyphs) too: few pixels apart by more than 24 levels."""
    from hingecoach.capture import analyze_video
    from hingecoach.capture.annotate import Annotator
    from hingecoach.capture.spool import to_i420
    from hingecoach.capture.video import ANALYSIS_MAX_SIDE_PX, iter_frames

    source = clip("mattiolato-deadlift-bad-000002.mp4")
    result = analyze_video(source)
    annotator = Annotator(result.pose, result.report)
    assert annotator.cues, "a clip with a fault, so a cue is drawn"
    start, _, _ = annotator.cues[0]
    checked = 0
    for index, frame in enumerate(iter_frames(source, max_side=ANALYSIS_MAX_SIDE_PX)):
        if index % 20 or frame.time_s < start:
            continue
        rgb = frame.rgb
        want = to_i420(annotator.draw(rgb.copy(), index, frame.time_s))
        got = to_i420(rgb)
        annotator.draw_i420(got, index, frame.time_s)
        diff = np.abs(got.astype(int) - want.astype(int))
        assert diff.mean() < 0.1  # 0.03 measured; the overlay covers about 1 %
        assert np.mean(diff > 24) < 0.001, "the same strokes in the same places"
        assert not np.array_equal(got, to_i420(rgb)), "something was drawn"
        checked += 1
    assert checked >= 3
