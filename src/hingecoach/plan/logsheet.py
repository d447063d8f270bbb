"""Today's session as a log sheet: every set in the order it is done, pre-filled from the
prescription, and what a filled-in sheet stores (pure functions).

::

    LogSheet           today's session, ready to tick off
    └── SheetPart      warm-up, ramp-up, primary, secondary, accessory (a superset: two
        │              exercises, their sets alternating, the rest after each round)
        └── SheetExercise   one exercise of the part, with its cues and tempo
            └── SheetSet    one set: reps or seconds, load, plates per side, rest after

    build_log_sheet(profile, history, catalogue, rx) -> LogSheet        R-PLAN-2, R-PLAN-3
    primary_sets(sheet, entries) -> list[SetLog]       the hinge sets the coach adjusts after
    sessions_from_sheet(sheet, entries, ...) -> LoggedWorkout            what is stored

Set keys (``"p2-e0-s3"``: part, exercise, set) are stable for one sheet, so a browser
copy, a server draft and a queued save all name the same set the same way. Only the
primary (its ramp-up sets as warm-up sets, then its work sets) and the push exercises are
stored as sessions the coach reads: a lower hinge rung done as a warm-up or secondary is
practice, not a move down the ladder, so it is kept with the sheet only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hingecoach.coach import History, Prescription, Profile, Session, SetLog
from hingecoach.coach.defaults import WARM_UP_REST_S
from hingecoach.coach.loads import available_loads, plates_per_side
from hingecoach.coach.models import FormRating, PainQuality
from hingecoach.errors import InputError, format_validation_error
from hingecoach.knowledge import Catalogue, LoadMode
from hingecoach.plan.models import BlockPurpose, PlannedExercise, SessionBlock
from hingecoach.plan.structure import RAMP_PREFIX, lay_out, ramp_up_sets
from hingecoach.units import Unit, format_load, parse_load, snap_to_owned

__all__ = [
    "RAMP_UP_PART",
    "ExerciseDone",
    "LogSheet",
    "LoggedWorkout",
    "SetEntry",
    "SetStatus",
    "SheetExercise",
    "SheetPart",
    "SheetSet",
    "build_log_sheet",
    "check_entries",
    "primary_sets",
    "sessions_from_sheet",
    "summarize",
]

RAMP_UP_PART = "ramp-up"
SetKind = Literal["warm-up", "ramp-up", "work"]
_TITLES = {
    BlockPurpose.WARM_UP: "Warm-up",
    BlockPurpose.PRIMARY: "Primary",
    BlockPurpose.SECONDARY: "Secondary",
    BlockPurpose.ACCESSORY: "Accessory",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SheetSet(_Model):
    key: str = Field(pattern=r"^p\d+-e\d+-s\d+$")
    number: int = Field(ge=1, description="the set's number within its exercise")
    kind: SetKind
    reps: int | None = Field(default=None, ge=0, le=100)
    seconds: int | None = Field(default=None, ge=0, le=600)
    load_kg: float | None = None
    band: str | None = None
    plates_per_side: tuple[float, ...] | None = None
    rest_s: int = Field(ge=0, le=600, description="rest after this set (0: straight on)")

    @property
    def timed(self) -> bool:
        return self.seconds is not None


class SheetExercise(_Model):
    exercise_id: str
    name: str
    is_hinge: bool
    primary: bool = False
    load_mode: LoadMode = LoadMode.BODYWEIGHT
    load_label: str = "bodyweight"
    dose_label: str
    tempo: str
    cues: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    sets: tuple[SheetSet, ...]


class SheetPart(_Model):
    kind: str = Field(description="a BlockPurpose value, or 'ramp-up'")
    title: str
    reason: str
    superset: bool = False
    exercises: tuple[SheetExercise, ...] = Field(min_length=1, max_length=2)

    def sets_in_order(self) -> Iterator[tuple[SheetExercise, SheetSet]]:
        """The sets as they are done: in a superset, one of each exercise in turn."""
        rounds = max(len(e.sets) for e in self.exercises)
        for i in range(rounds):
            for ex in self.exercises:
                if i < len(ex.sets):
                    yield ex, ex.sets[i]


class LogSheet(_Model):
    date: dt.date
    primary_id: str
    parts: tuple[SheetPart, ...]

    def sets(self) -> Iterator[tuple[SheetPart, SheetExercise, SheetSet]]:
        for part in self.parts:
            for ex, s in part.sets_in_order():
                yield part, ex, s

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for _, _, s in self.sets())


class SetStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"


class SetEntry(_Model):
    """What the trainee did with one set of the sheet (reps or seconds in ``amount``)."""

    status: SetStatus = SetStatus.OPEN
    amount: float | None = Field(default=None, ge=0, le=600)
    load_kg: float | None = Field(default=None, ge=0, le=1000)
    rpe: float | None = Field(default=None, ge=1, le=10)
    form: FormRating = FormRating.CLEAN
    pain: int = Field(default=0, ge=0, le=10)
    pain_quality: tuple[PainQuality, ...] = ()


class ExerciseDone(_Model):
    """One exercise of a filled-in sheet: how many of its sets were done."""

    name: str
    done: int
    planned: int

    @property
    def skipped(self) -> bool:
        return self.done == 0


class LoggedWorkout(_Model):
    """What a filled-in sheet stores: the coach's sessions and the sheet's own record."""

    sessions: tuple[Session, ...]
    done_sets: int
    skipped: tuple[str, ...] = Field(description="names of exercises skipped entirely")


# ---------------------------------------------------------------- building the sheet


def _plates(load_kg: float | None, mode: LoadMode, profile: Profile) -> tuple[float, ...] | None:
    return plates_per_side(load_kg, mode, profile.equipment)


def _planned_sets(
    p: int, e: int, planned: PlannedExercise, profile: Profile, rest_s: int, kind: SetKind
) -> tuple[SheetSet, ...]:
    reps = planned.reps.target if planned.reps is not None else None
    return tuple(
        SheetSet(
            key=f"p{p}-e{e}-s{n}",
            number=n,
            kind=kind,
            reps=reps,
            seconds=planned.seconds,
            load_kg=planned.load_kg,
            band=planned.band,
            plates_per_side=_plates(planned.load_kg, planned.load_mode, profile),
            rest_s=rest_s,
        )
        for n in range(1, planned.sets + 1)
    )


def _exercise(
    planned: PlannedExercise, sets: tuple[SheetSet, ...], *, primary: bool = False
) -> SheetExercise:
    return SheetExercise(
        exercise_id=planned.exercise_id,
        name=planned.name,
        is_hinge=planned.is_hinge,
        primary=primary,
        load_mode=planned.load_mode,
        load_label=planned.load_label,
        dose_label=planned.dose_label(),
        tempo=str(planned.tempo),
        cues=planned.cues,
        notes=tuple(n for n in planned.notes if not n.startswith(RAMP_PREFIX)),
        sets=sets,
    )


def _ramp_part(p: int, primary: PlannedExercise, profile: Profile) -> SheetPart | None:
    steps = ramp_up_sets(primary.load_kg, primary.load_mode, profile.equipment)
    if not steps:
        return None
    sets = tuple(
        SheetSet(
            key=f"p{p}-e0-s{n}",
            number=n,
            kind="ramp-up",
            reps=reps,
            load_kg=kg,
            plates_per_side=_plates(kg, primary.load_mode, profile),
            rest_s=WARM_UP_REST_S[0],
        )
        for n, (kg, reps) in enumerate(steps, start=1)
    )
    listed = ", ".join(f"{format_load(kg, profile.unit)} x {reps}" for kg, reps in steps)
    return SheetPart(
        kind=RAMP_UP_PART,
        title="Ramp-up",
        reason=f"A few lighter sets up to your work load ({listed}), so the first work set "
        "is not the first heavy one.",
        exercises=(_exercise(primary, sets),),
    )


def _block_part(p: int, block: SessionBlock, profile: Profile) -> SheetPart:
    exercises = []
    for e, planned in enumerate(block.exercises):
        if block.superset:  # straight from the hinge into the push; rest after the round
            assert block.rest_s is not None
            rest = block.rest_s if e == len(block.exercises) - 1 else 0
        else:
            rest = planned.rest_s
        primary = block.purpose is BlockPurpose.PRIMARY
        kind: SetKind = "warm-up" if block.purpose is BlockPurpose.WARM_UP else "work"
        sets = _planned_sets(p, e, planned, profile, rest, kind)
        exercises.append(_exercise(planned, sets, primary=primary))
    title = _TITLES[block.purpose] + (" superset" if block.superset else "")
    return SheetPart(
        kind=block.purpose.value,
        title=title,
        reason=block.reason.text,
        superset=block.superset,
        exercises=tuple(exercises),
    )


def build_log_sheet(
    profile: Profile,
    history: History,
    catalogue: Catalogue,
    rx: Prescription,
    day: dt.date,
) -> LogSheet:
    """Today's session around the coach's prescription, set by set (R-PLAN-2, R-PLAN-3):
    warm-up, ramp-up sets up to a loaded primary, the primary, then the secondary and
    accessory work with the push paired in a superset."""
    parts: list[SheetPart] = []
    for block in lay_out(profile, history, catalogue, rx):
        if block.purpose is BlockPurpose.PRIMARY:
            ramp = _ramp_part(len(parts), block.exercises[0], profile)
            if ramp is not None:
                parts.append(ramp)
        parts.append(_block_part(len(parts), block, profile))
    return LogSheet(date=day, primary_id=rx.exercise_id, parts=tuple(parts))


# ---------------------------------------------------------------- loads as the trainee types them


def shown_loads(entries: Mapping[str, SetEntry], unit: Unit) -> dict[str, dict[str, Any]]:
    """The entries for the page: each load as ``load``, the number shown in ``unit``."""
    out: dict[str, dict[str, Any]] = {}
    for key, entry in entries.items():
        data = entry.model_dump(mode="json", exclude={"load_kg"})
        kg = entry.load_kg
        data["load"] = None if kg is None else float(format_load(kg, unit, with_unit=False))
        out[key] = data
    return out


def typed_loads_to_kg(sheet: LogSheet, raw: Any, unit: Unit, profile: Profile) -> Any:
    """The browser's entries with each typed ``load`` (in ``unit``, or with its own: "180 lb")
    read as the owned load in kg it means (a 35.25 lb bell is the 16 kg one)."""
    if not isinstance(raw, Mapping):
        return raw  # refused with a clear message by the entries' own check
    modes = {s.key: ex.load_mode for _, ex, s in sheet.sets()}
    out: dict[str, Any] = {}
    for key, entry in raw.items():
        if not isinstance(entry, Mapping) or "load" not in entry:
            out[key] = entry
            continue
        fields = {k: v for k, v in entry.items() if k != "load"}
        typed = entry["load"]
        kg = None if typed is None else parse_load(str(typed), unit)
        mode = modes.get(str(key))
        if kg is not None and mode is not None:
            kg = snap_to_owned(kg, available_loads(profile.equipment, mode), unit)
        fields["load_kg"] = kg
        out[key] = fields
    return out


# ---------------------------------------------------------------- reading a filled-in sheet


def _set_log(s: SheetSet, entry: SetEntry, *, work_set: bool) -> SetLog:
    amount = entry.amount if entry.amount is not None else (s.seconds or s.reps or 0)
    data = {
        "seconds" if s.timed else "reps": amount if s.timed else round(amount),
        "load_kg": entry.load_kg if entry.load_kg is not None else s.load_kg,
        "band": s.band,
        "rpe": entry.rpe,
        "form": entry.form,
        "pain": entry.pain,
        "pain_quality": entry.pain_quality,
        "work_set": work_set,
    }
    try:
        return SetLog.model_validate(data)
    except ValidationError as exc:
        raise InputError(format_validation_error(f"set {s.key}", exc)) from None


def _done(
    sheet: LogSheet, entries: Mapping[str, SetEntry]
) -> Iterator[tuple[SheetPart, SheetExercise, SheetSet, SetEntry]]:
    for part, ex, s in sheet.sets():
        entry = entries.get(s.key)
        if entry is not None and entry.status is SetStatus.DONE:
            yield part, ex, s, entry


def primary_sets(sheet: LogSheet, entries: Mapping[str, SetEntry]) -> list[SetLog]:
    """The primary's sets done so far, in order: ramp-up sets as warm-up sets, then the
    work sets (what the coach's within-session adjustment reads)."""
    return [
        _set_log(s, entry, work_set=part.kind != RAMP_UP_PART)
        for part, ex, s, entry in _done(sheet, entries)
        if ex.primary or (part.kind == RAMP_UP_PART and ex.exercise_id == sheet.primary_id)
    ]


def check_entries(sheet: LogSheet, entries: Mapping[str, SetEntry]) -> None:
    """Refuse entries for sets that are not on the sheet (an out-of-date page)."""
    unknown = sorted(set(entries) - set(sheet.keys))
    if unknown:
        raise InputError(
            f"these sets are not in today's session: {', '.join(unknown[:5])}; "
            "open Log again to get the current session"
        )


def sessions_from_sheet(
    sheet: LogSheet,
    entries: Mapping[str, SetEntry],
    rx: Prescription,
    *,
    notes: str = "",
) -> LoggedWorkout:
    """The sessions the coach reads from a filled-in sheet: the primary (ramp-up sets as
    warm-up sets, then the work sets) and each push exercise done; hinge warm-up,
    secondary and accessory work stays with the sheet. Exercises with no set done are
    named as skipped."""
    check_entries(sheet, entries)
    primary = primary_sets(sheet, entries)
    sessions: list[Session] = []
    by_push: dict[str, list[SetLog]] = {}
    done = 0
    for _part, ex, s, entry in _done(sheet, entries):
        done += 1
        if not ex.is_hinge:
            by_push.setdefault(ex.exercise_id, []).append(_set_log(s, entry, work_set=True))
    if done == 0:
        raise InputError("no set is ticked done yet; tick the sets you did, then save")
    for exercise_id, sets in by_push.items():
        sessions.append(Session(date=sheet.date, exercise_id=exercise_id, sets=tuple(sets)))
    if primary:  # last, so the newest hinge session is the primary's (the coach's rung)
        sessions.append(
            Session(
                date=sheet.date,
                exercise_id=rx.exercise_id,
                prescription=rx,
                sets=tuple(primary),
                notes=notes,
            )
        )
    skipped = tuple(x.name for x in summarize(sheet, entries) if x.skipped)
    return LoggedWorkout(sessions=tuple(sessions), done_sets=done, skipped=skipped)


def summarize(sheet: LogSheet, entries: Mapping[str, SetEntry]) -> tuple[ExerciseDone, ...]:
    """Each exercise of the sheet once, in order, with its sets done and planned (the
    ramp-up sets count with their exercise)."""
    planned: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for _part, ex, s in sheet.sets():
        names.setdefault(ex.exercise_id, ex.name)
        counts = planned.setdefault(ex.exercise_id, [0, 0])
        counts[1] += 1
        entry = entries.get(s.key)
        if entry is not None and entry.status is SetStatus.DONE:
            counts[0] += 1
    return tuple(
        ExerciseDone(name=names[eid], done=done, planned=total)
        for eid, (done, total) in planned.items()
    )
