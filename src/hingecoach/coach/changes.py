"""The reasons for every change from last time (R-RX-1).

Each field of the new prescription that differs from the one the last session followed
(or, without one, from what the last session logged) becomes a :class:`Change` with a plain
reason and the rule that made it.
"""

from __future__ import annotations

from collections.abc import Sequence

from hingecoach.coach.decisions import Action, AppliedModifier, Change, Prescription
from hingecoach.coach.dose import BaseDose
from hingecoach.coach.history import TrainingState
from hingecoach.coach.outcome import Outcome
from hingecoach.knowledge import ModifierKind
from hingecoach.units import Unit, format_load

__all__ = ["changes_from_last_time"]


def previous_prescription(state: TrainingState) -> Prescription | None:
    if state.run and state.run[-1].prescription is not None:
        return state.run[-1].prescription
    if state.last_session is not None:
        return state.last_session.prescription
    return None


def _mods_text(mods: Sequence[AppliedModifier]) -> str:
    return ", ".join(m.label() for m in mods) or "none"


def changes_from_last_time(
    prev: Prescription | None,
    state: TrainingState,
    new: Prescription,
    why: dict[str, tuple[str, str]],
    dose: BaseDose,
    out: Outcome,
    unit: Unit = "kg",
) -> list[Change]:
    """One :class:`Change` per field that differs from last time, each with a reason and a
    rule (R-RX-1). Without a stored prescription, the last session's log is compared."""
    changes: list[Change] = []

    def add(what: str, before: str | None, after: str | None, default: tuple[str, str]) -> None:
        before, after = before or "-", after or "-"
        if before == after:
            return
        reason, rule = why.get(what, default)
        changes.append(Change(what=what, before=before, after=after, reason=reason, rule=rule))

    dose_why = (dose.why, dose.rule)
    last_session = state.last_session
    if prev is None:
        if last_session is None:
            return []
        before_ex = last_session.exercise_id
        add("exercise", before_ex, new.exercise_id, ("a new rung", out.rules[0]))
        logged_sets = len(last_session.work_sets)
        if before_ex == new.exercise_id and logged_sets:  # R-RX-1: more or fewer sets, and why
            bridging = new.bridge_step >= 2
            add(
                "sets",
                str(logged_sets),
                str(new.sets),
                ("bridging a big load jump", "R-PROG-3") if bridging else dose_why,
            )
        last_load = next(
            (s.load_kg for s in reversed(last_session.work_sets) if s.load_kg is not None), None
        )
        if new.load_kg is not None or last_load is not None:
            add(
                "load",
                format_load(last_load, unit) if last_load is not None else "bodyweight",
                format_load(new.load_kg, unit) if new.load_kg is not None else new.load_label,
                ("load from your equipment", "R-RX-6"),
            )
        return changes
    add("exercise", prev.exercise_id, new.exercise_id, ("a new rung", out.rules[0]))
    bridge_rule = ("bridging a big load jump", "R-PROG-3")
    add(
        "sets",
        str(prev.sets),
        str(new.sets),
        bridge_rule if new.bridge_step >= 2 and prev.bridge_step < 2 else dose_why,
    )
    reps_rule = (
        bridge_rule
        if new.bridge_step >= 1 and prev.bridge_step < 1
        else ("add reps within the range (double progression)", "R-PROG-2")
        if prev.reps is not None
        and new.reps is not None
        and (prev.reps.min, prev.reps.max) == (new.reps.min, new.reps.max)
        else dose_why
    )
    add(
        "reps", str(prev.reps) if prev.reps else None, str(new.reps) if new.reps else "-", reps_rule
    )
    add(
        "seconds",
        f"{prev.seconds} s" if prev.seconds else None,
        f"{new.seconds} s" if new.seconds else None,
        dose_why,
    )
    if prev.load_kg is not None or new.load_kg is not None:
        add(
            "load",
            format_load(prev.load_kg, unit) if prev.load_kg is not None else prev.load_label,
            format_load(new.load_kg, unit) if new.load_kg is not None else new.load_label,
            ("load from your equipment", "R-RX-6"),
        )
    if prev.band is not None or new.band is not None:
        add("band", prev.band, new.band, ("band from your equipment", "R-RX-6"))
    tempo_rule = (
        bridge_rule
        if new.bridge_step >= 3 and prev.bridge_step < 3
        else ("speed control: 3 s down, 2 s up", "R-REG-6")
        if any(m.kind is ModifierKind.TEMPO for m in new.modifiers)
        else ("tempo for this rung and goal", "R-RX-4")
    )
    add("tempo", str(prev.tempo), str(new.tempo), tempo_rule)
    add(
        "rest",
        f"{prev.rest_s}-{prev.rest_max_s} s",
        f"{new.rest_s}-{new.rest_max_s} s",
        ("rest for this purpose", "R-RX-2"),
    )
    add(
        "rpe",
        f"{prev.rpe_target:g}",
        f"{new.rpe_target:g}",
        ("a new rung starts conservatively", "R-PROG-4")
        if out.new_rung
        else ("effort for your experience", "R-RX-5"),
    )
    before = {m.id: m for m in prev.modifiers}
    after = {m.id: m for m in new.modifiers}
    for mod_id in dict.fromkeys([*before, *after]):
        b, a = before.get(mod_id), after.get(mod_id)
        if b is not None and a is not None and b.step == a.step:
            continue
        rule = (a or b).rule if (a or b) is not None else "R-REG-6"  # type: ignore[union-attr]
        if prev.exercise_id != new.exercise_id:
            rung_rule = why.get("exercise", ("", out.rules[0]))[1]
            default = ("a new rung starts without the easier set-up", rung_rule)
        elif a is not None and b is None:
            default = ("the sign it answers showed", rule)
        elif a is not None and b is not None and out.action is Action.REGRESS:
            default = ("the sign it answers showed again: one step easier", rule)
        else:
            default = ("two clean sessions", "R-REG-8")
        add(
            f"modifier {mod_id}",
            b.label() if b is not None else None,
            a.label() if a is not None else "removed",
            default,
        )
    return changes
