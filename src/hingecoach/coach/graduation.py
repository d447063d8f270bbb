"""When a rung is done: clean sessions and the graduation criterion (R-PROG-1).

The criterion is catalogue data on each exercise (``Exercise.graduation``): how many
sessions, at least how many work sets, the top reps or seconds, the pain and RPE ceilings,
and for loaded rungs an optional minimum load relative to body mass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hingecoach.coach.decisions import Evidence, Purpose
from hingecoach.coach.dose import BaseDose
from hingecoach.coach.history import SessionView, TrainingState
from hingecoach.coach.models import FormRating, Profile, SetLog
from hingecoach.knowledge import Exercise
from hingecoach.units import Unit, format_load, to_unit

__all__ = [
    "GraduationCheck",
    "criterion_text",
    "graduation_check",
    "load_beyond_equipment",
    "session_is_clean",
    "summarise_session",
]

_EPS = 1e-6


def session_is_clean(view: SessionView, profile: Profile, max_pain: int) -> bool:
    """Every work set clean, pain within ``max_pain``, no stopping pain quality, no fatigue
    flag, no next-morning rise, and the prescribed sets done (R-PROG-1, R-REG-8)."""
    work = view.work_sets
    needed = view.prescription.sets if view.prescription is not None else 1
    if len(work) < needed or view.session.fatigue_flag:
        return False
    morning = view.session.next_morning_pain
    if morning is not None and morning > profile.baseline_pain:
        return False
    return all(
        s.form is FormRating.CLEAN and s.pain <= max_pain and not s.stopping_qualities for s in work
    )


def _set_reaches(set_log: SetLog, top_reps: int, top_seconds: int) -> bool:
    if set_log.reps is not None:
        return set_log.reps >= top_reps
    return set_log.seconds is not None and set_log.seconds >= top_seconds


def _top_reps(view: SessionView, ex: Exercise) -> int:
    """The top the criterion asks for: the rung's, or a strength block's own top (4-6)."""
    pres = view.prescription
    if pres is not None and pres.purpose is Purpose.PRIMARY and pres.reps is not None:
        return min(ex.graduation.top_reps, pres.reps.max)
    return ex.graduation.top_reps


@dataclass(frozen=True)
class GraduationCheck:
    met: bool
    shortfall: str  # what is still missing, in plain words ("" when met)
    evidence: tuple[Evidence, ...]


def load_beyond_equipment(
    views: Sequence[SessionView], loads: Sequence[float]
) -> tuple[float, float] | None:
    """R-RX-6: (the heaviest load logged, the heaviest the listed equipment makes) when a
    logged work set is heavier than anything the person's equipment makes; ``None`` when the
    log fits the equipment or no equipment for this rung is listed (nothing to judge by)."""
    if not loads:
        return None
    logged = [s.load_kg for v in views for s in v.work_sets if s.load_kg is not None]
    if logged and max(logged) > loads[-1] + _EPS:
        return max(logged), loads[-1]
    return None


def graduation_check(
    state: TrainingState, profile: Profile, loads: Sequence[float] = ()
) -> GraduationCheck:
    """R-PROG-1: the rung's graduation criterion (catalogue data) over its last sessions.

    ``loads`` are the loads the person's equipment makes on this rung: a log heavier than
    all of them is doubted (R-RX-6) and does not graduate anyone."""
    ex = state.exercise
    grad = ex.graduation
    views = state.run[-grad.sessions :]
    evidence = tuple(Evidence(note=summarise_session(v, profile.unit), date=v.date) for v in views)
    if len(views) < grad.sessions:
        return GraduationCheck(False, f"{grad.sessions} sessions on this rung", evidence)
    if load_beyond_equipment(views, loads) is not None:
        return GraduationCheck(False, "loads your listed equipment makes", evidence)
    for view in views:
        work = view.work_sets
        if view.modifiers:
            return GraduationCheck(False, "sessions without the easier set-up", evidence)
        top = _top_reps(view, ex)
        if len(work) < grad.min_sets:
            return GraduationCheck(False, f"at least {grad.min_sets} work sets", evidence)
        if not all(_set_reaches(s, top, grad.top_seconds) for s in work):
            dose = f"{top} reps" if work and work[0].reps is not None else f"{grad.top_seconds} s"
            return GraduationCheck(False, f"every set at {dose}", evidence)
        if not session_is_clean(view, profile, grad.max_pain):
            return GraduationCheck(False, "clean form and pain 0-2 on every set", evidence)
        rpes = [s.effort_rpe for s in work if s.effort_rpe is not None]
        if any(r > grad.max_rpe for r in rpes):
            return GraduationCheck(False, f"effort at RPE {grad.max_rpe:g} or less", evidence)
        ratio = grad.min_load_bodymass_ratio
        if ratio is not None:
            need = ratio * profile.body_mass_kg
            if any((s.load_kg or 0.0) < need - _EPS for s in work):
                return GraduationCheck(
                    False,
                    f"a load of at least {to_unit(need, profile.unit):.0f} {profile.unit} "
                    f"({ratio:g} x body mass)",
                    evidence,
                )
    return GraduationCheck(True, "", evidence)


def summarise_session(view: SessionView, unit: Unit = "kg") -> str:
    """E.g. ``3 sets of 12/12/11 at 16 kg, clean, pain 0/10``."""
    work = view.work_sets
    if not work:
        return "no work sets"
    doses = [f"{s.reps}" if s.reps is not None else f"{s.seconds:g} s" for s in work]
    load = view.work_load()
    at = f" at {format_load(load, unit)}" if load is not None else ""
    forms = {s.form.value for s in work}
    form = "clean" if forms == {"clean"} else "/".join(sorted(forms))
    pain = max(s.pain for s in work)
    sets = "1 set" if len(work) == 1 else f"{len(work)} sets"
    return f"{sets} of {'/'.join(doses)}{at}, {form}, pain {pain}/10"


def criterion_text(ex: Exercise, dose: BaseDose) -> str:
    """The R-PROG-1 criterion in words, for this dose (a strength block's own top)."""
    grad = ex.graduation
    top = grad.top_reps
    if dose.purpose is Purpose.PRIMARY and dose.reps is not None:
        top = min(top, dose.reps[1])
    each = f"{grad.top_seconds} s" if dose.seconds is not None else f"{top} reps"
    sets = max(grad.min_sets, dose.sets)
    return f"{sets} x {each} with clean form, pain 0-2 and effort RPE {grad.max_rpe:g} or less"
