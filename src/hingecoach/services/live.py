"""Live coaching, the coach's side: today's target for a live set, and logging the set.

A live connection (:mod:`hingecoach.web.live_session`) runs the streaming form analysis;
this module is what it asks the coach. A live set is logged like any other set: it is
added to today's live session (made by the first set logged on the connection), and the
coach adjusts the next set with the same rules as the log page (``adjust_set``) and
re-decides the next session as ``log_session`` does.

A set whose connection dropped is held (:class:`HeldSets`, keyed by account and trainee,
for ten minutes; in small files, so every server process sees it) so a reconnect can
still log what was counted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, update

from hingecoach.coach import Decision, FormRating, NextSet, Prescription, Session, SetLog
from hingecoach.coach.adjust import adjust_set
from hingecoach.errors import InputError
from hingecoach.knowledge import Catalogue, find_exercise
from hingecoach.services.coaching import _prescribe, _record_if_new, check_session, today_for
from hingecoach.services.day_limit import check_room_on_days
from hingecoach.services.uow import UnitOfWork
from hingecoach.store.records import DecisionRecord, SessionRecord

__all__ = [
    "HOLD_S",
    "HeldSet",
    "HeldSets",
    "LiveTarget",
    "LoggedSet",
    "live_target",
    "log_live_set",
    "set_from_end",
]

#: How long a set whose connection dropped is kept for a reconnect to log (seconds).
HOLD_S = 600.0


@dataclass(frozen=True)
class LiveTarget:
    """What the live page shows before the set: the exercise, the dose, the cues."""

    prescription: Prescription
    exercise_id: str
    exercise_name: str
    cues: tuple[str, ...]

    def ready(self) -> dict[str, Any]:
        """The ``ready`` event's fields (see docs/live-protocol.md)."""
        rx = self.prescription
        return {
            "exercise": self.exercise_id,
            "exercise_name": self.exercise_name,
            "target": {
                "sets": rx.sets,
                "reps": rx.reps.target if rx.reps is not None else None,
                "load": rx.load_label,
                "load_kg": rx.load_kg,
                "tempo": {"down_s": rx.tempo.down_s, "up_s": rx.tempo.up_s},
            },
            "cues": list(self.cues),
        }


def live_target(
    engine: Engine, name: str, catalogue: Catalogue, exercise: str | None = None
) -> LiveTarget:
    """Today's prescription for a live set of ``exercise`` (default: today's exercise).

    Raises:
        InputError: hinging is off today (the coach's reason and what to do instead), the
            trainee has not been assessed, or the exercise is unknown.
    """
    today = today_for(engine, name, catalogue)
    rx = today.prescription
    if rx is None or today.decision.blocks_hinging:
        raise InputError(
            f"no hinging today: {today.decision.reason} {today.decision.do_now}".strip()
        )
    if exercise is not None:
        ex = find_exercise(catalogue, exercise)
        if ex.id != rx.exercise_id:
            # filming another lift than the one prescribed: same dose, that lift's cues
            rx = rx.model_copy(
                update={"exercise_id": ex.id, "exercise_name": ex.name, "modifiers": ()}
            )
            return LiveTarget(rx, ex.id, ex.name, tuple(ex.cues) or rx.cues)
    return LiveTarget(rx, rx.exercise_id, rx.exercise_name, rx.cues)


def set_from_end(
    end: dict[str, Any], *, load_kg: float | None, rpe: float | None, pain: int
) -> SetLog:
    """The set an ``end`` event describes (reps, form rating, the set's faults), with what
    the person adds: the load, the effort and the pain."""
    reps = int(end.get("reps") or 0)
    if reps < 1:
        raise InputError("no rep was counted in this set: there is nothing to log")
    rating = FormRating(end.get("rating") or "clean")
    faults = tuple(str(f["id"]) for f in end.get("faults") or [])
    return SetLog(
        reps=reps,
        load_kg=load_kg,
        rpe=rpe,
        form=rating,
        faults=() if rating is FormRating.CLEAN else faults,
        pain=pain,
    )


@dataclass(frozen=True)
class LoggedSet:
    session_id: int
    decision: Decision
    next: NextSet | None

    def logged(self) -> dict[str, Any]:
        """The ``logged`` event's fields (see docs/live-protocol.md)."""
        nxt = None
        if self.next is not None:
            n = self.next
            nxt = {
                "set_number": n.set_number,
                "exercise": n.exercise_id,
                "reps": n.reps.target if n.reps is not None else None,
                "load": n.load_label,
                "load_kg": n.load_kg,
                "rest_s": n.rest_s,
                "tempo": {"down_s": n.tempo.down_s, "up_s": n.tempo.up_s},
                "note": "; ".join(c.reason for c in n.changes) or self.decision.do_now,
            }
        return {
            "session_id": self.session_id,
            "decision": {
                "action": self.decision.action.value,
                "heading": self.decision.action.heading,
                "reason": self.decision.reason,
                "do_now": self.decision.do_now,
                "rules": list(self.decision.rules),
            },
            "next": nxt,
        }


