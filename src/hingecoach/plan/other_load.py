"""Other training in the plan: counted for the gap (R-PLAN-1) and the week's load (R-PLAN-4).

Other training is what someone brought in from another app under a name that is not a
catalogue exercise (:mod:`hingecoach.coach.other_training`). It never steers the hinge
work itself (the primary is the coach's prescription, read from hinge sessions only), but
the plan counts it:

- **The gap** (R-PLAN-1): a hard day for the legs and hips keeps the next hinge session
  48 h away (72 h after sets at RPE 9.5 or more), as a hinge session does; a session too
  close is moved or dropped with that reason.
- **The week's load** (R-PLAN-4): every week with other training shows it beside the hinge
  work sets. Weeks gone show what was logged; weeks ahead show what the last
  ``OTHER_LOAD_WEEKS`` weeks held. When that alone is ``OTHER_LEGS_SETS_ENOUGH`` work sets a
  week or more, the plan leaves out the light accessory hinge (the last block, R-PLAN-2),
  and a deload week asks for the other training to be eased the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from hingecoach.coach import History
from hingecoach.coach.other_training import (
    OtherTrainingDay,
    join_names,
    other_training_days,
)
from hingecoach.knowledge import Catalogue
from hingecoach.plan.defaults import (
    DELOAD_RPE_MAX,
    HARD_GAP_H,
    HARD_SESSION_RPE,
    MIN_GAP_H,
    OTHER_LEGS_SETS_ENOUGH,
    OTHER_LOAD_WEEKS,
)
from hingecoach.plan.models import (
    BlockPurpose,
    PlannedExercise,
    PlanSession,
    Reason,
    SessionBlock,
    SessionStatus,
    WeekKind,
    WeekLoad,
)

__all__ = [
    "OtherLoad",
    "gap_after_h",
    "hinge_sets",
    "read_other_load",
    "week_load",
    "without_accessory_hinge",
]

_DAY_H = 24


def gap_after_h(day: OtherTrainingDay) -> int:
    """R-PLAN-1: hours from a hard leg day to the next hinge session."""
    hard = day.legs_top_rpe is not None and day.legs_top_rpe >= HARD_SESSION_RPE
    return HARD_GAP_H if hard else MIN_GAP_H


@dataclass(frozen=True)
class OtherLoad:
    """The person's other training, as the plan reads it."""

    days: tuple[OtherTrainingDay, ...]  # every day with other training, oldest first
    sets_a_week: int  # work sets for the legs and hips a week, over the recent weeks
    days_a_week: int  # days with such work a week, over the recent weeks
    names: tuple[str, ...]  # what that recent work was

    @property
    def heavy(self) -> bool:
        """R-PLAN-4: enough for the legs and hips on its own; no accessory hinge."""
        return self.sets_a_week >= OTHER_LEGS_SETS_ENOUGH

    def spacing_days(self, before: dt.date) -> tuple[OtherTrainingDay, ...]:
        """Hard leg days that can still hold up a hinge session on or after ``before``."""
        return tuple(
            d
            for d in self.days
            if d.counts_for_spacing and 0 <= (before - d.date).days * _DAY_H < HARD_GAP_H
        )

    def logged(self, first: dt.date, last: dt.date) -> tuple[OtherTrainingDay, ...]:
        return tuple(d for d in self.days if first <= d.date <= last)


def read_other_load(
    history: History, catalogue: Catalogue, *, before: dt.date, plan_from: dt.date
) -> OtherLoad:
    """The other training in ``history`` from the plan's first day (``plan_from``) or the
    ``OTHER_LOAD_WEEKS`` weeks before ``before`` (the first day the plan builds), whichever
    is earlier, with its weekly rate over those weeks."""
    since = before - dt.timedelta(weeks=OTHER_LOAD_WEEKS)
    first = min(since, plan_from)
    days = other_training_days((s for s in history.sessions if s.date >= first), catalogue)
    recent = [d for d in days if since <= d.date < before and d.legs_sets]
    names = tuple(dict.fromkeys(n for d in recent for n in d.legs_names))
    return OtherLoad(
        days=days,
        sets_a_week=round(sum(d.legs_sets for d in recent) / OTHER_LOAD_WEEKS),
        days_a_week=round(len(recent) / OTHER_LOAD_WEEKS),
        names=names,
    )


