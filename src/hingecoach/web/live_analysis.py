"""One live set's streaming form analysis (:class:`~hingecoach.form.stream.StreamingAnalyser`,
the clip analysis run incrementally): the CPU work a live session hands to the analysis
thread. Frames are handed over in the order they came (:meth:`SetAnalysis.add`, in the event
loop, never blocking) and analysed in that order by whoever gets there first, one call at a
time (a lock): the analysis thread (:meth:`SetAnalysis.push_waiting`), or the event loop's
when a dropped connection finishes the set. A batch handed over but not yet analysed when the
connection drops is analysed before the set ends, not after it or out of order."""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hingecoach.form.stream import EndReason
    from hingecoach.knowledge import Catalogue
    from hingecoach.services.live import LiveTarget
    from hingecoach.web.live_intake import Frame

__all__ = ["Analysed", "SetAnalysis", "end_event"]


@dataclass(frozen=True, slots=True)
class Analysed:
    """What some frames gave: the events (JSON text) and why frames were refused."""

    events: list[str]
    problems: list[str]


class SetAnalysis:
    """The analysis of one set of ``width`` x ``height`` frames, for ``target``."""

    def __init__(self, width: int, height: int, target: LiveTarget, catalogue: Catalogue) -> None:
        from hingecoach.form import TempoTarget
        from hingecoach.form.stream import StreamingAnalyser

        tempo = target.prescription.tempo
        self._analyser = StreamingAnalyser(
            width_px=width,
            height_px=height,
            exercise=target.exercise_id,
            tempo=TempoTarget(down_s=tempo.down_s, up_s=tempo.up_s),
            catalogue=catalogue,
            source="live",
        )
        self._lock = threading.Lock()
        self._waiting: deque[list[Frame]] = deque()  # appends and pops are thread-safe

    def add(self, frames: list[Frame]) -> None:
        """Hand frames over, in the order they came (cheap: no lock, no analysis)."""
        if frames:
            self._waiting.append(frames)

    def push_waiting(self) -> Analysed:
        """Analyse every batch handed over and not analysed yet, oldest first."""
        with self._lock:
            return self._push_waiting()

    def push(self, frames: list[Frame]) -> Analysed:
        """Hand ``frames`` over and analyse what is waiting."""
        self.add(frames)
        return self.push_waiting()

    def finish(self, reason: EndReason) -> list[str]:
        """The set is over: the events of the frames still waiting, then the last events,
        the ``end`` event last."""
        with self._lock:
            events = self._push_waiting().events
            return events + [e.model_dump_json() for e in self._analyser.finish(reason=reason)]

    def _push_waiting(self) -> Analysed:
        events: list[str] = []
        problems: list[str] = []
        analyser = self._analyser
        while self._waiting:
            for t_s, landmarks, people in self._waiting.popleft():
                if analyser.ended:
                    break
                try:
                    pushed = analyser.push(t_s, landmarks, people=people)
                except ValueError as exc:
                    problems.append(str(exc))
                    continue
                events.extend(e.model_dump_json() for e in pushed)
        return Analysed(events, problems)


def end_event(events: list[str]) -> dict[str, Any] | None:
    """The ``end`` event among ``finish``'s events."""
    for text in events:
        event: dict[str, Any] = json.loads(text)
        if event.get("type") == "end":
            return event
    return None
