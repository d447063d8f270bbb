"""Progress from a history: the numbers behind the pictures, and insights (R-TRACK-2/3).

A pure function of the history, the catalogue and (optionally) the profile::

    progress(history, catalogue, *, profile=None, planned_per_week=None, as_of=None)
        -> Progress

``Progress`` holds, oldest first: the rung of every hinge session (stage and ladder
position), the best estimated 1RM of each session with its band (R-PROG-5), weekly volume
and hard sets (work sets at RPE 7 or more), faults per week by fault id, pain per session
(worst set pain and next-morning pain), adherence per week (hinge sessions done against
the sessions planned a week), personal records per exercise, and insights: plain,
specific sentences that say what to do and name their rule ids (R-TRACK-3).

Only hinge sessions count towards rung, volume, faults, pain and adherence (push sessions
are the supersets' partners, R-PLAN-3); personal records cover every exercise. Sessions
of exercises the catalogue no longer knows are skipped rather than refused: progress is a
view of the past, and the past must always be viewable.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from hingecoach.coach.defaults import MORNING_PAIN_RISE, PAIN_CARRY_ON_MAX, PAIN_STOP_MIN
from hingecoach.coach.dose import sessions_per_week
from hingecoach.coach.e1rm import E1rmEstimate, estimate_set
from hingecoach.coach.models import History, Profile, Session, SetLog
from hingecoach.knowledge import Catalogue, Exercise, ladder_by_stage
from hingecoach.units import Unit, format_load, to_unit

__all__ = [
    "AdherenceWeek",
    "E1rmPoint",
    "FaultWeek",
    "Insight",
    "PainPoint",
    "PersonalRecord",
    "Progress",
    "RungPoint",
    "VolumeWeek",
    "progress",
]

HARD_SET_RPE = 7.0  # R-TRACK-2: a hard set is a work set at RPE 7 or more (R-PROG-5's floor)
RECENT_SESSIONS = 5  # R-TRACK-3: insights read the last 5 hinge sessions
FAULT_REPEATS = 2  # R-TRACK-3 with R-REG-7: a fault in 2 or more of them is worth a sentence
PAIN_CAUTION = PAIN_CARRY_ON_MAX + 1  # R-SAFE-3: pain of 3-5 holds progression (defaults)
PAIN_STOP = PAIN_STOP_MIN  # R-SAFE-3: pain of 6 or more stops hinging for the day (defaults)
MORNING_ABOVE_BASELINE = MORNING_PAIN_RISE  # R-SAFE-5: 2 or more above baseline (defaults)
ADHERENCE_WEEKS = 4  # R-TRACK-3: adherence is summed over the last 4 whole weeks
E1RM_FLAT_SESSIONS = 3  # R-PLAN-4: e1RM flat for 3 sessions brings a deload early
E1RM_FLAT_PCT = 0.01  # R-PLAN-4, default (RULES silent): within 1 % counts as flat
PLANNED_DEFAULT = 3  # R-PLAN-1, default: no profile means the Mon/Wed/Fri week
PLANNED_RANGE = (2, 3)  # R-PLAN-1: 2-3 hinge sessions a week


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RungPoint(_Out):
    """Where on the ladder a hinge session was (R-TRACK-2 rung over time)."""

    date: dt.date
    exercise_id: str
    name: str
    stage: int
    stage_label: str
    position: int  # 1 = the floor of the ladder, counting up through every stage


class E1rmPoint(_Out):
    """The best estimated 1RM of one session (R-PROG-5), with its band."""

    date: dt.date
    exercise_id: str
    e1rm_kg: float
    low_kg: float
    high_kg: float
    load_kg: float
    reps: int
    rpe: float | None


class VolumeWeek(_Out):
    """Hinge work in one week (Monday to Sunday): sets, reps, tonnage and hard sets."""

    week: dt.date  # the Monday
    work_sets: int
    reps: int
    tonnage_kg: float
    hard_sets: int  # work sets at RPE 7 or more


class FaultWeek(_Out):
    """How often each fault id was flagged in the week's hinge sets."""

    week: dt.date
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class PainPoint(_Out):
    date: dt.date
    exercise_id: str
    worst_set_pain: int
    next_morning_pain: int | None


