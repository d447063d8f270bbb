"""Live coaching over a WebSocket, ``/live/ws`` (the protocol: ``docs/live-protocol.md``).

The transport only: for a socket admitted (:mod:`~hingecoach.web.live_admission`), it reads
and validates the messages (:mod:`~hingecoach.web.live_protocol`), hands them to the
connection's :class:`~hingecoach.web.live_session.LiveSession` (the logic, no I/O) and does
what that asks: send, close, run the analysis and the pose pool (:mod:`~hingecoach.web.live_hub`),
fetch the target, log and hold the set (:mod:`~hingecoach.services.live`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import logging
import time
from collections.abc import MutableMapping
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, WebSocket
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocketDisconnect

from hingecoach.capture.live_pose import ImageError
from hingecoach.errors import HingecoachError
from hingecoach.services.live import live_target, log_live_set
from hingecoach.web import live_actions as act
from hingecoach.web.live_admission import admitted
from hingecoach.web.live_hub import LiveHub
from hingecoach.web.live_protocol import MAX_ERRORS, MAX_IMAGE_SIDE_PX, parse_picture, parse_text
from hingecoach.web.live_session import LiveSession

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from hingecoach.capture.live_pose import JpegPoser

__all__ = ["MAX_ERRORS", "LiveHub", "router"]

router = APIRouter()
_log = logging.getLogger(__name__)
_Wakes = tuple[asyncio.Event, asyncio.Event]  # (work is waiting, no work is waiting)


def _wakes() -> _Wakes:
    idle = asyncio.Event()
    idle.set()
    return asyncio.Event(), idle


class LiveConnection:
    """One socket and its session: reads, hands over, does what the session asks."""

    def __init__(
        self, ws: WebSocket, hub: LiveHub, session: LiveSession, account_id: int, engine: Engine
    ) -> None:
        self.ws, self.hub, self.session = ws, hub, session
        self.account_id = account_id
        self.engine = engine
        self.connected = True
        self._send_lock = asyncio.Lock()
        self._frames = _wakes()
        self._pictures = _wakes()
        self._poser: JpegPoser | None = None
        self._tasks: list[asyncio.Task[None]] = []

    async def run(self, *, resume: bool) -> None:
        self._tasks.append(asyncio.create_task(self._analysis_loop()))
        try:
            if resume:
                held = self.hub.held.take(self.account_id, self.session.trainee)
                await self._perform(self.session.resume(held))
            await self._receive_loop()
        finally:
            await self._wrap_up()

    async def _receive_loop(self) -> None:
        while self.connected:
            try:
                async with asyncio.timeout(self.hub.idle_s):  # no task per message
                    message = await self.ws.receive()
            except TimeoutError:
                await self._perform(self.session.on_quiet())
                continue
            if message["type"] == "websocket.disconnect":
                self.connected = False
                return
            try:
                await self._perform(self._read(message))
            except Exception:  # a bug must not end a lifter's set: say so, carry on
                _log.exception("live: a message could not be handled")
                problem = "the server could not handle that message"
                await self._perform(self.session.error("server-error", problem))

    def _read(self, message: MutableMapping[str, Any]) -> list[act.Action]:
        if (text := message.get("text")) is not None:
            return self.session.on_message(parse_text(text), time.monotonic())
        if (data := message.get("bytes")) is not None:
            return self.session.on_picture(parse_picture(data), time.monotonic())
        return []

    # -- doing what the session asks ----------------------------------------------------------

    async def _perform(self, actions: list[act.Action]) -> None:
        for action in actions:
            match action:
                case act.Send(text):
                    await self._send_text(text)
                case act.Analyse():
                    self._wake(self._frames)
                case act.Pose():
                    self._wake(self._pictures)
                case act.Close(code):
                    await self._close(code)
                case act.FetchTarget():
                    await self._fetch_target(action)
                case act.LogSet():
                    await self._log(action)
                case act.EndSet():
                    await self._end_set(action)
                case act.StartPosing():
                    await self._start_posing()
                case act.Hold(held):
                    self.hub.held.hold(self.account_id, held)

    async def _send_text(self, text: str) -> None:
        if not self.connected:
            return
        try:
            async with self._send_lock:
                await self.ws.send_text(text)
        except (WebSocketDisconnect, RuntimeError, OSError):
            self.connected = False

    async def _close(self, code: int) -> None:
        if self.connected:
            self.connected = False
            with contextlib.suppress(RuntimeError, OSError, WebSocketDisconnect):
                await self.ws.close(code=code)

    @staticmethod
    def _wake(wakes: _Wakes) -> None:
        wake, idle = wakes
        idle.clear()
        wake.set()

    async def _fetch_target(self, request: act.FetchTarget) -> None:
        s = self.session
        try:
            target = await run_in_threadpool(
                live_target, self.engine, s.trainee, s.catalogue, request.exercise
            )
        except HingecoachError as exc:
            await self._perform(s.target_failed(str(exc)))
            return
        await self._perform(s.target_found(request.start, target))

    async def _log(self, request: act.LogSet) -> None:
        s = self.session
        try:
            result = await run_in_threadpool(
                log_live_set, self.engine, s.trainee, request.prescription,
                list(request.earlier_sets), request.new_set, s.catalogue, dt.date.today(),
                request.session_id,
            )  # fmt: skip
        except (HingecoachError, ValidationError) as exc:
            await self._perform(s.log_failed(str(exc)))
            return
        await self._perform(s.logged(request, result))

    async def _end_set(self, request: act.EndSet) -> None:
        await self._pictures[1].wait()  # the few pictures waiting are posed first
        self._frames[0].set()
        await self._frames[1].wait()
        loop = asyncio.get_running_loop()
        finish = request.analysis.finish
        events = await loop.run_in_executor(self.hub.analysis_pool, finish, request.reason)
        await self._perform(self.session.set_ended(events))

    async def _start_posing(self) -> None:
        self._poser = self.hub.open_poser()
        if self._poser is None:
            await self._perform(self.session.pose_refused())
            return
        self._tasks.append(asyncio.create_task(self._pose_loop()))

    # -- the analysis and the pose pool -------------------------------------------------------

    async def _analysis_loop(self) -> None:
        loop = asyncio.get_running_loop()
        wake, idle = self._frames
        while True:
            await wake.wait()
            wake.clear()
            while (analysis := self.session.hand_frames()) is not None:
                pool = self.hub.analysis_pool
                result = await loop.run_in_executor(pool, analysis.push_waiting)
                await self._perform(self.session.analysed(result))
            idle.set()

    async def _pose_loop(self) -> None:
        loop = asyncio.get_running_loop()
        wake, idle = self._pictures
        while True:
            await wake.wait()
            wake.clear()
            while self._poser is not None and (picture := self.session.take_picture()) is not None:
                t_s, jpeg = picture
                pose = functools.partial(self._poser.pose, max_side_px=MAX_IMAGE_SIDE_PX)
                try:
                    landmarks = await loop.run_in_executor(
                        self.hub.pose_pool, pose, jpeg, *self.session.size
                    )
                except ImageError as exc:
                    await self._perform(self.session.pose_failed(str(exc)))
                    continue
                await self._perform(self.session.posed(t_s, landmarks))
            idle.set()

    async def _wrap_up(self) -> None:
        """End a set going on and hold an ended set not logged yet, without awaiting: this
        may be reached by cancellation (a server shutting down, a test client leaving)."""
        self.connected = False
        try:
            for action in self.session.disconnected():
                if isinstance(action, act.Hold):
                    self.hub.held.hold(self.account_id, action.held)
        finally:
            for task in self._tasks:
                task.cancel()
            if self._poser is not None:
                poser, self._poser = self._poser, None
                self.hub.close_poser(poser)
            for task in self._tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task


# -- the endpoint -----------------------------------------------------------------------------


@router.websocket("/live/ws")
async def live_ws(websocket: WebSocket) -> None:
    app = websocket.app
    hub: LiveHub = app.state.live
    async with admitted(websocket, hub) as who:
        if who is None:
            return
        params = websocket.query_params
        session = LiveSession(
            trainee=who.trainee,
            catalogue=app.state.catalogue,
            exercise=params.get("exercise") or None,
            max_fps=hub.max_fps,
            max_pending=hub.max_pending,
            pose_available=hub.pose_available,
            stats=hub.stats,
            now=time.monotonic(),
        )
        connection = LiveConnection(websocket, hub, session, who.account_id, app.state.engine)
        await connection.run(resume=params.get("resume") in ("1", "true", "yes"))
