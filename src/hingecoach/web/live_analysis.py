"""One live set's streaming form analysis (:class:`~hingecoach.form.stream.StreamingAnalyser`,
the clip analysis run incrementally): the CPU work a live session hands to the analysis
thread. One call at a time (a lock): the transport runs it in the thread, and a dropped
connection finishes it in the event loop's."""

from __future__ import annotations

import json
import threading
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

    def push(self, frames: list[Frame]) -> Analysed:
        events: list[str] = []
        problems: list[str] = []
        with self._lock:
            analyser = self._analyser
            for t_s, landmarks, people in frames:
                if analyser.ended:
                    break
                try:
                    pushed = analyser.push(t_s, landmarks, people=people)
                except ValueError as exc:
                    problems.append(str(exc))
                    continue
                events.extend(e.model_dump_json() for e in pushed)
        return Analysed(events, problems)

    def finish(self, reason: EndReason) -> list[str]:
        """The set is over: the last events, the ``end`` event last."""
        with self._lock:
            return [e.model_dump_json() for e in self._analyser.finish(reason=reason)]


def end_event(events: list[str]) -> dict[str, Any] | None:
    """The ``end`` event among ``finish``'s events."""
    for text in events:
        event: dict[str, Any] = json.loads(text)
        if event.get("type") == "end":
            return event
    return None
