"""What the live connections of one process share: the connection caps, the analysis
thread, the pose pool and the held sets (see :mod:`hingecoach.web.live_ws`).

How one connection never stalls the others, and memory stays bounded:

- Each message is validated (pydantic; 16 kB at most) and a frame put in a small
  per-connection slot of frames waiting for analysis (``live_pending_frames``). When the
  slot is full the oldest waiting frame is dropped (counted, and reported with a
  ``dropped`` event at most once a second): the newest frames are analysed, never an
  unbounded queue. Frames beyond ``live_max_fps`` a second are dropped the same way.
- The analysis runs off the event loop, in one analysis thread per process, with at most one
  job per connection in flight: connections take turns, so a connection whose rep just
  ended (a full re-analysis, a few milliseconds) delays the others by that much at most.
- ``live_max_sessions`` connections at once per process; the next one gets ``busy`` and
  close code 1013 (try again later). One account holds at most ``live_max_per_user`` of
  them (per process too), so one person's idle tabs never take everyone's slots: the next
  one gets the ``error`` ``too-many-live`` (close the other live tab) and close code 1008.
- Server-side pose (JPEG frames, for browsers that cannot run the model) runs in a small
  pool (``live_pose_workers`` threads, one MediaPipe graph per connection); a frame that
  arrives while two are already waiting for the pool pushes out the older one, so frames
  beyond what the pool can do are dropped, never queued without bound.
"""

from __future__ import annotations

import collections
import contextlib
import importlib.util
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from hingecoach.capture.live_pose import JpegPoser
from hingecoach.services.live import HeldSets
from hingecoach.web.jobs import media_dir_for
from hingecoach.web.live_intake import LiveStats

if TYPE_CHECKING:
    from hingecoach.web.settings import WebSettings

__all__ = ["POSE_SESSIONS_PER_WORKER", "LiveHub", "LiveStats"]

#: MediaPipe graphs per pose worker thread (each connection posing JPEGs has its own).
POSE_SESSIONS_PER_WORKER = 2


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

    def open_poser(self) -> JpegPoser | None:
        """A pose graph for one more connection (None: the pool has no room)."""
        if self.pose_sessions >= self.pose_workers * POSE_SESSIONS_PER_WORKER:
            return None
        self.pose_sessions += 1
        return JpegPoser()

    def close_poser(self, poser: JpegPoser) -> None:
        """A connection's graph let go, in the pool (where it was used)."""
        self.pose_sessions -= 1
        with contextlib.suppress(RuntimeError):  # the pool is shut down
            self.pose_pool.submit(poser.close)

    def close(self) -> None:
        for pool in (self._analysis, self._pose):
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
        self._analysis = self._pose = None
