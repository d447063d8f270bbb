"""The camera hand-over of live mode: the newest frame wins, frames are dropped, not queued."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from hingecoach.capture.live import CameraFrame, LatestFrame, replay_file
from hingecoach.capture.tracks import load_track

TRACKS = Path(__file__).resolve().parents[2] / "fixtures" / "tracks"


def test_the_slot_keeps_only_the_newest_frame() -> None:
    slot = LatestFrame()
    for t in (0.0, 0.033, 0.067):
        slot.put(CameraFrame(t))
    taken = slot.take(timeout=0.1)
    assert taken is not None and taken.time_s == 0.067
    assert slot.dropped == 2 and slot.put_count == 3
    assert slot.take(timeout=0.01) is None  # nothing new yet
    slot.close()
    assert slot.take() is None and slot.closed


def test_a_slow_consumer_gets_the_newest_frames_at_the_clips_own_pace() -> None:
    """A track played at 4x (about 2.3 s) to a consumer that needs 50 ms a frame: about
    one frame in six is analysed, always the newest, and the clip still ends on time."""
    path = TRACKS / "kb-deadlift-clean.npz"
    seq = load_track(path)
    source = replay_file(path, speed=4.0)
    began = time.monotonic()
    source.start()
    times = []
    while True:
        frame = source.slot.take(timeout=1.0)
        if frame is None:
            break
        times.append(frame.time_s)
        assert frame.landmarks is not None and frame.landmarks.shape == (33, 4)
        time.sleep(0.05)
    source.close()
    elapsed = time.monotonic() - began
    duration = float(seq.times_s[-1] - seq.times_s[0]) / 4
    assert elapsed < duration + 1.5  # paced by the clip, not by the consumer
    assert elapsed > duration * 0.9
    assert source.slot.dropped > len(seq.times_s) // 2
    assert len(times) + source.slot.dropped == len(seq.times_s)
    assert np.all(np.diff(times) > 0)
    assert times[-1] >= float(seq.times_s[-1]) - 0.5  # it kept up with the newest
