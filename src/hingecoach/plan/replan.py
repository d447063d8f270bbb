"""Re-planning from what actually happened (R-PLAN-5).

:func:`replan` reads the history up to ``as_of`` and marks each past session of the plan
done, moved (trained on another day of the same week) or missed. Past weeks stay as they
were planned; the history is only read, never changed. The rest of the plan is rebuilt
from the history: the primary is whatever the coach prescribes now (so a progression or a
regression carries through every later week), the overload restarts from there, a deload
comes early if the history calls for one (R-PLAN-4), and dates that are now too close to
the last session are moved or dropped (R-PLAN-1). A missed session is not made up: the next
one keeps the primary, at the dose last earned. Every change carries its reason.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from hingecoach.coach import History, Placement, Profile, ScreenAnswers, Session, prescribe
from hingecoach.coach.other_training import is_other_training, other_training_name
from hingecoach.knowledge import Catalogue
from hingecoach.plan.models import (
    Plan,
    PlanChange,
    PlanSession,
    PlanWeek,
    Reason,
    SessionStatus,
    WeekKind,
    day_label,
)
from hingecoach.plan.planner import FixedWeek, assemble, first_monday
from hingecoach.units import Unit, format_load

__all__ = ["replan"]


def _logged_summary(sessions: list[Session], catalogue: Catalogue, unit: Unit) -> tuple[str, ...]:
    """``Kettlebell deadlift: 10/10/9 reps at 16 kg`` for each session logged on a day."""
    lines = []
    for session in sessions:
        ex = catalogue.exercises.get(session.exercise_id)
        name = ex.name if ex is not None else session.exercise_id
        if is_other_training(session, catalogue):
            name = other_training_name(session)  # as the other app named it
        work = session.work_sets
        if not work:
            lines.append(f"{name}: no work sets")
            continue
        if all(s.seconds is not None for s in work):
            dose = "/".join(f"{s.seconds:g}" for s in work) + " s"
        else:
            dose = "/".join(str(s.reps) for s in work if s.reps is not None) + " reps"
        loads = sorted({s.load_kg for s in work if s.load_kg is not None})
        bands = sorted({s.band for s in work if s.band is not None})
        at = ""
        if loads:
            shown = [format_load(x, unit, with_unit=False) for x in loads]
            at = " at " + "/".join(dict.fromkeys(shown)) + f" {unit}"
        elif bands:
            at = " with the " + "/".join(bands) + " band"
        lines.append(f"{name}: {dose}{at}")
    return tuple(lines)


def _day(d: dt.date) -> str:
    return day_label(d)


def replan(
    plan: Plan,
    profile: Profile,
    history: History,
    catalogue: Catalogue,
    *,
    as_of: dt.date,
    placement_or_current_exercise: Placement | str | None = None,
    screen_answers: ScreenAnswers | None = None,
) -> Plan:
    """The plan as it stands on ``as_of``: the past marked from the history, the rest
    rebuilt from it (R-PLAN-5). Sessions after ``as_of`` in the history are ignored."""
    lived = History(sessions=tuple(s for s in history.sessions if s.date <= as_of))
    decision, rx = prescribe(
        profile,
        lived,
        catalogue,
        placement_or_current_exercise=placement_or_current_exercise,
        screen_answers=screen_answers,
    )
    monday = (
        plan.plan_weeks[0].starts_on if plan.plan_weeks else first_monday(plan.start, plan.schedule)
    )
    by_day: dict[dt.date, list[Session]] = defaultdict(list)
    hinge_days: set[dt.date] = set()
    for session in lived.sessions:
        if session.date < plan.start:
            continue
        by_day[session.date].append(session)
        ex = catalogue.exercises.get(session.exercise_id)
        if ex is not None and ex.is_hinge:
            hinge_days.add(session.date)

    changes: list[PlanChange] = []
    fixed: dict[int, FixedWeek] = {}
    done = missed = moved = 0
    old_future_primary: str | None = None
    for week in plan.plan_weeks:
        if week.starts_on > as_of:
            if old_future_primary is None:
                old_future_primary = _first_primary(week.sessions)
            continue
        last_day = min(week.ends_on, as_of)
        logs = sorted(d for d in hinge_days if week.starts_on <= d <= last_day)
        kept: list[PlanSession] = []
        open_: list[PlanSession] = []
        for s in week.sessions:
            if s.status is SessionStatus.DROPPED and s.date < as_of:
                kept.append(s)
            elif s.status is not SessionStatus.DROPPED:
                open_.append(s)
        notes = list(week.notes)
        # 1. trained on the planned day
        for s in list(open_):
            if s.date in logs:
                logs.remove(s.date)
                open_.remove(s)
                kept.append(
                    s.model_copy(
                        update={
                            "status": SessionStatus.DONE,
                            "logged": _logged_summary(by_day[s.date], catalogue, profile.unit),
                        }
                    )
                )
                done += 1
        # 2. trained on another day of the week: the next open session, moved there
        for day in list(logs):
            if not open_:
                break
            s = open_.pop(0)
            logs.remove(day)
            was = s.planned_for or s.date
            kept.append(
                s.model_copy(
                    update={
                        "date": day,
                        "planned_for": was,
                        "status": SessionStatus.MOVED,
                        "logged": _logged_summary(by_day[day], catalogue, profile.unit),
                    }
                )
            )
            moved += 1
            if s.status is not SessionStatus.MOVED:
                text = f"Trained on {_day(day)} instead of {_day(was)}."
                changes.append(PlanChange(on=as_of, text=text, rules=("R-PLAN-5",)))
        # 3. the rest: missed if their day has passed, else still open for the rebuild
        still_open: list[PlanSession] = []
        newly_missed: list[PlanSession] = []
        for s in open_:
            if s.date < as_of or (s.date == as_of and s.date in hinge_days):
                kept.append(s.model_copy(update={"status": SessionStatus.MISSED, "logged": ()}))
                missed += 1
                if s.status is not SessionStatus.MISSED:
                    newly_missed.append(s)
            else:
                still_open.append(s)
        for day in logs:
            notes.append(
                Reason(
                    text=f"An extra hinge session on {_day(day)}, not in the plan: "
                    + "; ".join(_logged_summary(by_day[day], catalogue, profile.unit))
                    + ". It counts for recovery.",
                    rules=("R-PLAN-5", "R-PLAN-1"),
                )
            )
        if newly_missed and rx is not None:
            names = " and ".join(_day(s.date) for s in newly_missed)
            ahead = [s for s in still_open if s.date > max(x.date for x in newly_missed)]
            nxt = f"{ahead[0].date.strftime('%A')}'s session" if ahead else "The next session"
            text = (
                f"Rebuilt on {_day(as_of)}: {names} was missed. It is not made up, since "
                "squeezing it in would break the recovery gap. "
                f"{nxt} keeps the primary, {rx.exercise_name.lower()}, at the dose you last "
                "earned."
            )
            notes.append(Reason(text=text, rules=("R-PLAN-5", "R-PLAN-1")))
            changes.append(PlanChange(on=as_of, text=text, rules=("R-PLAN-5",)))
        if old_future_primary is None and still_open:
            old_future_primary = _first_primary(tuple(still_open))
        kept.sort(key=lambda s: (s.date, s.slot))
        fixed[week.number] = FixedWeek(
            kind=week.kind,
            reason=week.reason,
            sessions=tuple(kept),
            notes=tuple(dict.fromkeys(notes)),
            taken_slots=frozenset(s.slot for s in kept),
            complete=week.ends_on < as_of,
            missed_variant=newly_missed[-1].variant if newly_missed and still_open else None,
        )

    if rx is not None and old_future_primary not in (None, rx.exercise_id):
        before = catalogue.exercises.get(old_future_primary or "")
        changes.append(
            PlanChange(
                on=as_of,
                text=f"The coach moved you from the {before.name.lower() if before else '?'} "
                f"to the {rx.exercise_name.lower()}: {decision.reason} The rest of the plan is "
                f"rebuilt on the {rx.exercise_name.lower()}.",
                rules=tuple(dict.fromkeys((*decision.rules, "R-PLAN-5"))),
            )
        )
    if rx is None:
        weeks = tuple(
            PlanWeek(
                number=n,
                starts_on=monday + dt.timedelta(weeks=n - 1),
                kind=w.kind,
                reason=w.reason,
                sessions=w.sessions,
                notes=w.notes,
            )
            for n, w in sorted(fixed.items())
        )
        changes.append(
            PlanChange(
                on=as_of,
                text=f"No hinge sessions are planned from here: {decision.reason} "
                f"{decision.do_now}",
                rules=tuple(dict.fromkeys((*decision.rules, "R-PLAN-5"))),
            )
        )
    else:
        weeks = assemble(
            profile=profile,
            history=lived,
            catalogue=catalogue,
            schedule=plan.schedule,
            start=plan.start,
            monday=monday,
            weeks=plan.weeks,
            deload_every=plan.deload_every,
            rx=rx,
            future_from=as_of,
            fixed=fixed,
        )
        old_kinds = {w.number: w.kind for w in plan.plan_weeks}
        for w in weeks:
            if w.kind is WeekKind.DELOAD and old_kinds.get(w.number) is WeekKind.BUILD:
                changes.append(
                    PlanChange(
                        on=as_of, text=f"Week {w.number}: {w.reason.text}", rules=w.reason.rules
                    )
                )
            for s in w.sessions:
                if s.date >= as_of and s.notes and s.status is not SessionStatus.DONE:
                    for note in s.notes:
                        changes.append(PlanChange(on=as_of, text=note.text, rules=note.rules))
    summary = PlanChange(
        on=as_of,
        text=f"Re-planned from your history on {_day(as_of)}: {done} done on the day, "
        f"{moved} moved, {missed} missed.",
        rules=("R-PLAN-5",),
    )
    merged = {(c.text, c.on): c for c in (*plan.changes, *changes, summary)}
    return plan.model_copy(
        update={
            "as_of": as_of,
            "decision": decision,
            "plan_weeks": weeks,
            "changes": tuple(merged.values()),
        }
    )


def _first_primary(sessions: tuple[PlanSession, ...]) -> str | None:
    for s in sessions:
        p = s.primary
        if p is not None:
            return p.exercise_id
    return None
