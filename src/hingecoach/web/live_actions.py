"""What a live session (:class:`~hingecoach.web.live_session.LiveSession`) asks its
transport to do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from hingecoach.coach import Prescription, SetLog
    from hingecoach.form.stream import EndReason
    from hingecoach.services.live import HeldSet
    from hingecoach.web.live_analysis import SetAnalysis
    from hingecoach.web.live_protocol import StartMessage

__all__ = [
    "ANALYSE",
    "POSE",
    "START_POSING",
    "Action",
    "Analyse",
    "Close",
    "EndSet",
    "FetchTarget",
    "Hold",
    "LogSet",
    "Pose",
    "Send",
    "StartPosing",
]


@dataclass(frozen=True, slots=True)
class Send:
    """Send one event (a JSON text frame)."""

    text: str


@dataclass(frozen=True, slots=True)
class Close:
    """Close the socket with this code; the connection is over."""

    code: int


@dataclass(frozen=True, slots=True)
class Analyse:
    """Frames wait for the analysis: wake it (``hand_frames``, in the analysis thread
    ``SetAnalysis.push_waiting``, then ``analysed``)."""


@dataclass(frozen=True, slots=True)
class Pose:
    """Pictures wait for the pose pool: wake it (``take_picture``, then ``posed`` or
    ``pose_failed``)."""


@dataclass(frozen=True, slots=True)
class StartPosing:
    """Give the connection a pose graph, if the pool has room (else ``pose_refused``)."""


@dataclass(frozen=True, slots=True)
class FetchTarget:
    """Find today's target for the set ``start`` asks for (then ``target_found``, or
    ``target_failed`` with the reason)."""

    exercise: str | None
    start: StartMessage


@dataclass(frozen=True, slots=True)
class EndSet:
    """End the set once the frames and pictures waiting are analysed: ``analysis.finish``
    in the analysis thread, then ``set_ended``."""

    analysis: SetAnalysis
    reason: EndReason


@dataclass(frozen=True, slots=True)
class LogSet:
    """Store the set (then ``logged``, or ``log_failed`` with the reason)."""

    prescription: Prescription
    earlier_sets: tuple[SetLog, ...]
    new_set: SetLog
    session_id: int | None


@dataclass(frozen=True, slots=True)
class Hold:
    """Keep an ended set, not logged, for a reconnect of the same person."""

    held: HeldSet


Action: TypeAlias = (
    Send | Close | Analyse | Pose | StartPosing | FetchTarget | EndSet | LogSet | Hold
)

ANALYSE = Analyse()
POSE = Pose()
START_POSING = StartPosing()