def without_accessory_hinge(
    blocks: Sequence[SessionBlock],
) -> tuple[tuple[SessionBlock, ...], PlannedExercise | None]:
    """The session without its accessory hinge (a push paired with it stays, on its own),
    and the hinge left out, if there was one."""
    kept: list[SessionBlock] = []
    dropped: PlannedExercise | None = None
    for block in blocks:
        hinge = block.hinge
        if block.purpose is not BlockPurpose.ACCESSORY or hinge is None:
            kept.append(block)
            continue
        dropped = hinge
        pushes = tuple(e for e in block.exercises if not e.is_hinge)
        if pushes:
            kept.append(
                SessionBlock(
                    purpose=BlockPurpose.ACCESSORY,
                    exercises=pushes,
                    reason=Reason(
                        text=f"Accessory: {pushes[0].name.lower()} for the upper body, on its "
                        "own: your other training already works the legs and hips.",
                        rules=("R-PLAN-2", "R-PLAN-3"),
                    ),
                )
            )
    return tuple(kept), dropped


def hinge_sets(sessions: Sequence[PlanSession], history: History, catalogue: Catalogue) -> int:
    """Hinge work sets of a week: logged on its days gone, planned on the days ahead (the
    warm-up is not training volume)."""
    planned = sum(
        ex.sets
        for s in sessions
        if s.status is SessionStatus.PLANNED
        for block in s.blocks
        if block.purpose is not BlockPurpose.WARM_UP
        for ex in block.exercises
        if ex.is_hinge
    )
    days = {s.date for s in sessions if s.status in (SessionStatus.DONE, SessionStatus.MOVED)}
    logged = sum(
        len(s.work_sets)
        for s in history.sessions
        if s.date in days
        and (ex := catalogue.exercises.get(s.exercise_id)) is not None
        and ex.is_hinge
    )
    return planned + logged


def _sets(n: int) -> str:
    return f"{n} work set{'s' if n != 1 else ''}"


def _how_often(days_a_week: int) -> str:
    if days_a_week <= 1:
        return "about once a week"
    return f"about {days_a_week} days a week"


def week_load(
    other: OtherLoad,
    *,
    starts_on: dt.date,
    ahead: bool,
    kind: WeekKind,
    hinge: int,
    left_out: Sequence[str] = (),
) -> WeekLoad | None:
    """The week's load with its other training, or ``None`` when there is none to count.

    A week with other training logged counts that; a week still ``ahead`` (some of it not
    yet lived when the plan was built) with nothing logged counts the recent weekly rate."""
    logged = other.logged(starts_on, starts_on + dt.timedelta(days=6))
    if logged:
        load = _logged(logged, hinge)
    elif ahead and other.sets_a_week:
        load = _ahead(other, hinge)
    else:
        return None
    text, rules = load.reason.text, list(load.reason.rules)
    if left_out:
        names = join_names(n.lower() for n in left_out)
        text += (
            f" Your other training holds {OTHER_LEGS_SETS_ENOUGH} or more work sets a week for "
            "the legs and hips, enough on its own to build them, so the plan leaves out the "
            f"light accessory hinge ({names}) and keeps your primary and secondary hinge work."
        )
        rules.append("R-PLAN-2")
    if kind is WeekKind.DELOAD and (load.other_sets or ahead):
        text += (
            " This is a deload week: ease your other leg training too, about half the sets, "
            f"a little lighter, nothing harder than RPE {DELOAD_RPE_MAX:g}."
        )
    return load.model_copy(update={"reason": Reason(text=text, rules=tuple(rules))})


def _logged(logged: Sequence[OtherTrainingDay], hinge: int) -> WeekLoad:
    legs = sum(d.legs_sets for d in logged)
    parts = []
    for d in logged:
        what = d.legs_label() if d.legs_sets else f"{join_names(d.names)}, not leg work"
        parts.append(f"{d.date:%a} {d.date.day} {d.date:%b} {what}")
    text = f"Other training this week: {'; '.join(parts)}."
    if legs:
        text += (
            f" With {_sets(hinge)} of hinge work, that is {legs + hinge} work sets for the "
            "legs and hips this week."
        )
    return WeekLoad(
        hinge_sets=hinge,
        other_sets=legs,
        other_names=tuple(dict.fromkeys(n for d in logged for n in d.legs_names)),
        expected=False,
        reason=Reason(text=text, rules=("R-PLAN-4",)),
    )


def _ahead(other: OtherLoad, hinge: int) -> WeekLoad:
    text = (
        f"Other training: in your last {OTHER_LOAD_WEEKS} weeks you also trained your legs "
        f"and hips {_how_often(other.days_a_week)} ({join_names(other.names)}), about "
        f"{_sets(other.sets_a_week)} a week. With {_sets(hinge)} of hinge work planned, "
        f"this week holds about {other.sets_a_week + hinge} for the legs and hips."
    )
    return WeekLoad(
        hinge_sets=hinge,
        other_sets=other.sets_a_week,
        other_names=other.names,
        expected=True,
        reason=Reason(text=text, rules=("R-PLAN-4",)),
    )
