"""One live coaching connection's logic as a state machine with no I/O
(``docs/live-protocol.md``).

:class:`LiveSession` is told what happened (a message, already validated by
:mod:`~hingecoach.web.live_protocol`; a quiet spell; an analysis, a pose or a log that
finished; the socket gone) with the current time, and answers with the actions to do
(:mod:`~hingecoach.web.live_actions`): send an event, close with a code, wake the analysis
or the pose pool, fetch today's target, log the set, hold it for a reconnect. The
transport (:mod:`hingecoach.web.live_ws`) does them and reports back. The session counts
bad messages (the ``MAX_ERRORS``-th closes with 1008), passes frames through its
:class:`~hingecoach.web.live_intake.FrameIntake` (order, rate, bounded slots) to the set's
:class:`~hingecoach.web.live_analysis.SetAnalysis`, and keeps the ended set until it is
logged or held.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import ValidationError

from hingecoach.errors import HingecoachError
from hingecoach.services.live import HeldSet, LiveTarget, LoggedSet, set_from_end
from hingecoach.web.live_actions import (
    ANALYSE,
    POSE,
    START_POSING,
    Action,
    Close,
    EndSet,
    FetchTarget,
    Hold,
    LogSet,
    Send,
)
from hingecoach.web.live_analysis import Analysed, SetAnalysis, end_event
from hingecoach.web.live_intake import FrameIntake, LiveStats
from hingecoach.web.live_protocol import (
    CLOSE_NORMAL,
    CLOSE_POLICY,
    MAX_ERRORS,
    BadMessage,
    ClientMessage,
    EndMessage,
    FrameMessage,
    LogMessage,
    Picture,
    StartMessage,
    event_text,
)

if TYPE_CHECKING:
    from hingecoach.coach import SetLog
    from hingecoach.knowledge import Catalogue

__all__ = ["LiveSession"]

_NOT_STARTED = "send start before frames (and after a set ends)"


class LiveSession:
    """A connection's sets: started, fed, ended, logged, held; its errors counted."""

    def __init__(
        self,
        *,
        trainee: str,
        catalogue: Catalogue,
        exercise: str | None,
        max_fps: float,
        max_pending: int,
        pose_available: bool,
        stats: LiveStats,
        now: float,
    ) -> None:
        self.trainee = trainee
        self.catalogue = catalogue
        self.exercise = exercise
        self.pose_available = pose_available
        self.stats = stats
        self.intake = FrameIntake(max_fps=max_fps, max_pending=max_pending, stats=stats, now=now)
        self.target: LiveTarget | None = None
        self.analysis: SetAnalysis | None = None  # the set going on
        self.size = (0, 0)
        self.ended: dict[str, Any] | None = None  # the last ended set, not logged yet
        self.earlier_sets: list[SetLog] = []
        self.session_id: int | None = None
        self.errors = 0
        self.closed = False
        self.posing = False
        self._expect_image = False
        self._quiet_once = False

    # -- what the client sent --------------------------------------------------------------

    def on_message(self, msg: ClientMessage | BadMessage, now: float) -> list[Action]:
        """A text message (validated: a message, or why it was refused)."""
        self._quiet_once = False
        if isinstance(msg, BadMessage):
            return self.error(msg.code, msg.message)
        if self._expect_image:
            self._expect_image = False
            said = self.error("expected-image", "an image message is followed by a binary frame")
            return said if self.closed else said + self._handle(msg, now)
        return self._handle(msg, now)

    def _handle(self, msg: ClientMessage, now: float) -> list[Action]:
        if isinstance(msg, FrameMessage):
            return self._frame(msg, now)
        if isinstance(msg, StartMessage):
            return self._start(msg)
        if isinstance(msg, EndMessage):
            return self._end()
        if isinstance(msg, LogMessage):
            return self._log(msg)
        return self._image()

    def on_picture(self, picture: Picture | BadMessage, now: float) -> list[Action]:
        """A binary frame (server-side pose), after its ``image`` message."""
        self._quiet_once = False
        if not self._expect_image:
            return self.error("unexpected-binary", "send an image message before each picture")
        self._expect_image = False
        if isinstance(picture, BadMessage):
            return self.error(picture.code, picture.message)
        problem = self.intake.take_time(picture.t_ms)
        if problem is not None:
            return self.error("time-backwards", problem)
        if not self.intake.rate_ok(now):
            return self._dropped(1, now)
        replaced = self.intake.add_picture(self.intake.t_s, picture.jpeg)
        return [POSE, *self._dropped(1, now)] if replaced else [POSE]

    def on_quiet(self) -> list[Action]:
        """Nothing came for the idle time: end a set going on, then close a silent socket
        (after a second quiet spell when a set waits to be logged)."""
        if self.analysis is not None:
            out: list[Action] = [EndSet(self.analysis, "idle")]
        elif self._quiet_once or self.ended is None:
            self.closed = True
            return [Close(CLOSE_NORMAL)]
        else:
            out = []
        self._quiet_once = True
        return out

    def error(self, code: str, message: str) -> list[Action]:
        """An ``error`` event; the ``MAX_ERRORS``-th closes the connection with 1008."""
        if self.closed:
            return []
        self.errors += 1
        self.stats.errors += 1
        out: list[Action] = [self._event("error", code=code, message=message)]
        if self.errors >= MAX_ERRORS:
            message = f"{MAX_ERRORS} bad messages: closing the connection"
            out += [self._event("error", code="too-many-errors", message=message)]
            out.append(Close(CLOSE_POLICY))
            self.closed = True
        return out

    def _frame(self, msg: FrameMessage, now: float) -> list[Action]:
        if self.analysis is None:
            return self.error("not-started", _NOT_STARTED)
        problem = self.intake.take_time(msg.t_ms)
        if problem is not None:
            return self.error("time-backwards", problem)
        if not self.intake.rate_ok(now):
            return self._dropped(1, now)
        landmarks = None
        if msg.lm is not None:
            width, height = self.size
            landmarks = np.array(msg.lm, dtype=np.float64)
            landmarks *= (width, height, width, 1.0)
        people = msg.people if msg.lm is not None else 0
        if self.intake.add_frame((self.intake.t_s, landmarks, people)):
            return [ANALYSE, *self._dropped(0, now)]
        return [ANALYSE]

    def _dropped(self, frames: int, now: float) -> list[Action]:
        if self.intake.drop(frames, now):
            return [self._event("dropped", frames=self.intake.dropped)]
        return []

    def _start(self, msg: StartMessage) -> list[Action]:
        if self.analysis is not None:
            return self.error("set-in-progress", "a set is going on: send end first")
        return [FetchTarget(msg.exercise or self.exercise, msg)]

    def _end(self) -> list[Action]:
        if self.analysis is None:
            return self.error("not-started", "no set is going on: send start first")
        return [EndSet(self.analysis, "client")]

    def _log(self, msg: LogMessage) -> list[Action]:
        if self.ended is None or self.target is None:
            return self.error(
                "nothing-to-log", "no ended set to log: a set is logged once, after its end"
            )
        try:
            new_set = set_from_end(self.ended, load_kg=msg.load_kg, rpe=msg.rpe, pain=msg.pain)
        except (HingecoachError, ValidationError) as exc:
            return self.log_failed(str(exc))
        rx = self.target.prescription
        return [LogSet(rx, tuple(self.earlier_sets), new_set, self.session_id)]

    def _image(self) -> list[Action]:
        if not self.pose_available:
            return self.error(
                "server-pose-unavailable",
                "this server cannot find the pose in pictures: run the model in the browser",
            )
        if self.analysis is None:
            return self.error("not-started", _NOT_STARTED)
        self._expect_image = True
        if self.posing:
            return []
        self.posing = True
        return [START_POSING]

    # -- what the transport did ------------------------------------------------------------

    def target_found(self, start: StartMessage, target: LiveTarget) -> list[Action]:
        """Today's target for the set ``start`` asked for: the set begins."""
        self.target = target
        self.size = (start.width, start.height)
        self.analysis = SetAnalysis(start.width, start.height, target, self.catalogue)
        self.ended = None  # a new set: an ended set not logged is let go
        self.intake.restart()
        return [self._event("ready", **target.ready())]

    def target_failed(self, message: str) -> list[Action]:
        return self.error("no-target", message)

    def pose_refused(self) -> list[Action]:
        """The pose pool has no room for another connection's graph."""
        self.posing = self._expect_image = False
        return self.error(
            "server-pose-busy", "the server is posing pictures for others: try again later"
        )

    def posed(self, t_s: float, landmarks: Any) -> list[Action]:
        """A picture posed (``landmarks`` None: nobody in it): a frame for the analysis."""
        self.stats.pictures_posed += 1
        self.stats.pictures_with_person += landmarks is not None
        self.intake.add_frame((t_s, landmarks, 1 if landmarks is not None else 0))
        return [ANALYSE]

    def pose_failed(self, message: str) -> list[Action]:
        return self.error("bad-image", message)

    def take_picture(self) -> tuple[float, bytes] | None:
        """The oldest picture waiting for the pose pool (None: none)."""
        return self.intake.take_picture()

    def hand_frames(self) -> SetAnalysis | None:
        """Hand the frames waiting to the set's analysis, in order, and return it for the
        analysis thread to run (None: nothing to do)."""
        frames = self.intake.take_frames()
        if self.analysis is None or not frames:
            return None
        self.analysis.add(frames)
        return self.analysis

    def analysed(self, result: Analysed) -> list[Action]:
        out: list[Action] = [Send(text) for text in result.events]
        for problem in result.problems:
            out += self.error("bad-frame", problem)
        return out

    def set_ended(self, events: list[str]) -> list[Action]:
        """The set is over; its ``end`` event is kept until the set is logged."""
        self.analysis = None
        self.ended = end_event(events)
        return [Send(text) for text in events]

    def logged(self, request: LogSet, result: LoggedSet) -> list[Action]:
        self.earlier_sets.append(request.new_set)
        self.session_id = result.session_id
        self.ended = None
        return [self._event("logged", **result.logged())]

    def log_failed(self, message: str) -> list[Action]:
        return self.error("cannot-log", message)

    def resume(self, held: HeldSet | None) -> list[Action]:
        """A reconnect (``?resume=1``) with the set held for this person, if any."""
        if held is None:
            message = "no ended set is waiting to be logged: start a new set"
            return [self._event("error", code="nothing-to-resume", message=message)]
        self.target = held.target
        self.ended = held.end
        self.earlier_sets = list(held.earlier_sets)
        self.session_id = held.session_id
        self.intake.t_s = float(held.end.get("t_s") or 0.0)
        return [Send(json.dumps(held.end, separators=(",", ":")))]

    def disconnected(self) -> list[Action]:
        """The socket is gone: a set going on ends (what was counted is kept; the frames
        waiting are analysed, the pictures not), and an ended set not logged is held."""
        analysis, self.analysis = self.analysis, None
        self.closed = True
        self.intake.drop_pictures()
        if analysis is not None:
            analysis.add(self.intake.take_frames())  # after any batch handed over earlier
            self.ended = end_event(analysis.finish("disconnect"))
        if self.ended is None or self.target is None:
            return []
        held = HeldSet(
            trainee=self.trainee,
            target=self.target,
            end=self.ended,
            earlier_sets=list(self.earlier_sets),
            session_id=self.session_id,
        )
        self.ended = None
        return [Hold(held)]

    def _event(self, event_type: str, **fields: Any) -> Send:
        return Send(event_text(event_type, self.intake.t_s, **fields))
