"""Live coaching over a WebSocket, ``/live/ws`` (the protocol: ``docs/live-protocol.md``).

The messages and their limits are in :mod:`hingecoach.web.live_protocol`, what the
connections of a process share in :mod:`hingecoach.web.live_hub`, server-side pose in
:mod:`hingecoach.capture.live_pose`; this module is the connection and its endpoint.

The browser runs pose estimation and sends landmarks; this endpoint runs the streaming form
analysis (:class:`~hingecoach.form.stream.StreamingAnalyser`) and the coach for the
connection and sends the events back.

How one connection never stalls the others, and memory stays bounded:

- The receive loop validates each message (pydantic; 16 kB at most) and puts a frame in a
  small per-connection slot of frames waiting for analysis (``live_pending_frames``). When
  the slot is full the oldest waiting frame is dropped (counted, and reported with a
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

A connection that drops mid-set ends the set with reason ``disconnect``; the ended set (what
was counted) is held for ten minutes (:class:`~hingecoach.services.live.HeldSets`, in small
files under the media directory, so a reconnect served by another process finds it), and
a reconnect with ``?resume=1`` gets its ``end`` event again and can ``log`` it.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime as dt
import functools
import json
import logging
import math
import struct
import threading
import time
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

import numpy as np
from fastapi import APIRouter, WebSocket
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocketDisconnect

from hingecoach.capture.live_pose import ImageError, JpegPoser
from hingecoach.errors import HingecoachError
from hingecoach.services import accounts
from hingecoach.services.live import HeldSet, LiveTarget, live_target, log_live_set
from hingecoach.services.live import set_from_end as _set_from_end
from hingecoach.web.deps import session_account
from hingecoach.web.live_hub import PENDING_PICTURES, POSE_SESSIONS_PER_WORKER, LiveHub
from hingecoach.web.live_protocol import (
    BUSY_RETRY_S,
    CLOSE_NORMAL,
    CLOSE_POLICY,
    CLOSE_TRY_LATER,
    MAX_ERRORS,
    MAX_IMAGE_SIDE_PX,
    MAX_JPEG_BYTES,
    MAX_TEXT_BYTES,
    MESSAGE,
    EndMessage,
    FrameMessage,
    LogMessage,
    StartMessage,
    explain_invalid,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from hingecoach.coach import SetLog
    from hingecoach.form.stream import StreamingAnalyser
    from hingecoach.knowledge import Catalogue

__all__ = [
    "CLOSE_POLICY",
    "CLOSE_TRY_LATER",
    "MAX_ERRORS",
    "MAX_JPEG_BYTES",
    "MAX_TEXT_BYTES",
    "LiveHub",
    "router",
]

router = APIRouter()
_log = logging.getLogger(__name__)

# -- work done in the analysis and pose threads -------------------------------------------


def _push_all(
    analyser: StreamingAnalyser, lock: threading.Lock, frames: list[tuple[float, Any, int]]
) -> tuple[list[str], list[str]]:
    """Push frames; the events as JSON text, and the errors (a frame out of order)."""
    out: list[str] = []
    errors: list[str] = []
    with lock:
        for t_s, landmarks, people in frames:
            if analyser.ended:
                break
            try:
                events = analyser.push(t_s, landmarks, people=people)
            except ValueError as exc:
                errors.append(str(exc))
                continue
            out.extend(e.model_dump_json() for e in events)
    return out, errors


def _finish(
    analyser: StreamingAnalyser,
    lock: threading.Lock,
    reason: Literal["client", "disconnect", "idle"],
) -> list[str]:
    with lock:
        return [e.model_dump_json() for e in analyser.finish(reason=reason)]


# -- one connection ---------------------------------------------------------------------------


class _Closed(Exception):
    """The socket is gone (or we closed it): stop the loop."""


class LiveConnection:
    def __init__(
        self,
        ws: WebSocket,
        hub: LiveHub,
        *,
        account_id: int,
        trainee: str,
        engine: Engine,
        catalogue: Catalogue,
        exercise: str | None,
    ) -> None:
        self.ws = ws
        self.hub = hub
        self.account_id = account_id
        self.trainee = trainee
        self.engine = engine
        self.catalogue = catalogue
        self.exercise = exercise
        self.target: LiveTarget | None = None
        self.analyser: StreamingAnalyser | None = None
        self.ended: dict[str, Any] | None = None  # the last ended set, not logged yet
        self.earlier_sets: list[SetLog] = []
        self.session_id: int | None = None
        self.size = (0, 0)
        self.t0_ms: float | None = None
        self.last_t_ms: float | None = None
        self.t_s = 0.0
        self.errors = 0
        self.dropped = 0
        self._dropped_told_at = -math.inf
        self._tokens = hub.max_fps
        self._tokens_at = time.monotonic()
        self._pending: collections.deque[tuple[float, Any, int]] = collections.deque()
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._send_lock = asyncio.Lock()
        # the analyser is used in the analysis thread, and on a disconnect in the loop's
        self._lock = threading.Lock()
        self.connected = True
        # server-side pose
        self._expect_image = False
        # pictures waiting for the pose pool: the newest few (a frame's jitter is absorbed,
        # a pose model slower than the camera drops the oldest)
        self._images: collections.deque[tuple[float, bytes]] = collections.deque()
        self._image_wake = asyncio.Event()
        self._image_idle = asyncio.Event()
        self._image_idle.set()
        self._poser: JpegPoser | None = None
        self._tasks: list[asyncio.Task[None]] = []

    # -- sending ------------------------------------------------------------------------------

    async def _send_text(self, text: str) -> None:
        if not self.connected:
            return
        try:
            async with self._send_lock:
                await self.ws.send_text(text)
        except (WebSocketDisconnect, RuntimeError, OSError):
            self.connected = False

    async def send(self, event_type: str, **fields: Any) -> None:
        event = {"type": event_type, "t_s": round(self.t_s, 3), **fields}
        await self._send_text(json.dumps(event, separators=(",", ":")))

    async def error(self, code: str, message: str) -> None:
        self.errors += 1
        self.hub.stats.errors += 1
        await self.send("error", code=code, message=message)
        if self.errors >= MAX_ERRORS:
            await self.send(
                "error",
                code="too-many-errors",
                message=f"{MAX_ERRORS} bad messages: closing the connection",
            )
            await self._close(CLOSE_POLICY)
            raise _Closed

    async def _close(self, code: int) -> None:
        if self.connected:
            self.connected = False
            with contextlib.suppress(RuntimeError, OSError, WebSocketDisconnect):
                await self.ws.close(code=code)

    # -- the loops ----------------------------------------------------------------------------

    async def run(self, *, resume: bool) -> None:
        self._tasks.append(asyncio.create_task(self._analysis_loop()))
        try:
            if resume:
                await self._resume()
            await self._receive_loop()
        except _Closed:
            pass
        finally:
            await self._wrap_up()

    async def _receive_loop(self) -> None:
        idle_once = False
        while self.connected:
            try:
                async with asyncio.timeout(self.hub.idle_s):  # no task per message
                    message = await self.ws.receive()
            except TimeoutError:
                if self.analyser is not None:
                    await self._end_set("idle")
                elif idle_once or self.ended is None:
                    await self._close(CLOSE_NORMAL)
                    return
                idle_once = True
                continue
            idle_once = False
            if message["type"] == "websocket.disconnect":
                self.connected = False
                return
            try:
                text = message.get("text")
                if text is not None:
                    await self._on_text(text)
                elif message.get("bytes") is not None:
                    await self._on_bytes(message["bytes"])
            except (_Closed, asyncio.CancelledError):
                raise
            except Exception:  # a bug must not end a lifter's set: say so, carry on
                _log.exception("live: a message could not be handled")
                await self.error("server-error", "the server could not handle that message")

    async def _analysis_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending and self.analyser is not None:
                batch = list(self._pending)
                self._pending.clear()
                events, errors = await loop.run_in_executor(
                    self.hub.analysis_pool, _push_all, self.analyser, self._lock, batch
                )
                for text in events:
                    await self._send_text(text)
                for problem in errors:
                    with contextlib.suppress(_Closed):
                        await self.error("bad-frame", problem)
            self._pending.clear()  # frames after the set ended are not analysed
            self._idle.set()

    async def _pose_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._image_wake.wait()
            self._image_wake.clear()
            while self._images and self._poser is not None:
                t_s, jpeg = self._images.popleft()
                width, height = self.size
                try:
                    pose = functools.partial(self._poser.pose, max_side_px=MAX_IMAGE_SIDE_PX)
                    landmarks = await loop.run_in_executor(
                        self.hub.pose_pool, pose, jpeg, width, height
                    )
                except ImageError as exc:
                    with contextlib.suppress(_Closed):
                        await self.error("bad-image", str(exc))
                    continue
                self.hub.stats.pictures_posed += 1
                self.hub.stats.pictures_with_person += landmarks is not None
                self._enqueue(t_s, landmarks, 1 if landmarks is not None else 0)
            self._image_idle.set()

    # -- messages -----------------------------------------------------------------------------

    async def _on_text(self, text: str) -> None:
        if len(text) > MAX_TEXT_BYTES or len(text.encode("utf-8")) > MAX_TEXT_BYTES:
            await self.error("too-large", f"a text message is at most {MAX_TEXT_BYTES // 1024} kB")
            return
        try:
            msg = MESSAGE.validate_json(text)
        except ValidationError as exc:
            code, message = explain_invalid(exc)
            await self.error(code, message)
            return
        if self._expect_image:
            self._expect_image = False
            await self.error("expected-image", "an image message is followed by a binary frame")
        if isinstance(msg, FrameMessage):
            await self._on_frame(msg)
        elif isinstance(msg, StartMessage):
            await self._on_start(msg)
        elif isinstance(msg, EndMessage):
            if self.analyser is None:
                await self.error("not-started", "no set is going on: send start first")
            else:
                await self._end_set("client")
        elif isinstance(msg, LogMessage):
            await self._on_log(msg)
        else:
            await self._on_image()

    def _take_time(self, t_ms: float) -> str | None:
        """Check the frame time (strictly increasing); None when fine."""
        if self.last_t_ms is not None and t_ms <= self.last_t_ms:
            return (
                f"t_ms {t_ms:g} is not after the previous frame's {self.last_t_ms:g}: "
                "frame times must go forward"
            )
        self.last_t_ms = t_ms
        if self.t0_ms is None:
            self.t0_ms = t_ms
        self.t_s = (t_ms - self.t0_ms) / 1000.0
        return None

    def _rate_ok(self) -> bool:
        now = time.monotonic()
        rate = self.hub.max_fps
        self._tokens = min(rate, self._tokens + (now - self._tokens_at) * rate)
        self._tokens_at = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False

    async def _drop(self, frames: int = 1) -> None:
        self.dropped += frames
        self.hub.stats.frames_dropped += frames
        now = time.monotonic()
        if now - self._dropped_told_at >= 1.0:
            self._dropped_told_at = now
            await self.send("dropped", frames=self.dropped)

    def _enqueue(self, t_s: float, landmarks: Any, people: int) -> int:
        """Into the slot of frames waiting for analysis; returns how many were dropped."""
        dropped = 0
        while len(self._pending) >= self.hub.max_pending:
            self._pending.popleft()
            dropped += 1
        self._pending.append((t_s, landmarks, people))
        self.hub.stats.frames_taken += 1
        self.hub.stats.max_pending = max(self.hub.stats.max_pending, len(self._pending))
        self._idle.clear()
        self._wake.set()
        if dropped:
            self.dropped += dropped
            self.hub.stats.frames_dropped += dropped
        return dropped

    async def _on_frame(self, msg: FrameMessage) -> None:
        if self.analyser is None:
            await self.error("not-started", "send start before frames (and after a set ends)")
            return
        problem = self._take_time(msg.t_ms)
        if problem is not None:
            await self.error("time-backwards", problem)
            return
        if not self._rate_ok():
            await self._drop()
            return
        landmarks = None
        if msg.lm is not None:
            width, height = self.size
            landmarks = np.array(msg.lm, dtype=np.float64)
            landmarks *= (width, height, width, 1.0)
        if self._enqueue(self.t_s, landmarks, msg.people if msg.lm is not None else 0):
            await self._drop(0)

    async def _on_start(self, msg: StartMessage) -> None:
        from hingecoach.form import TempoTarget
        from hingecoach.form.stream import StreamingAnalyser

        if self.analyser is not None:
            await self.error("set-in-progress", "a set is going on: send end first")
            return
        try:
            target = await run_in_threadpool(
                live_target,
                self.engine,
                self.trainee,
                self.catalogue,
                msg.exercise or self.exercise,
            )
        except HingecoachError as exc:
            await self.error("no-target", str(exc))
            return
        tempo = target.prescription.tempo
        self.target = target
        self.size = (msg.width, msg.height)
        self.analyser = StreamingAnalyser(
            width_px=msg.width,
            height_px=msg.height,
            exercise=target.exercise_id,
            tempo=TempoTarget(down_s=tempo.down_s, up_s=tempo.up_s),
            catalogue=self.catalogue,
            source="live",
        )
        self.ended = None  # a new set: an ended set not logged is let go
        self.t0_ms = self.last_t_ms = None
        self.t_s = 0.0
        self._pending.clear()
        await self.send("ready", **target.ready())

    async def _on_image(self) -> None:
        if not self.hub.pose_available:
            await self.error(
                "server-pose-unavailable",
                "this server cannot find the pose in pictures: run the model in the browser",
            )
            return
        if self.analyser is None:
            await self.error("not-started", "send start before frames (and after a set ends)")
            return
        if self._poser is None:
            if self.hub.pose_sessions >= self.hub.pose_workers * POSE_SESSIONS_PER_WORKER:
                await self.error(
                    "server-pose-busy",
                    "the server is posing pictures for others: try again later",
                )
                return
            self.hub.pose_sessions += 1
            self._poser = JpegPoser()
            self._tasks.append(asyncio.create_task(self._pose_loop()))
        self._expect_image = True

    async def _on_bytes(self, data: bytes) -> None:
        if not self._expect_image:
            await self.error("unexpected-binary", "send an image message before each picture")
            return
        self._expect_image = False
        if len(data) < 8 + 4 or len(data) > 8 + MAX_JPEG_BYTES:
            await self.error(
                "bad-image", f"a picture is t_ms (8 bytes) and a JPEG of at most "
                f"{MAX_JPEG_BYTES // 1024} kB"
            )  # fmt: skip
            return
        (t_ms,) = struct.unpack("<d", data[:8])
        if not math.isfinite(t_ms) or not 0 <= t_ms <= 1e12:
            await self.error("bad-image", "t_ms must be a finite number of milliseconds")
            return
        if data[8:10] != b"\xff\xd8":
            await self.error("bad-image", "the picture is not a JPEG")
            return
        problem = self._take_time(t_ms)
        if problem is not None:
            await self.error("time-backwards", problem)
            return
        if not self._rate_ok():
            await self._drop()
            return
        replaced = len(self._images) >= PENDING_PICTURES
        if replaced:
            self._images.popleft()
        self._images.append((self.t_s, data[8:]))
        self._image_idle.clear()
        self._image_wake.set()
        if replaced:
            await self._drop()

    async def _end_set(self, reason: Literal["client", "disconnect", "idle"]) -> None:
        analyser = self.analyser
        if analyser is None:
            return
        await self._image_idle.wait()  # the few pictures waiting are posed first
        self._wake.set()
        await self._idle.wait()
        loop = asyncio.get_running_loop()
        texts = await loop.run_in_executor(
            self.hub.analysis_pool, _finish, analyser, self._lock, reason
        )
        self.analyser = None
        for text in texts:
            event = json.loads(text)
            if event.get("type") == "end":
                self.ended = event
            await self._send_text(text)

    async def _on_log(self, msg: LogMessage) -> None:
        if self.ended is None or self.target is None:
            await self.error(
                "nothing-to-log", "no ended set to log: a set is logged once, after its end"
            )
            return
        try:
            new_set = _set_from_end(self.ended, load_kg=msg.load_kg, rpe=msg.rpe, pain=msg.pain)
            result = await run_in_threadpool(
                log_live_set,
                self.engine,
                self.trainee,
                self.target.prescription,
                list(self.earlier_sets),
                new_set,
                self.catalogue,
                dt.date.today(),
                self.session_id,
            )
        except (HingecoachError, ValidationError) as exc:
            await self.error("cannot-log", str(exc))
            return
        self.earlier_sets.append(new_set)
        self.session_id = result.session_id
        self.ended = None
        await self.send("logged", **result.logged())

    async def _resume(self) -> None:
        held = self.hub.held.take(self.account_id, self.trainee)
        if held is None:
            await self.send(
                "error",
                code="nothing-to-resume",
                message="no ended set is waiting to be logged: start a new set",
            )
            return
        self.target = held.target
        self.ended = held.end
        self.earlier_sets = list(held.earlier_sets)
        self.session_id = held.session_id
        self.t_s = float(held.end.get("t_s") or 0.0)
        await self._send_text(json.dumps(held.end, separators=(",", ":")))

    def _hold(self) -> None:
        """The connection is over: end a set going on (what was counted is kept) and hold an
        ended set not logged yet for a reconnect.

        Synchronous on purpose: it runs in a ``finally`` that may be reached by
        cancellation (a server shutting down, a test client leaving), where awaiting is not
        possible. It waits at most for the one analysis job in flight, then analyses the few
        frames still waiting and the set's end (milliseconds).
        """
        analyser, self.analyser = self.analyser, None
        self.connected = False
        self.hub.stats.frames_dropped += len(self._images)  # no time to pose them now
        self._images.clear()
        if analyser is not None:
            frames = list(self._pending)
            self._pending.clear()
            _push_all(analyser, self._lock, frames)
            for text in _finish(analyser, self._lock, "disconnect"):
                event = json.loads(text)
                if event.get("type") == "end":
                    self.ended = event
        if self.ended is not None and self.target is not None:
            self.hub.held.hold(
                self.account_id,
                HeldSet(
                    trainee=self.trainee,
                    target=self.target,
                    end=self.ended,
                    earlier_sets=list(self.earlier_sets),
                    session_id=self.session_id,
                ),
            )
            self.ended = None

    async def _wrap_up(self) -> None:
        try:
            self._hold()
        finally:
            for task in self._tasks:
                task.cancel()
            if self._poser is not None:
                self.hub.pose_sessions -= 1
                poser, self._poser = self._poser, None
                with contextlib.suppress(RuntimeError):
                    self.hub.pose_pool.submit(poser.close)
            for task in self._tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task


# -- the endpoint -----------------------------------------------------------------------------


def _same_origin(ws: WebSocket) -> bool:
    """A browser always sends Origin on a WebSocket: it must be this site (no cross-site
    sockets riding on the session cookie). Scripts that send none are judged by the cookie."""
    origin = ws.headers.get("origin")
    if origin is None:
        return True
    host = (ws.headers.get("host") or "").lower()
    secure = ws.url.scheme == "wss" or ws.app.state.settings.cookie_secure
    parts = urlsplit(origin)
    scheme_ok = parts.scheme == ("https" if secure else "http")
    return bool(host) and scheme_ok and parts.netloc.lower() == host


def _trainee_for(engine: Engine, account: accounts.Account, asked: str | None) -> str:
    if account.role == "trainee":
        if account.trainee_name is None or (asked is not None and asked != account.trainee_name):
            raise PermissionError("you can coach your own sets only")
        return account.trainee_name
    if not asked:
        raise PermissionError("name your client: /live/ws?trainee=NAME")
    return accounts.require_trainee(engine, account, asked)


@router.websocket("/live/ws")
async def live_ws(websocket: WebSocket) -> None:
    app = websocket.app
    hub: LiveHub = app.state.live
    if not _same_origin(websocket):
        await websocket.close(code=CLOSE_POLICY)  # before accepting: the handshake is refused
        return
    await websocket.accept()
    if not hub.try_admit():
        await websocket.send_text(
            json.dumps(
                {
                    "type": "busy",
                    "t_s": 0.0,
                    "retry_after_s": BUSY_RETRY_S,
                    "message": "The coach is with as many lifters as it can take right now. "
                    f"Try again in {BUSY_RETRY_S} seconds.",
                }
            )
        )
        await websocket.close(code=CLOSE_TRY_LATER)
        return
    try:
        engine: Engine = app.state.engine
        params = websocket.query_params
        account = await run_in_threadpool(session_account, app, websocket.session)
        if account is None:
            await _refuse(websocket, "login-required", "sign in first, then open the live page")
            return
        try:
            trainee = await run_in_threadpool(_trainee_for, engine, account, params.get("trainee"))
        except (PermissionError, HingecoachError) as exc:
            await _refuse(websocket, "forbidden", str(exc))
            return
        if not hub.try_admit_account(account.id):
            await _refuse(websocket, "too-many-live", _too_many_message(hub.max_per_user))
            return
        try:
            connection = LiveConnection(
                websocket,
                hub,
                account_id=account.id,
                trainee=trainee,
                engine=engine,
                catalogue=app.state.catalogue,
                exercise=params.get("exercise") or None,
            )
            await connection.run(resume=params.get("resume") in ("1", "true", "yes"))
        finally:
            hub.release_account(account.id)
    finally:
        hub.release()


def _too_many_message(limit: int) -> str:
    sessions = "session" if limit == 1 else "sessions"
    return (
        f"You already have {limit} live coaching {sessions} open (in other tabs or windows). "
        "Close the other live tab, then press Start here again."
    )


async def _refuse(websocket: WebSocket, code: str, message: str) -> None:
    with contextlib.suppress(RuntimeError, OSError, WebSocketDisconnect):
        await websocket.send_text(
            json.dumps({"type": "error", "t_s": 0.0, "code": code, "message": message})
        )
        await websocket.close(code=CLOSE_POLICY)
