"""One live connection's frames on their way to the analysis: the stream's clock (frame
times strictly increasing), the rate limit, and the small slots of frames and pictures
waiting, where the oldest is dropped (and counted) rather than anything queued without
bound. No I/O: the time is passed in."""

from __future__ import annotations

import collections
import math
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

__all__ = ["PENDING_PICTURES", "Frame", "FrameIntake", "LiveStats"]

#: Pictures waiting for the pose pool per connection, beyond the one being posed.
PENDING_PICTURES = 2

#: A frame for the analysis: stream time (s), landmarks in pixels (None: nobody), people.
Frame: TypeAlias = tuple[float, npt.NDArray[np.float64] | None, int]


@dataclass
class LiveStats:
    """Counters for tests and the benchmark (per process)."""

    connections: int = 0
    refused_busy: int = 0
    refused_per_user: int = 0
    frames_taken: int = 0
    frames_dropped: int = 0
    max_pending: int = 0
    errors: int = 0
    pictures_posed: int = 0
    pictures_with_person: int = 0


class FrameIntake:
    """The clock, the rate limit (``max_fps`` a second, a token bucket) and the slots."""

    def __init__(self, *, max_fps: float, max_pending: int, stats: LiveStats, now: float) -> None:
        self.t_s = 0.0
        """Seconds of stream time since the set's first frame (every event's ``t_s``)."""
        self.dropped = 0
        self._t0_ms: float | None = None
        self._last_t_ms: float | None = None
        self._max_fps = max_fps
        self._max_pending = max_pending
        self._stats = stats
        self._tokens = max_fps
        self._tokens_at = now
        self._told_at = -math.inf
        self._frames: collections.deque[Frame] = collections.deque()
        self._pictures: collections.deque[tuple[float, bytes]] = collections.deque()

    def restart(self) -> None:
        """A new set: its clock starts at its first frame; frames of the last are let go."""
        self._t0_ms = self._last_t_ms = None
        self.t_s = 0.0
        self._frames.clear()

    def take_time(self, t_ms: float) -> str | None:
        """Move the clock to a frame's time; what is wrong with it (None: fine)."""
        if self._last_t_ms is not None and t_ms <= self._last_t_ms:
            return (
                f"t_ms {t_ms:g} is not after the previous frame's {self._last_t_ms:g}: "
                "frame times must go forward"
            )
        self._last_t_ms = t_ms
        if self._t0_ms is None:
            self._t0_ms = t_ms
        self.t_s = (t_ms - self._t0_ms) / 1000.0
        return None

    def rate_ok(self, now: float) -> bool:
        rate = self._max_fps
        self._tokens = min(rate, self._tokens + (now - self._tokens_at) * rate)
        self._tokens_at = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False

    def drop(self, frames: int, now: float) -> bool:
        """Count dropped frames; whether to tell the client (at most once a second)."""
        self.dropped += frames
        self._stats.frames_dropped += frames
        if now - self._told_at >= 1.0:
            self._told_at = now
            return True
        return False

    def add_frame(self, frame: Frame) -> int:
        """Into the slot of frames waiting for analysis; how many were dropped for it."""
        dropped = 0
        while len(self._frames) >= self._max_pending:
            self._frames.popleft()
            dropped += 1
        self._frames.append(frame)
        self._stats.frames_taken += 1
        self._stats.max_pending = max(self._stats.max_pending, len(self._frames))
        if dropped:
            self.dropped += dropped
            self._stats.frames_dropped += dropped
        return dropped

    def take_frames(self) -> list[Frame]:
        frames = list(self._frames)
        self._frames.clear()
        return frames

    def add_picture(self, t_s: float, jpeg: bytes) -> bool:
        """Into the slot of pictures waiting for the pose pool; whether one was pushed out."""
        replaced = len(self._pictures) >= PENDING_PICTURES
        if replaced:
            self._pictures.popleft()
        self._pictures.append((t_s, jpeg))
        return replaced

    def take_picture(self) -> tuple[float, bytes] | None:
        return self._pictures.popleft() if self._pictures else None

    def drop_pictures(self) -> None:
        """The connection is over: the pictures waiting will not be posed."""
        self._stats.frames_dropped += len(self._pictures)
        self._pictures.clear()
