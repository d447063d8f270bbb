"""A clip split over processes (issue 17): the calling process poses the first part, the
later parts' processes start first; a stop or an error in any part ends them all."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import numpy as np
import pytest

from hingecoach.form import FormError, ViewRefusedError

pytestmark = pytest.mark.usefixtures("video_support")


def _empty_clip(path: Path, seconds: float) -> Path:
    """A small grey clip at 30 fps with nobody in it."""
    import av

    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 64, 32, "yuv420p"
        img = np.full((32, 64, 3), 120, np.uint8)
        for _ in range(round(seconds * 30)):
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def _cpus() -> set[int]:
    return os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()


def test_nobody_in_view_at_the_start_stops_every_part(tmp_path: Path) -> None:
    """The first part (this process) refuses the clip after 2 s; the other part's process
    is stopped with it, not left posing the rest of the clip."""
    from hingecoach.capture import analyze_video
    from hingecoach.capture.pipeline import EarlyStop

    clip = _empty_clip(tmp_path / "nobody.mp4", 40.0)
    cpus = _cpus()
    with pytest.raises(ViewRefusedError) as err:
        analyze_video(clip, stop=EarlyStop(nobody_s=2.0), processes=2)
    assert err.value.code == "no-person"
    assert multiprocessing.active_children() == []
    assert _cpus() == cpus  # this process may use its CPUs again


def test_a_later_part_running_past_the_limit_refuses_the_clip(tmp_path: Path) -> None:
    """Only the second part (its own process) passes the length limit: its error is the
    clip's, with its code and message."""
    from hingecoach.capture import analyze_video
    from hingecoach.capture.pipeline import EarlyStop

    clip = _empty_clip(tmp_path / "long.mp4", 20.0)
    with pytest.raises(FormError) as err:
        analyze_video(clip, stop=EarlyStop(max_s=15.0), processes=2)
    assert err.value.code == "clip-too-long"
    assert "trim the clip to one set" in str(err.value)
    assert multiprocessing.active_children() == []


def test_progress_counts_both_parts_up_to_the_clip_length(tmp_path: Path) -> None:
    from hingecoach.capture.pipeline import extract_pose

    clip = _empty_clip(tmp_path / "still.mp4", 12.0)
    seen: list[tuple[float, float]] = []
    start = time.monotonic()
    seq = extract_pose(clip, processes=2, progress=lambda d, t: seen.append((d, t)))
    assert time.monotonic() - start < 120
    assert len(seq) == 360
    assert np.all(np.diff(seq.times_s) > 0)  # stitched in order, no frame twice
    done = [d for d, _ in seen]
    assert all(t == pytest.approx(12.0, abs=0.05) for _, t in seen)
    assert max(done) >= 11.0 and max(done) <= 12.0 + 1e-6
