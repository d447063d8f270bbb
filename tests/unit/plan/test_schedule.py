"""R-PLAN-1: the week's hinge days from the days available and the goal."""

from __future__ import annotations

import pytest

from hingecoach.coach import Goal, Weekday
from hingecoach.errors import InputError, ScheduleRefusedError
from hingecoach.knowledge import Catalogue
from hingecoach.plan import Schedule, ScheduleRefusal, build_plan, choose_schedule, is_valid_week
from tests.unit.coach.builders import DAY0, history, profile

MON, TUE, WED, THU, FRI, SAT, SUN = Weekday


def _days(schedule: Schedule) -> list[str]:
    return [d.value[:3] for d in schedule.days]


@pytest.mark.parametrize(
    ("case", "days", "goal", "suggested", "wanted", "expected"),
    [
        ("R-PLAN-1 Mon/Wed/Fri, hypertrophy -> 3 sessions", [MON, WED, FRI], Goal.HYPERTROPHY,
         (3, 3), None, ["mon", "wed", "fri"]),
        ("R-PLAN-1 Mon/Wed/Fri, strength -> 2 sessions, the most even pair", [MON, WED, FRI],
         Goal.STRENGTH, (2, 2), None, ["mon", "fri"]),
        ("R-PLAN-1 every day, learn -> 3 sessions, every other day", list(Weekday), Goal.LEARN,
         (2, 3), None, ["mon", "wed", "fri"]),
        ("R-PLAN-1 Mon/Wed, learn 2-3 -> 2 sessions, the days allow no more", [MON, WED],
         Goal.LEARN, (2, 3), None, ["mon", "wed"]),
        ("R-PLAN-1 Sat/Sun/Mon -> Sunday to Monday is only 24 h, so 2", [SAT, SUN, MON],
         Goal.LEARN, (2, 3), None, ["mon", "sat"]),
        ("R-PLAN-1 3 asked on Tue/Thu/Sat", [TUE, THU, SAT], Goal.STRENGTH, (2, 2), 3,
         ["tue", "thu", "sat"]),
    ],
)  # fmt: skip
def test_r_plan_1_schedule_from_days_and_goal(
    case: str,
    days: list[Weekday],
    goal: Goal,
    suggested: tuple[int, int],
    wanted: int | None,
    expected: list[str],
) -> None:
    result = choose_schedule(days, goal, suggested, wanted=wanted)
    assert isinstance(result, Schedule), case
    assert _days(result) == expected, case
    assert "R-PLAN-1" in result.reason.rules
    assert is_valid_week([list(Weekday).index(d) for d in result.days])


def test_mon_tue_only_2_sessions_wanted_refused_mon_only_offered() -> None:
    """R-PLAN-1 "Mon/Tue only, 2 sessions wanted -> refused, Mon only offered"."""
    result = choose_schedule([MON, TUE], Goal.LEARN, (2, 3), wanted=2)
    assert isinstance(result, ScheduleRefusal)
    assert "24 h" in result.reason.text and "R-PLAN-1" in result.reason.rules
    assert result.alternative is not None and _days(result.alternative) == ["mon"]
    assert result.with_another_day is not None
    assert _days(result.with_another_day) == ["mon", "thu"]
    message = result.message()
    assert "Monday" in message and "Thursday" in message


@pytest.mark.parametrize(
    ("case", "days", "goal", "suggested", "alternative"),
    [
        ("R-PLAN-1 one day only", [WED], Goal.LEARN, (2, 3), ["wed"]),
        ("R-PLAN-1 hypertrophy wants 3 on two days", [MON, THU], Goal.HYPERTROPHY, (3, 3),
         ["mon", "thu"]),
        ("R-PLAN-1 three days in a row", [MON, TUE, WED], Goal.HYPERTROPHY, (3, 3),
         ["mon", "wed"]),
    ],
)  # fmt: skip
def test_refusals_name_the_nearest_valid_week(
    case: str, days: list[Weekday], goal: Goal, suggested: tuple[int, int], alternative: list[str]
) -> None:
    result = choose_schedule(days, goal, suggested)
    assert isinstance(result, ScheduleRefusal), case
    assert result.alternative is not None and _days(result.alternative) == alternative, case


def test_no_days_in_the_profile_assumes_mon_wed_fri() -> None:
    result = choose_schedule([], Goal.LEARN, (2, 3))
    assert isinstance(result, Schedule)
    assert _days(result) == ["mon", "wed", "fri"] and "assumed" in result.reason.text


def test_sessions_outside_2_3_are_an_input_error() -> None:
    with pytest.raises(InputError, match="R-PLAN-1"):
        choose_schedule([MON, WED, FRI], Goal.LEARN, (2, 3), wanted=4)


def test_build_plan_refuses_with_the_reason(catalogue: Catalogue) -> None:
    """R-PLAN-1: build_plan raises, and the error carries the refusal."""
    who = profile(days_available=["monday", "tuesday"])
    with pytest.raises(ScheduleRefusedError) as caught:
        build_plan(
            who,
            history(),
            catalogue,
            weeks=4,
            start=DAY0,
            sessions_per_week=2,
            placement_or_current_exercise="dowel-hip-hinge",
        )
    refusal = caught.value.refusal
    assert isinstance(refusal, ScheduleRefusal)
    assert refusal.alternative is not None and _days(refusal.alternative) == ["mon"]
    assert "nearest valid week" in str(caught.value)
