"""The log sheet: every part of today's session in order (R-PLAN-2, R-PLAN-3), and what a
filled-in sheet stores for the coach."""

from __future__ import annotations

import datetime as dt

import pytest

from hingecoach.coach import (
    History,
    OwnedEquipment,
    Prescription,
    Session,
    SetLog,
    demo_profile,
    prescribe,
)
from hingecoach.errors import InputError
from hingecoach.knowledge import load_catalogue
from hingecoach.plan.logsheet import (
    LogSheet,
    SetEntry,
    SetStatus,
    build_log_sheet,
    primary_sets,
    sessions_from_sheet,
)

TODAY = dt.date(2026, 3, 4)
Pair = tuple[LogSheet, Prescription]


@pytest.fixture(scope="module")
def sheet_and_rx() -> Pair:
    catalogue = load_catalogue(None)
    equipment = OwnedEquipment(
        barbell_kg=20, plates_kg=[20, 10, 5, 2.5, 1.25, 1.25], bands=["light", "medium"]
    )
    profile = demo_profile().model_copy(update={"equipment": equipment})
    sets = tuple(SetLog(reps=8, load_kg=60, rpe=7) for _ in range(3))
    history = History(
        sessions=(
            Session(date=TODAY - dt.timedelta(3), exercise_id="romanian-deadlift", sets=sets),
        )
    )
    _, rx = prescribe(profile, history, catalogue)
    assert rx is not None
    return build_log_sheet(profile, history, catalogue, rx, TODAY), rx


def test_R_PLAN_2_the_parts_in_order_with_ramp_ups_below_the_work_load(sheet_and_rx: Pair) -> None:
    sheet, rx = sheet_and_rx
    assert [p.kind for p in sheet.parts] == [
        "warm-up",
        "ramp-up",
        "primary",
        "secondary",
        "accessory",
    ]
    ramp = [s.load_kg or 0.0 for s in sheet.parts[1].exercises[0].sets]
    assert ramp == sorted(ramp) and ramp[0] > 0
    assert rx.load_kg is not None and ramp[-1] < rx.load_kg
    bar = 20
    for part in sheet.parts[1:3]:
        for s in part.exercises[0].sets:
            assert s.plates_per_side is not None
            assert bar + 2 * sum(s.plates_per_side) == pytest.approx(s.load_kg)


def test_R_PLAN_3_a_superset_alternates_and_rests_after_the_round(sheet_and_rx: Pair) -> None:
    sheet, _ = sheet_and_rx
    pair = sheet.parts[3]
    assert pair.superset
    order = [(ex.is_hinge, s.rest_s) for ex, s in pair.sets_in_order()]
    assert [h for h, _ in order] == [True, False] * (len(order) // 2)
    assert all(rest == 0 for hinge, rest in order if hinge)
    assert all(rest > 0 for hinge, rest in order if not hinge)


def test_the_primary_with_its_ramp_ups_is_stored_last_and_other_hinges_are_not(
    sheet_and_rx: Pair,
) -> None:
    sheet, rx = sheet_and_rx
    entries = {key: SetEntry(status=SetStatus.DONE) for key in sheet.keys}
    logged = sessions_from_sheet(sheet, entries, rx)
    assert [s.exercise_id for s in logged.sessions] == ["push-up", rx.exercise_id]
    primary = logged.sessions[-1]
    assert [s.work_set for s in primary.sets] == [False] * 3 + [True] * rx.sets
    assert logged.done_sets == len(sheet.keys) and logged.skipped == ()
    assert len(primary_sets(sheet, entries)) == 3 + rx.sets


def test_skipped_exercises_are_named_and_nothing_ticked_is_refused(sheet_and_rx: Pair) -> None:
    sheet, rx = sheet_and_rx
    first_work = sheet.parts[2].exercises[0].sets[0].key
    logged = sessions_from_sheet(sheet, {first_work: SetEntry(status=SetStatus.DONE, amount=5)}, rx)
    assert logged.sessions[-1].work_sets[0].reps == 5
    assert "Dowel hip hinge" in logged.skipped and "Push-up" in logged.skipped
    with pytest.raises(InputError, match="no set is ticked"):
        sessions_from_sheet(sheet, {}, rx)
    with pytest.raises(InputError, match="not in today"):
        sessions_from_sheet(sheet, {"p9-e9-s9": SetEntry()}, rx)