class AdherenceWeek(_Out):
    week: dt.date
    done: int
    planned: int
    partial: bool  # the week holding ``as_of``: not over yet

    @property
    def pct(self) -> float:
        return 100.0 * min(self.done, self.planned) / self.planned if self.planned else 0.0


class PersonalRecord(_Out):
    """An exercise's bests: the highest e1RM, the heaviest set (then most reps at it), and
    the most reps in a set (for bodyweight and banded work)."""

    exercise_id: str
    name: str
    best_e1rm: E1rmEstimate | None = None
    best_e1rm_on: dt.date | None = None
    best_load_kg: float | None = None
    best_load_reps: int | None = None
    best_load_on: dt.date | None = None
    most_reps: int | None = None
    most_reps_on: dt.date | None = None

    @property
    def latest_on(self) -> dt.date | None:
        dates = [d for d in (self.best_e1rm_on, self.best_load_on, self.most_reps_on) if d]
        return max(dates) if dates else None


class Insight(_Out):
    """One sentence that says what happened and what to do, with its rule ids."""

    topic: str  # faults, pain, adherence, e1rm, records, rung
    text: str
    rules: tuple[str, ...]
    attention: bool = False  # something to act on (a fault, pain, a stall, missed sessions)


class Progress(_Out):
    as_of: dt.date | None
    planned_per_week: int
    rung: tuple[RungPoint, ...] = ()
    e1rm: tuple[E1rmPoint, ...] = ()
    volume: tuple[VolumeWeek, ...] = ()
    faults: tuple[FaultWeek, ...] = ()
    pain: tuple[PainPoint, ...] = ()
    adherence: tuple[AdherenceWeek, ...] = ()
    records: tuple[PersonalRecord, ...] = ()
    insights: tuple[Insight, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.rung


# ---------------------------------------------------------------- helpers


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weeks(first: dt.date, last: dt.date) -> list[dt.date]:
    start, end = _monday(first), _monday(last)
    count = (end - start).days // 7 + 1
    return [start + dt.timedelta(weeks=i) for i in range(count)]


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


def _kg(value: float, unit: Unit) -> str:
    return format_load(value, unit)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _name(ex: Exercise | None, fallback: str) -> str:
    """An exercise name inside a sentence: ``Kettlebell deadlift`` -> ``kettlebell deadlift``."""
    name = ex.name if ex is not None else fallback
    return name[0].lower() + name[1:] if name[1:2].islower() else name


def _positions(catalogue: Catalogue) -> dict[str, int]:
    order: list[str] = []
    for members in ladder_by_stage(catalogue).values():
        order.extend(ex.id for ex in members)
    return {ex_id: i + 1 for i, ex_id in enumerate(order)}


_Estimates = dict[int, E1rmEstimate | None]  # id(set log) -> its estimate, each set once


def _estimate(set_log: SetLog, cache: _Estimates) -> E1rmEstimate | None:
    key = id(set_log)
    if key not in cache:
        cache[key] = estimate_set(set_log)
    return cache[key]


def _best_estimate(sets: Iterable[SetLog], cache: _Estimates) -> E1rmEstimate | None:
    best: E1rmEstimate | None = None
    for set_log in sets:
        est = _estimate(set_log, cache)
        if est is not None and (best is None or est.e1rm_kg > best.e1rm_kg):
            best = est
    return best


def _worst_pain(session: Session) -> int:
    return max((s.pain for s in session.sets), default=0)


def _planned(
    planned_per_week: int | None, profile: Profile | None, current: Exercise | None
) -> int:
    lo, hi = PLANNED_RANGE
    if planned_per_week is not None:
        return max(1, min(planned_per_week, 7))
    if profile is None or current is None:
        return PLANNED_DEFAULT
    _, suggested = sessions_per_week(profile, current)
    days = len(profile.days_available) or PLANNED_DEFAULT
    return max(lo, min(suggested, hi, days))


# ---------------------------------------------------------------- the series


def _records(
    sessions: Sequence[Session], catalogue: Catalogue, cache: _Estimates
) -> tuple[PersonalRecord, ...]:
    found: dict[str, dict[str, object]] = {}
    for session in sessions:
        ex = catalogue.exercises.get(session.exercise_id)
        if ex is None:
            continue
        rec = found.setdefault(ex.id, {"exercise_id": ex.id, "name": ex.name})
        for set_log in session.work_sets:
            est = _estimate(set_log, cache)
            best = rec.get("best_e1rm")
            if est is not None and (
                not isinstance(best, E1rmEstimate) or est.e1rm_kg > best.e1rm_kg
            ):
                rec["best_e1rm"], rec["best_e1rm_on"] = est, session.date
            if set_log.reps is None:
                continue
            if set_log.load_kg is not None and set_log.load_kg > 0:
                key = (set_log.load_kg, set_log.reps)
                old_load = rec.get("best_load_kg")
                old_reps = rec.get("best_load_reps")
                if (
                    not isinstance(old_load, float | int)
                    or not isinstance(old_reps, int)
                    or (key > (old_load, old_reps))
                ):
                    rec["best_load_kg"], rec["best_load_reps"] = key
                    rec["best_load_on"] = session.date
            most = rec.get("most_reps")
            if set_log.reps > 0 and (not isinstance(most, int) or set_log.reps > most):
                rec["most_reps"], rec["most_reps_on"] = set_log.reps, session.date
    records = [PersonalRecord.model_validate(r) for r in found.values()]
    records = [r for r in records if r.latest_on is not None]
    return tuple(sorted(records, key=lambda r: r.name))


def _volume(sessions: Sequence[Session], weeks: list[dt.date]) -> tuple[VolumeWeek, ...]:
    totals = {w: [0, 0, 0.0, 0] for w in weeks}
    for session in sessions:
        row = totals[_monday(session.date)]
        for set_log in session.work_sets:
            reps = set_log.reps or 0
            row[0] += 1
            row[1] += reps
            row[2] += (set_log.load_kg or 0.0) * reps
            rpe = set_log.effort_rpe
            if rpe is not None and rpe >= HARD_SET_RPE:
                row[3] += 1
    return tuple(
        VolumeWeek(
            week=w,
            work_sets=int(r[0]),
            reps=int(r[1]),
            tonnage_kg=round(float(r[2]), 1),
            hard_sets=int(r[3]),
        )
        for w, r in totals.items()
    )


def _faults(sessions: Sequence[Session], weeks: list[dt.date]) -> tuple[FaultWeek, ...]:
    counts: dict[dt.date, Counter[str]] = {w: Counter() for w in weeks}
    for session in sessions:
        for set_log in session.sets:
            if set_log.faults:
                counts[_monday(session.date)].update(set_log.faults)
    return tuple(FaultWeek(week=w, counts=dict(sorted(c.items()))) for w, c in counts.items())


def _adherence(
    sessions: Sequence[Session], weeks: list[dt.date], planned: int, as_of: dt.date
) -> tuple[AdherenceWeek, ...]:
    days: dict[dt.date, set[dt.date]] = {w: set() for w in weeks}
    for session in sessions:
        days[_monday(session.date)].add(session.date)
    current = _monday(as_of)
    return tuple(
        AdherenceWeek(week=w, done=len(d), planned=planned, partial=w >= current)
        for w, d in days.items()
    )


# ---------------------------------------------------------------- insights (R-TRACK-3)


def _fault_insights(
    recent: Sequence[Session], catalogue: Catalogue, current: Exercise | None, unit: Unit
) -> list[Insight]:
    sessions_with: Counter[str] = Counter()
    for session in recent:
        sessions_with.update({f for s in session.sets for f in s.faults})
    insights: list[Insight] = []
    for fault_id, count in sessions_with.most_common():
        if count < FAULT_REPEATS:
            continue
        fault = catalogue.faults.get(fault_id)
        label = fault_id.replace("-", " ").capitalize()
        text = f"{label} flagged in {count} of the last {len(recent)} sessions"
        rules = ["R-TRACK-3"]
        faulted = [s for x in recent for s in x.work_sets if fault_id in s.faults]
        clean = [s for x in recent for s in x.work_sets if fault_id not in s.faults]
        do: list[str] = []
        fault_loads = [s.load_kg for s in faulted]
        if faulted and all(load is not None for load in fault_loads):
            lowest = min(load for load in fault_loads if load is not None)
            below = [s.load_kg for s in clean if s.load_kg is not None and s.load_kg < lowest]
            text += f", all at {_kg(lowest, unit)} or more"
            if below:
                do.append(f"keep {_kg(max(below), unit)} for now")
            else:
                do.append(f"drop back one load step from {_kg(lowest, unit)}")
        sign = catalogue.signs.get(fault.sign.value) if fault and fault.sign else None
        if sign is not None:
            rules.insert(0, sign.rule)
            modifier = None
            if current is not None:
                usable = [m for m in sign.modifiers if m in current.modifiers]
                modifier = catalogue.modifiers.get(usable[0]) if usable else None
            if modifier is not None:
                step = f" at {modifier.steps[-1]}" if modifier.steps else ""
                do.append(f"use the {modifier.name.lower()}{step}")
            else:
                do.append(sign.action[0].lower() + sign.action[1:].rstrip("."))
        if fault is not None:
            do.append(fault.cue[0].lower() + fault.cue[1:].rstrip("."))
        if len(do) > 1:
            text += ": " + ", ".join(do[:-1]) + " and " + do[-1] + "."
        elif do:
            text += ": " + do[0] + "."
        else:
            text += "."
        insights.append(Insight(topic="faults", text=text, rules=tuple(rules), attention=True))
    return insights


def _pain_insights(recent: Sequence[Session], baseline: int) -> list[Insight]:
    insights: list[Insight] = []
    n = len(recent)
    stops = [s for s in recent if _worst_pain(s) >= PAIN_STOP]
    cautions = [s for s in recent if _worst_pain(s) >= PAIN_CAUTION]
    if stops:
        worst = max(stops, key=_worst_pain)
        insights.append(
            Insight(
                topic="pain",
                text=(
                    f"Pain reached {_worst_pain(worst)}/10 during a set on {_day(worst.date)}: "
                    "stop hinging on a day like that; the next session starts one rung lower."
                ),
                rules=("R-SAFE-3", "R-TRACK-3"),
                attention=True,
            )
        )
    elif cautions:
        worst = max(cautions, key=_worst_pain)
        insights.append(
            Insight(
                topic="pain",
                text=(
                    f"Pain of {PAIN_CAUTION}/10 or more during sets in {len(cautions)} of the "
                    f"last {n} sessions (worst {_worst_pain(worst)}/10 on {_day(worst.date)}): "
                    "finish the set, do not progress that day, and make the next set easier."
                ),
                rules=("R-SAFE-3", "R-TRACK-3"),
                attention=True,
            )
        )
    high = [
        s
        for s in recent
        if s.next_morning_pain is not None
        and s.next_morning_pain >= baseline + MORNING_ABOVE_BASELINE
    ]
    if high:
        insights.append(
            Insight(
                topic="pain",
                text=(
                    f"Next-morning pain was {MORNING_ABOVE_BASELINE} or more above your usual "
                    f"{baseline}/10 after {len(high)} of the last {n} sessions: hold the load, "
                    "take the next session a step easier, and see a clinician if it keeps rising."
                ),
                rules=("R-SAFE-5", "R-TRACK-3"),
                attention=True,
            )
        )
    if not insights and n:
        top = max(_worst_pain(s) for s in recent)
        said = f"Pain stayed at {top}/10 or less" if top else "No pain during sets"
        insights.append(
            Insight(
                topic="pain",
                text=(
                    f"{said} in the last {n} sessions: no pain rule held you back; "
                    "keep rating it after every set."
                ),
                rules=("R-SAFE-3", "R-TRACK-3"),
            )
        )
    return insights


def _adherence_insight(weeks: Sequence[AdherenceWeek], planned: int) -> list[Insight]:
    whole = [w for w in weeks if not w.partial][-ADHERENCE_WEEKS:]
    if not whole:
        return []
    done = sum(min(w.done, w.planned) for w in whole)
    wanted = sum(w.planned for w in whole)
    span = "the last week" if len(whole) == 1 else f"the last {len(whole)} weeks"
    if done >= wanted:
        text = (
            f"All {wanted} planned sessions done in {span} ({planned} a week): keep the same days."
        )
    else:
        short = [w for w in whole if w.done < w.planned]
        worst = min(short, key=lambda w: (w.done, w.week))
        text = (
            f"{done} of {wanted} planned sessions done in {span} "
            f"(week of {_day(worst.week)}: {worst.done} of {worst.planned}): "
            "if a day keeps slipping, choose days you can keep and let the plan re-plan the "
            "missed sessions; do not squeeze them closer than 48 h apart."
        )
    rules = ("R-PLAN-1", "R-PLAN-5", "R-TRACK-3")
    return [Insight(topic="adherence", text=text, rules=rules, attention=done < wanted)]


def _e1rm_insight(points: Sequence[E1rmPoint], catalogue: Catalogue, unit: Unit) -> list[Insight]:
    if not points:
        return []
    ex_id = points[-1].exercise_id
    run: list[E1rmPoint] = []
    for p in reversed(points):
        if p.exercise_id != ex_id:
            break
        run.append(p)
    run.reverse()
    name = _name(catalogue.exercises.get(ex_id), ex_id)
    if len(run) >= E1RM_FLAT_SESSIONS:
        last = run[-E1RM_FLAT_SESSIONS:]
        values = [p.e1rm_kg for p in last]
        if max(values) - min(values) <= E1RM_FLAT_PCT * values[0] or values[-1] < values[0]:
            return [
                Insight(
                    topic="e1rm",
                    text=(
                        f"Estimated 1RM on {name} has not risen in {E1RM_FLAT_SESSIONS} "
                        f"sessions (about {_kg(round(values[-1]), unit)}): take the deload week "
                        "early (half the sets, 10-20 % lighter, RPE 6 or less), then build again."
                    ),
                    rules=("R-PLAN-4", "R-TRACK-3"),
                    attention=True,
                )
            ]
    # R-PROG-5, R-TRACK-3: "rose" only when the whole numbers shown (kg or lb) differ, and
    # the percentage is computed from those same numbers (never "from 12 kg to 12 kg (+4 %)")
    shown_first, shown_last = (
        (round(to_unit(run[0].e1rm_kg, unit)), round(to_unit(run[-1].e1rm_kg, unit)))
        if run
        else (0, 0)
    )
    if len(run) >= 2 and shown_last > shown_first > 0:
        first = run[0]
        gain = 100 * (shown_last / shown_first - 1)
        return [
            Insight(
                topic="e1rm",
                text=(
                    f"Estimated 1RM on {name} rose from {shown_first} {unit} to "
                    f"{shown_last} {unit} (+{gain:.0f} %) since {_day(first.date)}: "
                    "keep adding load only when the reps and effort say so; "
                    "the estimate is a lower bound, not a target."
                ),
                rules=("R-PROG-5", "R-TRACK-3"),
            )
        ]
    return []


def _record_insight(
    records: Sequence[PersonalRecord], last_day: dt.date, unit: Unit
) -> list[Insight]:
    out: list[Insight] = []
    for rec in records:
        if rec.best_load_on == last_day and rec.best_load_kg is not None:
            out.append(
                Insight(
                    topic="records",
                    text=(
                        f"New best on {_name(None, rec.name)}: {_kg(rec.best_load_kg, unit)} x "
                        f"{rec.best_load_reps} on {_day(last_day)}. Repeat it clean before "
                        "adding more."
                    ),
                    rules=("R-PROG-2", "R-TRACK-2"),
                )
            )
    return out


def _rung_insight(points: Sequence[RungPoint]) -> list[Insight]:
    if not points:
        return []
    last = points[-1]
    since = last
    for p in reversed(points):
        if p.exercise_id != last.exercise_id:
            break
        since = p
    count = sum(1 for p in points if p.exercise_id == last.exercise_id and p.date >= since.date)
    where = f"{_name(None, last.name)} (stage {last.stage}, {last.stage_label})"
    text = (
        f"On {where} since {_day(since.date)}: "
        f"{_plural(count, 'session')}. It moves up a rung after clean sessions at the top of "
        "the range with pain of 2/10 or less."
    )
    return [Insight(topic="rung", text=text, rules=("R-PROG-1", "R-TRACK-2"))]


# ---------------------------------------------------------------- the whole


def progress(
    history: History,
    catalogue: Catalogue,
    *,
    profile: Profile | None = None,
    planned_per_week: int | None = None,
    as_of: dt.date | None = None,
) -> Progress:
    """Everything the progress page shows, from the history alone (R-TRACK-2/3)."""
    positions = _positions(catalogue)
    hinge: list[Session] = []
    exercises: dict[str, Exercise] = {}
    for session in history.sessions:
        ex = catalogue.exercises.get(session.exercise_id)
        if ex is None or not ex.is_hinge or ex.stage is None:
            continue
        exercises[ex.id] = ex
        hinge.append(session)
    current = exercises[hinge[-1].exercise_id] if hinge else None
    planned = _planned(planned_per_week, profile, current)
    last_day = history.sessions[-1].date if history.sessions else None
    as_of = as_of or last_day
    if not hinge or as_of is None:
        return Progress(
            as_of=as_of,
            planned_per_week=planned,
            records=_records(history.sessions, catalogue, {}),
        )
    as_of = max(as_of, hinge[-1].date)
    weeks = _weeks(hinge[0].date, as_of)

    cache: _Estimates = {}
    rung: list[RungPoint] = []
    e1rm: list[E1rmPoint] = []
    pain: list[PainPoint] = []
    for session in hinge:
        ex = exercises[session.exercise_id]
        assert ex.stage is not None
        rung.append(
            RungPoint(
                date=session.date,
                exercise_id=ex.id,
                name=ex.name,
                stage=int(ex.stage),
                stage_label=ex.stage.label,
                position=positions.get(ex.id, 0),
            )
        )
        best = _best_estimate(session.work_sets, cache)
        if best is not None:
            e1rm.append(
                E1rmPoint(
                    date=session.date,
                    exercise_id=ex.id,
                    e1rm_kg=best.e1rm_kg,
                    low_kg=best.low_kg,
                    high_kg=best.high_kg,
                    load_kg=best.load_kg,
                    reps=best.reps,
                    rpe=best.rpe,
                )
            )
        pain.append(
            PainPoint(
                date=session.date,
                exercise_id=ex.id,
                worst_set_pain=_worst_pain(session),
                next_morning_pain=session.next_morning_pain,
            )
        )
    adherence = _adherence(hinge, weeks, planned, as_of)
    records = _records(history.sessions, catalogue, cache)
    recent = hinge[-RECENT_SESSIONS:]
    baseline = profile.baseline_pain if profile is not None else 0
    unit: Unit = profile.unit if profile is not None else "kg"
    insights = [
        *_fault_insights(recent, catalogue, current, unit),
        *_pain_insights(recent, baseline),
        *_e1rm_insight(e1rm, catalogue, unit),
        *_adherence_insight(adherence, planned),
        *_record_insight(records, hinge[-1].date, unit),
        *_rung_insight(rung),
    ]
    return Progress(
        as_of=as_of,
        planned_per_week=planned,
        rung=tuple(rung),
        e1rm=tuple(e1rm),
        volume=_volume(hinge, weeks),
        faults=_faults(hinge, weeks),
        pain=tuple(pain),
        adherence=adherence,
        records=records,
        insights=tuple(insights),
    )
