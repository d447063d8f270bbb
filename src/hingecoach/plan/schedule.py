"""The week: which days carry a hinge session (R-PLAN-1).

2-3 hinge sessions a week (how many from the goal, R-RX-3, unless the person asks), on the
days they have, at least 48 h apart, counting round the week (Sunday to Monday is 24 h).
When the days cannot hold the sessions wanted, the week is refused with the reason, the
nearest valid week on their days, and the fewest days to add for the sessions wanted.
The 72 h gap after a session with hinge sets at RPE 9.5 or more (R-PLAN-1) is about a real
session, so it is applied where dates meet the history (:mod:`hingecoach.plan.replan`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

from hingecoach.coach import Goal, Weekday
from hingecoach.errors import InputError
from hingecoach.plan.defaults import DEFAULT_DAYS, MIN_GAP_H, SESSIONS_PER_WEEK
from hingecoach.plan.models import WEEKDAYS, Reason, Schedule, ScheduleRefusal

__all__ = ["choose_schedule", "gap_hours", "is_valid_week"]

_DAY_H = 24


def _index(day: Weekday) -> int:
    return WEEKDAYS.index(day)


def _names(days: Iterable[Weekday]) -> str:
    names = [d.value.capitalize() for d in days]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def gap_hours(days: Sequence[int]) -> list[int]:
    """Hours from each day (0 = Monday) to the next, round the week; ``days`` sorted."""
    if not days:
        return []
    nexts = [*days[1:], days[0] + 7]
    return [(b - a) * _DAY_H for a, b in zip(days, nexts, strict=True)]


def is_valid_week(days: Sequence[int], min_gap_h: int = MIN_GAP_H) -> bool:
    """R-PLAN-1: every hinge day at least ``min_gap_h`` after the one before, round the week."""
    return all(g >= min_gap_h for g in gap_hours(sorted(days)))


def _best(options: Iterable[tuple[int, ...]]) -> tuple[int, ...] | None:
    """The most even week (largest smallest gap), then the earliest days."""
    ranked = sorted(options, key=lambda o: (-min(gap_hours(o)), o))
    return ranked[0] if ranked else None


def _valid_subsets(days: Sequence[int], size: int, min_gap_h: int) -> list[tuple[int, ...]]:
    return [c for c in itertools.combinations(sorted(days), size) if is_valid_week(c, min_gap_h)]


def _schedule(days: tuple[int, ...], text: str, min_gap_h: int) -> Schedule:
    return Schedule(
        days=tuple(WEEKDAYS[d] for d in days),
        min_gap_h=min_gap_h,
        reason=Reason(text=text, rules=("R-PLAN-1",)),
    )


def _closest_pair(days: Sequence[int]) -> str:
    ordered = sorted(days)
    gaps = gap_hours(ordered)
    i = min(range(len(gaps)), key=lambda k: gaps[k])
    a, b = WEEKDAYS[ordered[i]], WEEKDAYS[ordered[(i + 1) % len(ordered)]]
    return f"{a.value.capitalize()} to {b.value.capitalize()} is only {gaps[i]} h"


def _with_another_day(days: Sequence[int], wanted: int, min_gap_h: int) -> Schedule | None:
    """The sessions wanted, keeping as many of the person's days as possible."""
    others = [d for d in range(7) if d not in days]
    for extra in range(1, wanted + 1):
        options = []
        for added in itertools.combinations(others, extra):
            for kept in itertools.combinations(sorted(days), wanted - extra):
                week = tuple(sorted((*kept, *added)))
                if is_valid_week(week, min_gap_h):
                    options.append(week)
        best = _best(options)
        if best is not None:
            new = [WEEKDAYS[d] for d in best if d not in days]
            return _schedule(
                best,
                f"Add {_names(new)}: {wanted} sessions at least {min_gap_h} h apart.",
                min_gap_h,
            )
    return None


def choose_schedule(
    days_available: Sequence[Weekday],
    goal: Goal,
    suggested: tuple[int, int],
    *,
    wanted: int | None = None,
    min_gap_h: int = MIN_GAP_H,
) -> Schedule | ScheduleRefusal:
    """The week's hinge days, or a refusal with the nearest valid alternative (R-PLAN-1).

    ``suggested`` is the goal's sessions a week (R-RX-3, e.g. ``(3, 3)`` for hypertrophy);
    the most of them the days allow is chosen. ``wanted`` is what the person asked for
    (2 or 3); it is refused, never quietly lowered, when the days cannot hold it.
    """
    low, high = SESSIONS_PER_WEEK
    if wanted is not None and not low <= wanted <= high:
        raise InputError(
            f"sessions a week: R-PLAN-1 plans {low}-{high} hinge sessions, got {wanted}"
        )
    assumed = not days_available
    given = [Weekday(d) for d in DEFAULT_DAYS] if assumed else list(days_available)
    days = sorted({_index(d) for d in given})
    lo, hi = (wanted, wanted) if wanted is not None else suggested
    lo, hi = max(lo, low), min(hi, high)
    for count in range(hi, lo - 1, -1):
        best = _best(_valid_subsets(days, count, min_gap_h))
        if best is None:
            continue
        if wanted is not None:
            why = f"{count} sessions a week, as asked"
        elif lo == hi:
            why = f"{count} sessions a week, as your goal ({goal.value}) suggests (R-RX-3)"
        else:
            why = (
                f"{count} sessions a week: your goal ({goal.value}) suggests {lo}-{hi} "
                f"(R-RX-3) and your days allow {count}"
            )
        text = f"{why}, on {_names(WEEKDAYS[d] for d in best)}, at least {min_gap_h} h apart."
        if assumed:
            text = "No training days in your profile, so Monday, Wednesday and Friday are " + (
                "assumed. " + text[0].upper() + text[1:]
            )
        return _schedule(best, text, min_gap_h)
    # refused: say why, offer the nearest valid week on their days and the fewest days to add
    target = lo
    fewer = None
    for count in range(target - 1, 0, -1):
        fewer = _best(_valid_subsets(days, count, min_gap_h))
        if fewer is not None:
            break
    names = _names(WEEKDAYS[d] for d in days)
    if len(days) < target:
        cause = f"only {len(days)} day{'s' if len(days) > 1 else ''} to train"
    else:
        cause = _closest_pair(days)
    text = (
        f"{names} cannot hold {target} hinge sessions a week at least {min_gap_h} h apart: {cause}."
    )
    alternative = None
    if fewer is not None:
        alternative = _schedule(
            fewer,
            f"{len(fewer)} session{'s' if len(fewer) > 1 else ''} a week on "
            f"{_names(WEEKDAYS[d] for d in fewer)}: the most your days allow at least "
            f"{min_gap_h} h apart (fewer than the {target} wanted).",
            min_gap_h,
        )
    return ScheduleRefusal(
        wanted=target,
        days_available=tuple(WEEKDAYS[d] for d in days),
        reason=Reason(text=text, rules=("R-PLAN-1",)),
        alternative=alternative,
        with_another_day=_with_another_day(days, target, min_gap_h),
    )
