"""Adding load on a rung: double progression, the big-jump bridge and RPE sizing.

R-PROG-2 holds the load and adds reps until every work set reaches the top of the range at
or below the target RPE two sessions running, then adds the smallest makeable increment of
at least 2 %. R-PROG-3 bridges a jump of more than 10 % with reps to 15, then an extra set,
then a slower tempo, then takes it with reps reset. R-PROG-6 sizes loads from the rolling
median e1RM of the last three valid sets. R-PROG-4 carries a load over to a new rung. Every
load is one the person can make (R-RX-6).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from hingecoach.coach.defaults import (
    BRIDGE_REPS_MAX,
    CARRYOVER_FALLBACK_FACTOR,
    CARRYOVER_LOOKBACK_SESSIONS,
    DOUBLE_PROGRESSION_SESSIONS,
    E1RM_LOOKBACK_SESSIONS,
    RPE_NEW_RUNG_TARGET,
)
from hingecoach.coach.e1rm import load_for, rolling_e1rm
from hingecoach.coach.history import SessionView, TrainingState, sessions_of
from hingecoach.coach.loads import available_loads, choose_load_mode, round_down
from hingecoach.coach.models import FormRating, History, Profile, SetLog
from hingecoach.knowledge import Catalogue, Exercise, LoadMode
from hingecoach.units import Unit, format_change, format_load

__all__ = [
    "CarrySource",
    "Carryover",
    "LoadPlan",
    "carryover_load",
    "load_plan",
    "next_bridge_step",
    "reached_top",
    "rpe_load",
    "sets_needed",
    "streak",
]

_EPS = 1e-6


@dataclass(frozen=True)
class LoadPlan:
    """How the current rung is loaded."""

    mode: LoadMode | None
    loads: tuple[float, ...]  # makeable kg loads, lightest first (empty: bodyweight or band)
    current_kg: float | None
    band: str | None
    unit: Unit = "kg"  # the unit the person reads loads in (the plan stays in kg)

    def said(self, kg: float) -> str:
        """A load in the person's words: "80 lb", "36.3 kg"."""
        return format_load(kg, self.unit)

    def moved(self, before_kg: float, after_kg: float) -> str:
        """A load that moves, in the person's words: "100 -> 90 kg"."""
        return format_change(before_kg, after_kg, self.unit)


CarrySource = Literal["rpe", "last-load", "lightest"]


@dataclass(frozen=True)
class Carryover:
    """R-PROG-4: a new rung's first load and where it came from, as facts (``explain``
    words them): carried over by a catalogue ratio from the recent RPE ratings (``rpe``) or
    from the last load there without ratings (``last-load``), or the lightest owned load
    (``lightest``: a guess, so the card says how to find the load). ``load_kg`` None:
    bodyweight or band, nothing carried over."""

    load_kg: float | None
    source: CarrySource | None = None
    from_id: str | None = None
    ratio: float | None = None
    last_kg: float | None = None  # ``last-load``: the load last used on ``from_id``


def load_plan(state: TrainingState, profile: Profile) -> LoadPlan:
    """The load mode, makeable loads and current load of the current rung (R-RX-6)."""
    ex = state.exercise
    mode = choose_load_mode(ex, profile.equipment, state.load_mode)
    loads = available_loads(profile.equipment, mode) if mode is not None else ()
    current = state.last.work_load() if state.last is not None else None
    if current is None and state.last_prescription is not None:
        current = state.last_prescription.load_kg
    if current is not None and loads:
        # R-RX-6: the decision starts from a load the person can make, so its words quote
        # the prescription's own number (a logged 207.5 kg on a 137.5 kg set-up is held
        # at 137.5 kg, never "keep 207.5 kg")
        current = round_down(current, loads) or loads[0]
    band = state.last.band() if state.last is not None else None
    if mode is LoadMode.BAND and band not in profile.equipment.bands:
        band = profile.equipment.bands[0] if profile.equipment.bands else None
    return LoadPlan(mode, loads, current if loads else None, band, profile.unit)


