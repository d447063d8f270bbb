"""Placement from a history brought in from another app (Strong, Hevy, FitNotes).

Someone who has deadlifted 140 kg for fives for two years starts on the deadlift, not on the
first rung. When the latest hinge session was imported, the rung is the loaded hinge lift
with the most work sets in the last weeks of that history (ties: the higher stage), and the
load comes from the estimated 1RM of its recent work sets (R-PROG-5, R-PROG-6), with the
set it came from named in plain words: "from your Strong history: 140 kg x 5 on 2 Nov".

The safety screen still comes first: :func:`~hingecoach.coach.prescribe` returns a blocking
screen or placement before this is asked. Sessions logged in hingecoach afterwards are not
imported, so the usual rules take over from the first one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from statistics import median

from hingecoach.coach.decisions import Action
from hingecoach.coach.dose import base_dose
from hingecoach.coach.e1rm import E1rmEstimate, estimate_e1rm, load_for
from hingecoach.coach.models import History, Profile, Session
from hingecoach.coach.outcome import Outcome
from hingecoach.knowledge import Catalogue, LoadMode
from hingecoach.units import Unit, format_load, to_unit

__all__ = [
    "HISTORY_PLACEMENT_WEEKS",
    "HistoryStart",
    "apply_history_start",
    "history_start",
    "imported_name",
    "imported_note",
    "imported_source",
]

HISTORY_PLACEMENT_WEEKS = 12  # the weeks of imported history that decide the rung
HISTORY_E1RM_SESSIONS = 3  # the latest sessions whose best sets give the e1RM (median)
_NOTE = re.compile(r"^(?:(?P<name>.+), )?imported from (?P<source>[A-Za-z]+)\.")
_UNLOADED = {LoadMode.BODYWEIGHT, LoadMode.BAND}


def imported_note(source: str, other_name: str | None = None) -> str:
    """The notes of an imported session: where it came from (and the app's exercise name
    for other training)."""
    return f"{other_name + ', ' if other_name else ''}imported from {source}."


def imported_source(session: Session) -> str | None:
    """The app an imported session came from ("Strong"), or ``None``."""
    match = _NOTE.match(session.notes)
    return match["source"] if match else None


def imported_name(session: Session) -> str | None:
    """The other app's name for an imported session of other training ("Leg Press"), or
    ``None`` (not imported, or a catalogue exercise)."""
    match = _NOTE.match(session.notes)
    return match["name"] if match else None


@dataclass(frozen=True)
class HistoryStart:
    """Where an imported history places the person, and the set that says so."""

    exercise_id: str
    source: str
    estimate: E1rmEstimate | None
    on: dt.date | None

    def evidence(self, unit: Unit = "kg") -> str:
        """``from your Strong history: 140 kg x 5 on 2 Nov``, the load in ``unit``."""
        if self.estimate is None or self.on is None:
            return f"from your {self.source} history"
        e = self.estimate
        day = f"{self.on.day} {self.on:%b}" + (
            f" {self.on.year}" if self.on.year != dt.date.today().year else ""
        )
        return (
            f"from your {self.source} history: {format_load(e.load_kg, unit)} x {e.reps} on {day}"
        )


def _best(session: Session) -> E1rmEstimate | None:
    best: E1rmEstimate | None = None
    for s in session.work_sets:
        if s.load_kg is None or s.reps is None:
            continue
        est = estimate_e1rm(s.load_kg, s.reps, s.effort_rpe)
        if est is not None and (best is None or est.e1rm_kg > best.e1rm_kg):
            best = est
    return best


def history_start(history: History, catalogue: Catalogue) -> HistoryStart | None:
    """The rung and the load basis, when the latest hinge session was imported."""
    hinges = [
        s
        for s in history.sessions
        if (ex := catalogue.exercises.get(s.exercise_id)) is not None and ex.is_hinge
    ]
    if not hinges or (source := imported_source(hinges[-1])) is None:
        return None
    since = hinges[-1].date - dt.timedelta(weeks=HISTORY_PLACEMENT_WEEKS)
    counts: dict[str, int] = {}
    for s in hinges:
        ex = catalogue.exercises[s.exercise_id]
        loaded = any(x.load_kg for x in s.work_sets) and not set(ex.load_modes) <= _UNLOADED
        if s.date >= since and loaded:
            counts[s.exercise_id] = counts.get(s.exercise_id, 0) + len(s.work_sets)
    if not counts:
        return None
    chosen = max(counts, key=lambda i: (counts[i], int(catalogue.exercises[i].stage or 0)))
    bests = [
        (s.date, est)
        for s in reversed(hinges)
        if s.exercise_id == chosen and (est := _best(s)) is not None
    ][:HISTORY_E1RM_SESSIONS]
    if not bests:
        return HistoryStart(chosen, source, None, None)
    ordered = sorted(bests, key=lambda b: b[1].e1rm_kg)
    middle = median(b[1].e1rm_kg for b in bests)
    on, est = min(ordered, key=lambda b: abs(b[1].e1rm_kg - middle))
    return HistoryStart(chosen, source, est.model_copy(update={"e1rm_kg": middle}), on)


def apply_history_start(out: Outcome, start: HistoryStart, profile: Profile) -> Outcome:
    """Load the history's rung from its e1RM and say where that came from."""
    ex = out.exercise
    if ex is None or ex.id != start.exercise_id or out.action not in (Action.HOLD, Action.ADD_LOAD):
        return out
    dose = base_dose(profile, ex)
    out.why.pop("load", None)
    if start.estimate is not None and dose.reps is not None:
        reps = dose.reps[0]
        out.load_kg = round(load_for(start.estimate.e1rm_kg, reps, dose.rpe_target), 2)
        out.reps_target = reps
        out.new_rung = False
        out.notes = [n for n in out.notes if not n.startswith("Find your load")]
        out.why["load"] = (
            f"{format_load(out.load_kg, profile.unit)} or the nearest you can make for {reps} "
            f"reps at RPE {dose.rpe_target:g}, {start.evidence(profile.unit)} (estimated 1RM "
            f"{to_unit(start.estimate.e1rm_kg, profile.unit):.0f} {profile.unit})",
            "R-PROG-6",
        )
        out.rules = [r for r in out.rules if r != "R-PROG-4"] + ["R-PROG-5"]
    where = start.evidence(profile.unit)
    out.reason = f"Your training history places you on the {ex.name.lower()}, {where}."
    out.advice.append(
        "Placed from the sessions you imported; log your sessions here and the coach "
        "takes it from there."
    )
    return out
