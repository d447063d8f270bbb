"""Progress from a history (R-TRACK-2) and its insights (R-TRACK-3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hingecoach.coach import History, demo_history, demo_profile
from hingecoach.coach.tracking import Progress, progress
from hingecoach.knowledge import Catalogue

from .builders import DAY0, history, profile, session, sets_of, work
from .test_properties import PROPS, cat, histories, profiles


def _by(result: Progress, topic: str) -> list[str]:
    return [i.text for i in result.insights if i.topic == topic]


def test_empty_history_gives_empty_progress(catalogue: Catalogue) -> None:
    result = progress(History(), catalogue)
    assert result.empty
    assert result.insights == ()
    assert result.as_of is None


# R-TRACK-2: each series, table-driven: (sessions, what to check)
SERIES: list[tuple[str, Any, Any]] = [
    (
        "rung over time: stage and ladder position per session",
        [session(0, "dowel-hip-hinge", sets_of(3)), session(2, "hinge-to-squat", sets_of(3))],
        lambda p: (
            [r.exercise_id for r in p.rung] == ["dowel-hip-hinge", "hinge-to-squat"]
            and p.rung[0].position < p.rung[1].position
        ),
    ),
    (
        "e1RM per session with its band (R-PROG-5)",
        [session(0, "kettlebell-deadlift", sets_of(3, 8, load=24, rpe=8))],
        lambda p: len(p.e1rm) == 1 and p.e1rm[0].low_kg < p.e1rm[0].e1rm_kg < p.e1rm[0].high_kg,
    ),
    (
        "no e1RM from sets under RPE 7",
        [session(0, "kettlebell-deadlift", sets_of(3, 8, load=24, rpe=6))],
        lambda p: p.e1rm == (),
    ),
    (
        "weekly volume: work sets, reps, tonnage; hard sets at RPE 7+",
        [
            session(
                0,
                "kettlebell-deadlift",
                [
                    work(8, load=12, warm_up=True),
                    *sets_of(2, 10, load=20, rpe=6.5),
                    *sets_of(2, 10, load=20, rpe=8),
                ],
            )
        ],
        lambda p: (
            (p.volume[0].work_sets, p.volume[0].reps, p.volume[0].hard_sets) == (4, 40, 2)
            and p.volume[0].tonnage_kg == 800
        ),
    ),
    (
        "faults counted per week by id",
        [
            session(0, "dowel-hip-hinge", [work(form="minor", faults=["back-rounding"])] * 2),
            session(8, "dowel-hip-hinge", [work(form="minor", faults=["squatting"])]),
        ],
        lambda p: (
            p.faults[0].counts == {"back-rounding": 2} and p.faults[1].counts == {"squatting": 1}
        ),
    ),
    (
        "pain: worst set and next morning per session",
        [session(0, "dowel-hip-hinge", [work(pain=1), work(pain=3)], morning=2)],
        lambda p: (p.pain[0].worst_set_pain, p.pain[0].next_morning_pain) == (3, 2),
    ),
    (
        "adherence: distinct hinge days per week against the plan",
        [
            session(0, "dowel-hip-hinge", sets_of(3)),
            session(0, "wall-hip-hinge", sets_of(3)),
            session(7, "dowel-hip-hinge", sets_of(3)),
            session(9, "dowel-hip-hinge", sets_of(3)),
        ],
        lambda p: [(a.done, a.planned) for a in p.adherence] == [(1, 3), (2, 3)],
    ),
    (
        "records: best e1RM and heaviest load x reps per exercise",
        [
            session(0, "kettlebell-deadlift", sets_of(3, 10, load=20, rpe=8)),
            session(2, "kettlebell-deadlift", sets_of(3, 6, load=24, rpe=8)),
        ],
        lambda p: (
            (p.records[0].best_load_kg, p.records[0].best_load_reps) == (24, 6)
            and p.records[0].best_load_on == DAY0 + dt.timedelta(days=2)
            and p.records[0].best_e1rm is not None
        ),
    ),
    (
        "push sessions are not hinge volume, but keep their records",
        [session(0, "push-up", sets_of(3, 15, rpe=8)), session(0, "dowel-hip-hinge", sets_of(3))],
        lambda p: (
            p.volume[0].work_sets == 3
            and any(r.exercise_id == "push-up" and r.most_reps == 15 for r in p.records)
        ),
    ),
]


@pytest.mark.parametrize(("what", "sessions", "check"), SERIES, ids=[s[0] for s in SERIES])
def test_r_track_2_series(catalogue: Catalogue, what: str, sessions: Any, check: Any) -> None:
    result = progress(history(*sessions), catalogue, planned_per_week=3)
    assert check(result), result


def _rounding(day: int, load: float) -> Any:
    return session(
        day,
        "kettlebell-deadlift",
        [
            work(8, load=load, rpe=8),
            work(8, load=load, rpe=8.5, form="minor", faults=["back-rounding"]),
        ],
    )


def _clean(day: int, load: float) -> Any:
    return session(day, "kettlebell-deadlift", sets_of(3, 10, load=load, rpe=7.5))


# R-TRACK-3: insights are specific (counts, loads, dates) and say what to do, with rule ids
INSIGHTS: list[tuple[str, Any, str, list[str]]] = [
    (
        "repeated back rounding above a load: keep the lighter load, elevate, brace",
        [_clean(0, 20), _clean(2, 20), _rounding(4, 24), _rounding(7, 24), _rounding(9, 24)],
        "faults",
        [
            "Back rounding flagged in 3 of the last 5 sessions",
            "all at 24 kg or more",
            "keep 20 kg",
            "elevated start",
            "R-REG-1",
        ],
    ),
    (
        "a fault once is not an insight",
        [_clean(0, 20), _clean(2, 20), _clean(4, 20), _clean(7, 20), _rounding(9, 24)],
        "faults",
        [],
    ),
    (
        "pain 6+ during a set: stop that day, one rung lower",
        [session(0, "dowel-hip-hinge", [work(pain=6)])],
        "pain",
        ["6/10", "one rung lower", "R-SAFE-3"],
    ),
    (
        "pain 3-5: hold progression",
        [session(0, "dowel-hip-hinge", [work(pain=4)]), session(2, "dowel-hip-hinge", [work()])],
        "pain",
        ["worst 4/10", "do not progress", "R-SAFE-3"],
    ),
    (
        "next-morning pain 2 above baseline",
        [session(0, "dowel-hip-hinge", sets_of(3), morning=3)],
        "pain",
        ["after 1 of the last 1 sessions", "R-SAFE-5"],
    ),
    (
        "e1RM flat for 3 sessions: deload early",
        [session(d, "kettlebell-deadlift", sets_of(3, 8, load=24, rpe=8)) for d in (0, 2, 4)],
        "e1rm",
        ["has not risen in 3 sessions", "deload", "R-PLAN-4"],
    ),
    (
        "e1RM rising",
        [
            session(0, "kettlebell-deadlift", sets_of(3, 8, load=20, rpe=8)),
            session(2, "kettlebell-deadlift", sets_of(3, 8, load=24, rpe=8)),
        ],
        "e1rm",
        ["rose from", "R-PROG-5"],
    ),
    (
        "missed sessions in whole weeks",
        [session(d, "dowel-hip-hinge", sets_of(3)) for d in (0, 2, 4, 7, 14, 16, 21, 23, 25, 28)],
        "adherence",
        ["9 of 12 planned sessions", "last 4 weeks", "week of 10 Mar: 1 of 3", "R-PLAN-5"],
    ),
    (
        "a new best on the last day",
        [_clean(0, 20), _clean(2, 24)],
        "records",
        ["New best on kettlebell deadlift: 24 kg x 10"],
    ),
]


@pytest.mark.parametrize(
    ("what", "sessions", "topic", "expected"), INSIGHTS, ids=[i[0] for i in INSIGHTS]
)
def test_r_track_3_insights(
    catalogue: Catalogue, what: str, sessions: Any, topic: str, expected: list[str]
) -> None:
    result = progress(
        history(*sessions), catalogue, profile=profile(baseline_pain=1), planned_per_week=3
    )
    texts = _by(result, topic)
    if not expected:
        assert texts == [], texts
        return
    assert len(texts) >= 1, result.insights
    joined = " | ".join(texts) + " " + " ".join(r for i in result.insights for r in i.rules)
    for part in expected:
        assert part in joined, joined


def test_every_insight_names_a_rule_and_ends_as_a_sentence(catalogue: Catalogue) -> None:
    result = progress(demo_history(weeks=12), catalogue, profile=demo_profile())
    assert result.insights
    for insight in result.insights:
        assert insight.rules and all(r.startswith("R-") for r in insight.rules)
        assert insight.text[0].isupper() and insight.text.endswith("."), insight.text


def test_things_to_act_on_are_marked(catalogue: Catalogue) -> None:
    rounding = [_clean(0, 20), _clean(2, 20), _rounding(4, 24), _rounding(7, 24)]
    result = progress(history(*rounding), catalogue, planned_per_week=3)
    marked = {i.topic for i in result.insights if i.attention}
    assert "faults" in marked
    assert not any(i.attention for i in result.insights if i.topic == "rung")


def test_planned_sessions_come_from_the_profile(catalogue: Catalogue) -> None:
    one = history(session(0, "dowel-hip-hinge", sets_of(3)))
    two_days = profile(days_available=["monday", "thursday"])
    assert progress(one, catalogue, profile=two_days).planned_per_week == 2
    assert progress(one, catalogue, profile=profile()).planned_per_week == 3
    assert progress(one, catalogue).planned_per_week == 3


def test_the_current_week_is_partial(catalogue: Catalogue) -> None:
    one = history(session(0, "dowel-hip-hinge", sets_of(3)))
    result = progress(one, catalogue, as_of=DAY0 + dt.timedelta(days=15))
    assert [a.partial for a in result.adherence] == [False, False, True]


def test_unknown_exercises_are_skipped_not_refused(catalogue: Catalogue) -> None:
    gone = catalogue.model_copy(
        update={"exercises": {k: v for k, v in catalogue.exercises.items() if k != "hero-squat"}}
    )
    result = progress(
        history(session(0, "hero-squat", sets_of(3)), session(2, "dowel-hip-hinge", sets_of(3))),
        gone,
    )
    assert [r.exercise_id for r in result.rung] == ["dowel-hip-hinge"]


@PROPS
@given(data=st.data(), who=profiles, planned=st.one_of(st.none(), st.integers(1, 7)))
def test_progress_never_crashes_on_a_valid_history(data: Any, who: Any, planned: Any) -> None:
    """R-TRACK-2/3 for any valid history: series line up and insights name rules."""
    past = data.draw(histories(who, max_sessions=20))
    result = progress(past, cat(), profile=who, planned_per_week=planned)
    result.model_dump_json()
    hinges = [s for s in past.sessions if cat().exercises[s.exercise_id].is_hinge]
    assert len(result.rung) == len(result.pain) == len(hinges)
    assert len(result.volume) == len(result.faults) == len(result.adherence)
    assert all(i.rules for i in result.insights)
