"""What the live connections of one process share: the connection caps, the analysis
thread, the pose pool and the held sets (see :mod:`hingecoach.web.live_ws`)."""

from __future__ import annotations

import collections
import importlib.util
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hingecoach.services.live import HeldSets
from hingecoach.web.jobs import media_dir_for

if TYPE_CHECKING:
    from hingecoach.web.settings import WebSettings

__all__ = ["PENDING_PICTURES", "POSE_SESSIONS_PER_WORKER", "LiveHub", "LiveStats"]

#: MediaPipe graphs per pose worker thread (each connection posing JPEGs has its own).
POSE_SESSIONS_PER_WORKER = 2
#: Pictures waiting for the pose pool per connection, beyond the one being posed.
PENDING_PICTURES = 2


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


class LiveHub:
    """What the live connections of one process share: the cap, the analysis thread, the
    pose pool and the held sets."""

    def __init__(self, settings: WebSettings) -> None:
        self.max_sessions = settings.live_max_sessions
        self.max_per_user = max(1, settings.live_max_per_user)
        self.per_account: collections.Counter[int] = collections.Counter()
        self.max_fps = settings.live_max_fps
        self.max_pending = max(1, settings.live_pending_frames)
        self.pose_workers = max(1, settings.live_pose_workers)
        self.idle_s = settings.live_idle_s
        self.active = 0
        self.pose_sessions = 0
        self.held = HeldSets(directory=media_dir_for(settings) / "live-held")
        self.stats = LiveStats()
        self._analysis: ThreadPoolExecutor | None = None
        self._pose: ThreadPoolExecutor | None = None
        self._pose_ok: bool | None = None

    def try_admit(self) -> bool:
        if self.active >= self.max_sessions:
            self.stats.refused_busy += 1
            return False
        self.active += 1
        self.stats.connections += 1
        return True

    def release(self) -> None:
        self.active = max(0, self.active - 1)

    def try_admit_account(self, account_id: int) -> bool:
        """One more connection for this account, unless it holds ``max_per_user`` already."""
        if self.per_account[account_id] >= self.max_per_user:
            self.stats.refused_per_user += 1
            return False
        self.per_account[account_id] += 1
        return True

    def release_account(self, account_id: int) -> None:
        self.per_account[account_id] -= 1
        if self.per_account[account_id] <= 0:
            del self.per_account[account_id]

    @property
    def analysis_pool(self) -> ThreadPoolExecutor:
        if self._analysis is None:
            self._analysis = ThreadPoolExecutor(1, thread_name_prefix="live-analysis")
        return self._analysis

    @property
    def pose_pool(self) -> ThreadPoolExecutor:
        if self._pose is None:
            self._pose = ThreadPoolExecutor(self.pose_workers, thread_name_prefix="live-pose")
        return self._pose

    @property
    def pose_available(self) -> bool:
        """Server-side pose needs the video extra (MediaPipe and OpenCV)."""
        if self._pose_ok is None:
            self._pose_ok = all(
                importlib.util.find_spec(m) is not None for m in ("mediapipe", "cv2")
            )
        return self._pose_ok

    def close(self) -> None:
        for pool in (self._analysis, self._pose):
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
        self._analysis = self._pose = None