def carryover_load(
    new: Exercise,
    profile: Profile,
    history: History,
    catalogue: Catalogue,
    *,
    reps: int,
) -> Carryover:
    """R-PROG-4: a new rung's first load, carried over from a rung with a known ratio and
    started conservatively (RPE 6-7), and where it came from (no load: bodyweight/band)."""
    mode = choose_load_mode(new, profile.equipment)
    loads = available_loads(profile.equipment, mode) if mode is not None else ()
    if not loads:
        return Carryover(None)
    for carry in new.carryover:
        sessions = sessions_of(history, catalogue, carry.from_id, CARRYOVER_LOOKBACK_SESSIONS)
        sets = [s for sess in sessions for s in reversed(sess.work_sets) if s.load_kg is not None]
        if not sets:
            continue
        e1rm = rolling_e1rm(sets[: E1RM_LOOKBACK_SESSIONS * 5])
        last_kg = sets[0].load_kg or 0.0
        if e1rm is not None:
            target = load_for(e1rm * carry.ratio, reps, RPE_NEW_RUNG_TARGET)
        else:
            target = last_kg * carry.ratio * CARRYOVER_FALLBACK_FACTOR
        chosen = round_down(target, loads)
        if chosen is None:
            chosen = loads[0]
        return Carryover(
            chosen,
            "rpe" if e1rm is not None else "last-load",
            from_id=carry.from_id,
            ratio=carry.ratio,
            last_kg=None if e1rm is not None else last_kg,
        )
    return Carryover(loads[0], "lightest")


def _last_rated(views: Sequence[SessionView]) -> list[SetLog]:
    sets: list[SetLog] = []
    for view in reversed(views[-E1RM_LOOKBACK_SESSIONS:]):
        sets.extend(reversed(view.work_sets))
    return sets


def rpe_load(
    views: Sequence[SessionView], reps: int, rpe: float, loads: Sequence[float]
) -> float | None:
    """R-PROG-6: rolling median e1RM of the last 3 valid sets x the chart %, rounded down."""
    e1rm = rolling_e1rm(_last_rated(views))
    if e1rm is None:
        return None
    return round_down(load_for(e1rm, reps, rpe), loads)


def sets_needed(view: SessionView, sets: int, min_sets: int) -> int:
    """R-PROG-2 with R-PROG-1: the sets the session itself prescribed; for a session logged
    without a prescription, the rung's minimum (at least 3 work sets), never more than today's
    dose. A strength block's 4 sets are asked of the sessions that prescribed them, not of a
    trainee who logged 3 sets on their own."""
    if view.prescription is not None:
        return view.prescription.sets
    return min(sets, min_sets)


def reached_top(view: SessionView, top: int, sets: int, rpe_max: float, load: float | None) -> bool:
    """Every work set at the top of the range, at or below the target RPE, clean, same load
    (R-PROG-2). Unrated sets count as on target."""
    work = view.work_sets
    if len(work) < sets:
        return False
    for s in work:
        if s.reps is None or s.reps < top or s.form is not FormRating.CLEAN or s.pain > 2:
            return False
        if s.effort_rpe is not None and s.effort_rpe > rpe_max:
            return False
        if load is not None and (s.load_kg is None or abs(s.load_kg - load) > _EPS):
            return False
    return True


def streak(views: Sequence[SessionView], test: Callable[[SessionView], bool]) -> int:
    count = 0
    for view in reversed(views):
        if not test(view):
            break
        count += 1
    return count


def next_bridge_step(state: TrainingState, step: int) -> int:
    """R-PROG-3: the next bridge step; reps up to 15 is skipped when the last two sessions
    already had every work set at 15 reps or more (nothing left to bridge with reps)."""
    views = state.run[-DOUBLE_PROGRESSION_SESSIONS:]
    at_15 = all(
        v.work_sets and all((s.reps or 0) >= BRIDGE_REPS_MAX for s in v.work_sets) for v in views
    )
    return step + 2 if step == 0 and at_15 else step + 1
