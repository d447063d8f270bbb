"""Building a plan: the week (R-PLAN-1), the sessions (R-PLAN-2/3), the cycle (R-PLAN-4).

:func:`build_plan` is a pure function of the profile, the history before ``start`` and the
catalogue. :func:`assemble` lays out the weeks from a given day on; :func:`replan` (in
:mod:`hingecoach.plan.replan`) uses it to rebuild the rest of a plan from what happened.

Weeks are calendar weeks, Monday to Sunday; week 1 is the week of ``start`` (or the next
one, when no training day is left in it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from hingecoach.coach import (
    Decision,
    History,
    Placement,
    Prescription,
    Profile,
    ScreenAnswers,
    Session,
    Weekday,
    prescribe,
)
from hingecoach.coach.dose import sessions_per_week as goal_sessions
from hingecoach.coach.other_training import OtherTrainingDay
from hingecoach.errors import ScheduleRefusedError
from hingecoach.knowledge import Catalogue
from hingecoach.plan.cycle import check_cycle, early_deload, week_blocks
from hingecoach.plan.defaults import (
    DEFAULT_DAYS,
    DELOAD_EVERY,
    HARD_GAP_H,
    HARD_SESSION_RPE,
    MIN_GAP_H,
    SESSIONS_PER_WEEK,
)
from hingecoach.plan.models import (
    WEEKDAYS,
    Plan,
    PlannedExercise,
    PlanSession,
    PlanWeek,
    Reason,
    Schedule,
    ScheduleRefusal,
    SessionBlock,
    SessionStatus,
    WeekKind,
    day_label,
)
from hingecoach.plan.other_load import (
    gap_after_h,
    hinge_sets,
    read_other_load,
    week_load,
    without_accessory_hinge,
)
from hingecoach.plan.schedule import choose_schedule
from hingecoach.plan.structure import Variant, lay_out
from hingecoach.units import Unit, format_load

__all__ = ["FixedWeek", "assemble", "build_plan", "hard_session", "plan_schedule"]

_DAY_H = 24
_VARIANTS: tuple[Variant, Variant] = ("A", "B")


def hard_session(session: Session) -> bool:
    """R-PLAN-1: a session with hinge work sets at RPE 9.5 or more (one is enough)."""
    return any(
        (rpe := s.effort_rpe) is not None and rpe >= HARD_SESSION_RPE for s in session.work_sets
    )


def plan_schedule(
    profile: Profile,
    catalogue: Catalogue,
    rx: Prescription | None,
    *,
    sessions_per_week: int | None = None,
    days: Sequence[Weekday] | None = None,
) -> Schedule | ScheduleRefusal:
    """The week for this person and rung (R-PLAN-1 with the goal's sessions, R-RX-3)."""
    suggested = SESSIONS_PER_WEEK
    if rx is not None:
        suggested = goal_sessions(profile, catalogue.exercises[rx.exercise_id])
    given = list(days) if days is not None else list(profile.days_available)
    return choose_schedule(given, profile.goal, suggested, wanted=sessions_per_week)


@dataclass(frozen=True)
class FixedWeek:
    """A week (or the start of one) already lived: kept as it was, never rewritten."""

    kind: WeekKind
    reason: Reason
    sessions: tuple[PlanSession, ...]
    notes: tuple[Reason, ...] = ()
    taken_slots: frozenset[int] = field(default_factory=frozenset)
    complete: bool = False  # the whole week is in the past
    missed_variant: Variant | None = None  # a missed session's variant, taken by the next one

    @property
    def trained(self) -> bool:
        return any(s.status in (SessionStatus.DONE, SessionStatus.MOVED) for s in self.sessions)


def first_monday(start: dt.date, schedule: Schedule) -> dt.date:
    """The Monday of week 1: the week of ``start``, or the next if no training day is left."""
    monday = start - dt.timedelta(days=start.weekday())
    if all(WEEKDAYS.index(d) < start.weekday() for d in schedule.days):
        monday += dt.timedelta(days=7)
    return monday


def _summary(p: PlannedExercise | None, unit: Unit) -> str:
    if p is None:
        return "-"
    each = f"{p.seconds} s" if p.seconds is not None else str(p.reps.target if p.reps else "")
    load = f" at {format_load(p.load_kg, unit)}" if p.load_kg is not None else ""
    return f"{p.sets} x {each}{load}"


def _primary(blocks: Sequence[SessionBlock]) -> PlannedExercise | None:
    for block in blocks:
        if block.purpose.value == "primary":
            return block.exercises[0]
    return None


@dataclass
class _Recovery:
    """Where the last hinge session, and any hard leg day of other training just before the
    plan, left the person (R-PLAN-1 gaps; a leg day on the same day is one training day)."""

    last: dt.date | None
    hard: bool
    legs: tuple[OtherTrainingDay, ...] = ()

    def ready(self, day: dt.date) -> bool:
        return self.wait(day) is None

    def wait(self, day: dt.date) -> str | None:
        """Why ``day`` is too soon, as "48 h after Monday 3 March", or None."""
        if self.last is not None and (day - self.last).days * _DAY_H < self.need_h():
            return f"{self.need_h()} h after {day_label(self.last)}"
        for leg_day in self.legs:
            gap = (day - leg_day.date).days * _DAY_H
            if 0 < gap < gap_after_h(leg_day):
                return (
                    f"{gap_after_h(leg_day)} h after your leg training on "
                    f"{day_label(leg_day.date)} ({leg_day.legs_label()})"
                )
        return None

    def need_h(self) -> int:
        return HARD_GAP_H if self.hard else MIN_GAP_H


def _place(
    dates: list[tuple[int, dt.date]],
    recovery: _Recovery,
    available: Sequence[int],
    week_end: dt.date,
    next_after_week: dt.date | None,
) -> list[tuple[int, dt.date, dt.date | None, Reason | None]]:
    """Fit a week's planned dates to recovery (R-PLAN-1): keep, move later in the week to
    another of the person's days, or drop. Returns ``(slot, date, planned_for, note)``;
    a dropped session has the note and ``planned_for`` of ``None`` and is not trained."""
    placed: list[tuple[int, dt.date, dt.date | None, Reason | None]] = []
    for i, (slot, day) in enumerate(dates):
        if recovery.ready(day):
            placed.append((slot, day, None, None))
            recovery.last, recovery.hard = day, False
            continue
        following = dates[i + 1][1] if i + 1 < len(dates) else next_after_week
        taken = {d for _, d in dates}
        moved_to = None
        probe = day + dt.timedelta(days=1)
        while probe <= week_end:
            fits_next = following is None or (following - probe).days * _DAY_H >= MIN_GAP_H
            if (
                probe.weekday() in available
                and probe not in taken
                and recovery.ready(probe)
                and fits_next
            ):
                moved_to = probe
                break
            probe += dt.timedelta(days=1)
        gap_text = recovery.wait(day)
        assert gap_text is not None  # not ready, so something to wait for
        if moved_to is not None:
            placed.append(
                (
                    slot,
                    moved_to,
                    day,
                    Reason(
                        text=f"Moved from {day.strftime('%A')} to {moved_to.strftime('%A')}: "
                        f"the next hinge session should be at least {gap_text}.",
                        rules=("R-PLAN-1", "R-PLAN-5"),
                    ),
                )
            )
            recovery.last, recovery.hard = moved_to, False
        else:
            placed.append(
                (
                    slot,
                    day,
                    None,
                    Reason(
                        text=f"Dropped: {day.strftime('%A')} is too soon. The next hinge "
                        f"session should be at least {gap_text}, and none of your days "
                        "this week fits before the next session.",
                        rules=("R-PLAN-1", "R-PLAN-5"),
                    ),
                )
            )
    return placed


def _week_reason(
    kind: WeekKind,
    *,
    number: int,
    deload_every: int,
    early: Reason | None,
    previous: WeekKind | None,
    before: PlannedExercise | None,
    now: PlannedExercise | None,
    notes: Sequence[str],
    unit: Unit = "kg",
) -> Reason:
    if kind is WeekKind.DELOAD:
        how = (
            "Same days and exercises, about half the sets, loads 10-20 % lighter, nothing "
            "harder than RPE 6. It is not a week off."
        )
        if early is not None:
            return Reason(text=f"{early.text} {how}", rules=early.rules)
        return Reason(
            text=f"Deload week: one every {deload_every} weeks. {how}", rules=("R-PLAN-4",)
        )
    extra = (" " + " ".join(dict.fromkeys(notes))) if notes else ""
    if previous is None:
        return Reason(
            text=f"Week {number}: the coach's prescription as it stands.{extra}",
            rules=("R-PLAN-4", "R-RX-1"),
        )
    if previous is WeekKind.DELOAD:
        return Reason(
            text="Back to your pre-deload dose, then building again." + extra,
            rules=("R-PLAN-4",),
        )
    if _summary(before, unit) != _summary(now, unit):
        text = f"Build: a small step up from last week, primary {_summary(before, unit)} -> " + (
            f"{_summary(now, unit)}; one more rep on the other blocks.{extra}"
        )
    else:
        text = (
            f"Build: the primary holds at {_summary(now, unit)}, the top of its range: keep every "
            "rep clean, and the coach moves you on when you have earned it (R-PROG-1). One more "
            f"rep on the other blocks.{extra}"
        )
    return Reason(text=text, rules=("R-PLAN-4", "R-PROG-2"))


def assemble(
    *,
    profile: Profile,
    history: History,
    catalogue: Catalogue,
    schedule: Schedule,
    start: dt.date,
    monday: dt.date,
    weeks: int,
    deload_every: int,
    rx: Prescription,
    future_from: dt.date,
    fixed: Mapping[int, FixedWeek] | None = None,
) -> tuple[PlanWeek, ...]:
    """The plan's weeks: fixed weeks as they were, the rest built from ``future_from`` on
    from the history (which holds nothing after ``future_from``) and the prescription.

    Sessions alternate variants A and B by their place in the week (Monday A, Wednesday B,
    Friday A), so every week, deloads included, has the same days and exercises; in a week
    rebuilt after a missed session, the next session takes the missed one's variant."""
    fixed = fixed or {}
    equipment = profile.equipment
    templates = {v: lay_out(profile, history, catalogue, rx, variant=v) for v in _VARIANTS}
    other = read_other_load(history, catalogue, before=future_from, plan_from=monday)
    left_out: list[str] = []
    if other.heavy:  # R-PLAN-4: the legs and hips get their weekly dose elsewhere already
        for v in _VARIANTS:
            templates[v], dropped = without_accessory_hinge(templates[v])
            if dropped is not None:
                left_out.append(dropped.name)
    day_index = [WEEKDAYS.index(d) for d in schedule.days]
    own_days = profile.days_available or [Weekday(d) for d in DEFAULT_DAYS]
    available = sorted({WEEKDAYS.index(d) for d in own_days} | set(day_index))
    hinge = [
        s
        for s in history.sessions
        if (ex := catalogue.exercises.get(s.exercise_id)) is not None and ex.is_hinge
    ]
    recovery = _Recovery(
        hinge[-1].date if hinge else None,
        hard_session(hinge[-1]) if hinge else False,
        other.spacing_days(future_from),
    )

    last_deload = 0
    last_deload_end: dt.date | None = None
    for n, week in fixed.items():
        if week.kind is WeekKind.DELOAD and n > last_deload:
            last_deload = n
            last_deload_end = monday + dt.timedelta(weeks=n - 1, days=6)
    early = early_deload(profile, history, catalogue, since=last_deload_end)

    result: list[PlanWeek] = []
    made: dict[tuple[Variant, WeekKind, int], tuple[tuple[SessionBlock, ...], list[str]]] = {}
    previous: WeekKind | None = None
    steps = 0
    future_started = False
    prev_primary: PlannedExercise | None = None
    for n in range(1, weeks + 1):
        starts_on = monday + dt.timedelta(weeks=n - 1)
        ends_on = starts_on + dt.timedelta(days=6)
        kept = fixed.get(n)
        if kept is not None and kept.complete:
            load = week_load(
                other,
                starts_on=starts_on,
                ahead=False,
                kind=kept.kind,
                hinge=hinge_sets(kept.sessions, history, catalogue),
            )
            result.append(
                PlanWeek(
                    number=n,
                    starts_on=starts_on,
                    kind=kept.kind,
                    reason=kept.reason,
                    sessions=kept.sessions,
                    notes=kept.notes,
                    load=load,
                )
            )
            continue
        # the kind of this week
        early_here: Reason | None = None
        if kept is not None:
            kind = kept.kind
            if early is not None and kind is WeekKind.BUILD and not kept.trained:
                kind, early_here, early = WeekKind.DELOAD, early, None
        elif early is not None:
            kind, early_here, early = WeekKind.DELOAD, early, None
        elif n - last_deload >= deload_every:
            kind = WeekKind.DELOAD
        else:
            kind = WeekKind.BUILD
        if kind is WeekKind.DELOAD:
            last_deload = n
        # the overload step: none in the first week built, none across a deload
        if future_started and kind is WeekKind.BUILD and previous is WeekKind.BUILD:
            steps += 1
        week_notes: list[str] = []
        built: dict[Variant, tuple[SessionBlock, ...]] = {}
        for v in _VARIANTS:
            key = (v, kind, steps)
            if key not in made:  # weeks that hold at the top of the range repeat a dose
                made[key] = week_blocks(
                    templates[v], kind=kind, steps=steps, equipment=equipment, unit=profile.unit
                )
            built[v], notes = made[key]
            week_notes.extend(notes)
        # dates: the schedule's days in this week, from future_from on, not already taken
        taken = kept.taken_slots if kept is not None else frozenset()
        dates = [
            (slot, starts_on + dt.timedelta(days=i))
            for slot, i in enumerate(day_index)
            if slot not in taken and starts_on + dt.timedelta(days=i) >= max(start, future_from)
        ]
        next_monday = ends_on + dt.timedelta(days=1)
        next_first = next_monday + dt.timedelta(days=day_index[0]) if n < weeks else None
        sessions = list(kept.sessions) if kept is not None else []
        swapped = False
        for slot, day, planned_for, note in _place(dates, recovery, available, ends_on, next_first):
            if note is not None and planned_for is None:
                sessions.append(
                    PlanSession(date=day, slot=slot, status=SessionStatus.DROPPED, notes=(note,))
                )
                continue
            variant = _VARIANTS[slot % 2]
            if kept is not None and kept.missed_variant is not None and not swapped:
                variant, swapped = kept.missed_variant, True
            sessions.append(
                PlanSession(
                    date=day,
                    slot=slot,
                    variant=variant,
                    blocks=built[variant],
                    planned_for=planned_for,
                    notes=(note,) if note is not None else (),
                )
            )
        sessions.sort(key=lambda s: (s.date, s.slot))
        now_primary = _primary(built["A"])
        reason = (
            kept.reason
            if kept is not None and early_here is None
            else _week_reason(
                kind,
                unit=profile.unit,
                number=n,
                deload_every=deload_every,
                early=early_here,
                previous=previous,
                before=prev_primary,
                now=now_primary,
                notes=week_notes,
            )
        )
        planned_here = any(s.status is SessionStatus.PLANNED for s in sessions)
        result.append(
            PlanWeek(
                number=n,
                starts_on=starts_on,
                kind=kind,
                reason=reason,
                sessions=tuple(sessions),
                notes=kept.notes if kept is not None else (),
                load=week_load(
                    other,
                    starts_on=starts_on,
                    ahead=ends_on >= future_from,
                    kind=kind,
                    hinge=hinge_sets(sessions, history, catalogue),
                    left_out=left_out if planned_here else (),
                ),
            )
        )
        future_started = True
        previous = kind
        if kind is WeekKind.BUILD:
            prev_primary = now_primary
    return tuple(result)


def build_plan(
    profile: Profile,
    history: History,
    catalogue: Catalogue,
    *,
    weeks: int,
    start: dt.date,
    deload_every: int = DELOAD_EVERY,
    placement_or_current_exercise: Placement | str | None = None,
    screen_answers: ScreenAnswers | None = None,
    sessions_per_week: int | None = None,
    days: Sequence[Weekday] | None = None,
) -> Plan:
    """A cycle of ``weeks`` weeks from ``start`` (R-PLAN-1..4), from the history before it.

    The primary of every session is the coach's prescription (:func:`prescribe`, with
    ``placement_or_current_exercise`` and ``screen_answers`` as there), built on week to
    week. ``sessions_per_week`` (2 or 3) and ``days`` override the goal's suggestion and
    the profile's days. Raises :class:`ScheduleRefusedError` when the days cannot hold the
    sessions (R-PLAN-1); when the coach blocks hinging, the plan has no weeks and its
    ``decision`` says why.
    """
    check_cycle(weeks, deload_every)
    before = History(sessions=tuple(s for s in history.sessions if s.date < start))
    decision, rx = prescribe(
        profile,
        before,
        catalogue,
        placement_or_current_exercise=placement_or_current_exercise,
        screen_answers=screen_answers,
    )
    return _plan(
        profile,
        before,
        catalogue,
        decision,
        rx,
        weeks=weeks,
        start=start,
        deload_every=deload_every,
        sessions_per_week=sessions_per_week,
        days=days,
    )


def _plan(
    profile: Profile,
    history: History,
    catalogue: Catalogue,
    decision: Decision,
    rx: Prescription | None,
    *,
    weeks: int,
    start: dt.date,
    deload_every: int,
    sessions_per_week: int | None,
    days: Sequence[Weekday] | None,
) -> Plan:
    schedule = plan_schedule(profile, catalogue, rx, sessions_per_week=sessions_per_week, days=days)
    if isinstance(schedule, ScheduleRefusal):
        if rx is None and schedule.alternative is not None:
            schedule = schedule.alternative  # nothing to plan anyway; the decision says why
        else:
            raise ScheduleRefusedError(schedule)
    plan_weeks: tuple[PlanWeek, ...] = ()
    if rx is not None:
        plan_weeks = assemble(
            profile=profile,
            history=history,
            catalogue=catalogue,
            schedule=schedule,
            start=start,
            monday=first_monday(start, schedule),
            weeks=weeks,
            deload_every=deload_every,
            rx=rx,
            future_from=start,
        )
    return Plan(
        name=profile.name,
        goal=profile.goal,
        start=start,
        weeks=weeks,
        deload_every=deload_every,
        as_of=start,
        schedule=schedule,
        decision=decision,
        plan_weeks=plan_weeks,
    )
