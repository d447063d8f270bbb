"""Turn an app's sets into hingecoach sessions, checking the whole file first.

One session per workout and exercise, sets in the order logged. Names that map to no
catalogue exercise become *other training* sessions (the app's name kept in the notes):
they show in the history and count for the week, but never steer hinge progression.
Warm-up and drop sets are kept, not as work sets. A set already imported (same key) is
left out, so importing the same file twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from pydantic import ValidationError

from hingecoach.coach.history_placement import imported_note
from hingecoach.coach.models import Session, SetLog
from hingecoach.errors import InputError
from hingecoach.importers.formats import HistoryFormat
from hingecoach.importers.names import OTHER_TRAINING, NameMap
from hingecoach.importers.rows import SetKind, SourceSet
from hingecoach.knowledge import Catalogue, LoadMode

__all__ = ["ImportPlan", "ImportedSession", "plan_import"]

_MAX_SECONDS = 600  # a SetLog's longest timed set; longer efforts (a run) go in the notes
_PROBLEMS_SHOWN = 1


@dataclass(frozen=True)
class ImportedSession:
    session: Session
    keys: tuple[str, ...]  # one per set, in order
    source_name: str  # the exercise as the app named it


@dataclass
class ImportPlan:
    """What an import would write, for the preview and for the commit."""

    source: HistoryFormat
    sessions: list[ImportedSession] = field(default_factory=list)
    mapped: Counter[tuple[str, str]] = field(default_factory=Counter)  # (app name, id): sets
    unmapped: Counter[str] = field(default_factory=Counter)  # app name: sets
    kinds: Counter[SetKind] = field(default_factory=Counter)
    already_imported: int = 0

    @property
    def set_count(self) -> int:
        return sum(len(s.keys) for s in self.sessions)

    @property
    def first_date(self) -> dt.date | None:
        return min((s.session.date for s in self.sessions), default=None)

    @property
    def last_date(self) -> dt.date | None:
        return max((s.session.date for s in self.sessions), default=None)


def _needs_load(catalogue: Catalogue, exercise_id: str) -> bool:
    """A lift that is never done without a load (a deadlift, a trap-bar deadlift)."""
    ex = catalogue.exercises[exercise_id]
    return exercise_id != OTHER_TRAINING and not {LoadMode.BODYWEIGHT, LoadMode.BAND} & set(
        ex.load_modes
    )


def _check(s: SourceSet, exercise_id: str, catalogue: Catalogue, today: dt.date) -> str | None:
    if s.started.date() > today:
        return f"the set is dated {s.started.date()}, in the future; check the dates in the file"
    if s.kind.is_work and _needs_load(catalogue, exercise_id) and not s.weight_kg:
        return (
            f"a 0 kg work set of {s.exercise_name}, which is always lifted with a load; fix the "
            "weight in the app and export again"
        )
    if exercise_id != OTHER_TRAINING and s.seconds and s.seconds > _MAX_SECONDS and not s.reps:
        return f"a {s.seconds:g} s set of {s.exercise_name}; the longest timed set is 600 s"
    return None


def _set_log(s: SourceSet, other: bool) -> tuple[SetLog, str]:
    """The set, and a note for what a set cannot hold (a 30-minute run)."""
    reps, seconds, note = s.reps, s.seconds, ""
    if seconds is not None and seconds > _MAX_SECONDS:
        note = f"{seconds / 60:.0f} min"
        seconds = None
    if reps is None and seconds is None:
        reps = 0  # a set with no reps or time (cardio by distance, an empty row)
    if reps is not None and seconds is not None:
        seconds = None  # reps are what the coach reads
    load = s.weight_kg if s.weight_kg else None
    rpe = s.rpe if s.rpe is not None and s.rpe >= 1 else None
    log = SetLog(
        reps=reps,
        seconds=seconds,
        load_kg=load if (load is None or not other) else min(load, 1000),
        rpe=rpe,
        work_set=s.kind.is_work,
    )
    return log, note


def plan_import(
    fmt: HistoryFormat,
    rows: list[SourceSet],
    names: NameMap,
    catalogue: Catalogue,
    *,
    today: dt.date,
    known_keys: Collection[str] = (),
) -> ImportPlan:
    """The sessions to write; one :class:`InputError` naming the first bad line."""
    plan = ImportPlan(source=fmt)
    problems: list[str] = []
    groups: dict[tuple[dt.datetime, str], list[SourceSet]] = {}
    ids: dict[str, str] = {}
    for s in rows:
        exercise_id = ids.get(s.exercise_name)
        if exercise_id is None:
            exercise_id = ids[s.exercise_name] = (
                names.exercise_id(s.exercise_name) or OTHER_TRAINING
            )
        problem = _check(s, exercise_id, catalogue, today)
        if problem is not None:
            problems.append(f"line {s.line}: {problem}")
            continue
        if s.key in known_keys:
            plan.already_imported += 1
            continue
        groups.setdefault((s.started, s.exercise_name), []).append(s)
    if problems:
        more = len(problems) - _PROBLEMS_SHOWN
        tail = f" ({more} more line{'s' if more > 1 else ''} like it)" if more > 0 else ""
        raise InputError(f"nothing imported: {problems[0]}{tail}")
    if not rows:
        raise InputError(f"no sets found: the {fmt.label} export has a header but no rows")
    for (started, name), sets in sorted(groups.items(), key=lambda item: item[0][0]):
        plan.sessions.append(_session(fmt, started, name, ids[name], sets))
        for s in sets:
            plan.kinds[s.kind] += 1
            if ids[name] == OTHER_TRAINING:
                plan.unmapped[name] += 1
            else:
                plan.mapped[(name, ids[name])] += 1
    return plan


def _session(
    fmt: HistoryFormat, started: dt.datetime, name: str, exercise_id: str, sets: list[SourceSet]
) -> ImportedSession:
    other = exercise_id == OTHER_TRAINING
    logs: list[SetLog] = []
    extra: list[str] = []
    for s in sets:
        try:
            log, note = _set_log(s, other)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InputError(
                f"nothing imported: line {s.line}: {where + ': ' if where else ''}{first['msg']}"
            ) from None
        logs.append(log)
        if note:
            extra.append(note)
    notes = imported_note(fmt.label, name if other else None)
    if extra:
        notes += " " + ", ".join(extra) + "."
    session = Session(date=started.date(), exercise_id=exercise_id, sets=tuple(logs), notes=notes)
    return ImportedSession(session, tuple(s.key for s in sets), name)