def log_live_set(
    engine: Engine,
    name: str,
    prescription: Prescription,
    earlier_sets: Sequence[SetLog],
    new_set: SetLog,
    catalogue: Catalogue,
    today: dt.date,
    session_id: int | None = None,
) -> LoggedSet:
    """Store one live set and adjust the next, in one transaction.

    The first set of a connection makes today's session (with the prescription it
    followed); a later set (``session_id``: the session so far) makes the session with all
    the sets, which replaces the one before. Then, as on the log page, the
    coach adjusts the next set from all the sets so far (R-SAFE-3, R-REG, R-PROG-6; anything
    but "carry on" goes to the decisions log) and re-decides the next session.
    """
    sets = [*earlier_sets, new_set]
    with UnitOfWork(engine, write=True) as uow:
        trainee = uow.trainees.get(name)
        profile = uow.trainees.profile(trainee)
        session = Session(
            date=today,
            exercise_id=prescription.exercise_id,
            prescription=prescription,
            sets=tuple(sets),
            notes="live set",
        )
        check_session(session, profile.equipment, catalogue, today, unit=profile.unit)
        earlier = uow.db.get(SessionRecord, session_id) if session_id is not None else None
        if earlier is None or earlier.trainee_id != trainee.id:
            check_room_on_days(uow, trainee, [today])  # a later set replaces: no new one
            record = uow.sessions.add(trainee, session.model_copy(update={"sets": (new_set,)}))
        else:
            # A stored session is never edited (readers cache them by id): the session
            # with one more set replaces it, and its decisions move along.
            record = uow.sessions.add(trainee, session)
            uow.db.execute(
                update(DecisionRecord)
                .where(DecisionRecord.session_id == earlier.id)
                .values(session_id=record.id)
            )
            uow.db.delete(earlier)
            uow.db.flush()
        decision, nxt = adjust_set(profile, prescription, sets, catalogue)
        if decision.action.value != "hold":
            uow.decisions.add(
                trainee, "adjust", decision, exercise_id=prescription.exercise_id, session=record
            )
        next_decision, rx = _prescribe(uow, trainee, catalogue)
        _record_if_new(uow, trainee, next_decision, rx, record)
        uow.commit()
        return LoggedSet(record.id, decision, nxt)


@dataclass
class HeldSet:
    """An ended set not logged yet, with what is needed to log it after a reconnect."""

    trainee: str
    target: LiveTarget
    end: dict[str, Any]
    earlier_sets: list[SetLog] = field(default_factory=list)
    session_id: int | None = None
    held_at: float = 0.0

    def to_json(self) -> str:
        t = self.target
        return json.dumps(
            {
                "trainee": self.trainee,
                "target": {
                    "prescription": t.prescription.model_dump(mode="json"),
                    "exercise_id": t.exercise_id,
                    "exercise_name": t.exercise_name,
                    "cues": list(t.cues),
                },
                "end": self.end,
                "earlier_sets": [s.model_dump(mode="json") for s in self.earlier_sets],
                "session_id": self.session_id,
                "held_at": self.held_at,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> HeldSet:
        data = json.loads(text)
        t = data["target"]
        return cls(
            trainee=data["trainee"],
            target=LiveTarget(
                Prescription.model_validate(t["prescription"]),
                t["exercise_id"],
                t["exercise_name"],
                tuple(t["cues"]),
            ),
            end=data["end"],
            earlier_sets=[SetLog.model_validate(s) for s in data["earlier_sets"]],
            session_id=data["session_id"],
            held_at=float(data["held_at"]),
        )


class HeldSets:
    """Ended sets kept for a reconnect (``?resume=1``), per account and trainee, for
    ``hold_s`` seconds.

    With a ``directory``, each is a small JSON file there, so a reconnect that lands on
    another server process (``hingecoach serve`` runs several) finds it too; taking one
    renames it first, so two processes never both take the same set. Without one, they are
    kept in this process's memory. Bounded: one set per key; expired ones are removed on
    every hold.
    """

    def __init__(
        self,
        hold_s: float = HOLD_S,
        clock: Callable[[], float] = time.time,
        directory: Path | None = None,
    ) -> None:
        self.hold_s = hold_s
        self.directory = directory
        self._clock = clock
        self._lock = threading.Lock()
        self._sets: dict[tuple[int, str], HeldSet] = {}

    def _path(self, account_id: int, trainee: str) -> Path:
        assert self.directory is not None
        digest = hashlib.sha256(trainee.encode("utf-8")).hexdigest()[:24]
        return self.directory / f"{account_id}-{digest}.json"

    def _expire(self) -> None:
        now = self._clock()
        for key in [k for k, v in self._sets.items() if now - v.held_at > self.hold_s]:
            del self._sets[key]
        if self.directory is not None and self.directory.is_dir():
            for path in self.directory.glob("*.json"):
                with contextlib.suppress(OSError):
                    if now - path.stat().st_mtime > self.hold_s:
                        path.unlink()

    def hold(self, account_id: int, held: HeldSet) -> None:
        with self._lock:
            self._expire()
            held.held_at = self._clock()
            if self.directory is None:
                self._sets[(account_id, held.trainee)] = held
                return
            self.directory.mkdir(parents=True, exist_ok=True)
            path = self._path(account_id, held.trainee)
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".part")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(held.to_json())
            os.replace(tmp, path)

    def take(self, account_id: int, trainee: str) -> HeldSet | None:
        """The held set for this person, removed (the caller holds it again if needed)."""
        with self._lock:
            if self.directory is None:
                self._expire()
                return self._sets.pop((account_id, trainee), None)
            path = self._path(account_id, trainee)
            claimed = path.with_name(f"{path.stem}.{os.getpid()}.{threading.get_ident()}.taken")
            try:
                os.rename(path, claimed)
            except OSError:
                return None
            try:
                held = HeldSet.from_json(claimed.read_text(encoding="utf-8"))
            except (OSError, ValueError, KeyError, TypeError):
                return None
            finally:
                claimed.unlink(missing_ok=True)
            if held.trainee != trainee or self._clock() - held.held_at > self.hold_s:
                return None
            return held

    def __len__(self) -> int:
        with self._lock:
            self._expire()
            if self.directory is not None:
                return len(list(self.directory.glob("*.json")))
            return len(self._sets)
