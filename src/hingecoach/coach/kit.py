"""The rung a person can do with what they own (R-RX-6, R-ASSESS-3).

A rung whose load needs equipment the person has not listed (a kettlebell rung with no
kettlebell or dumbbell) is never prescribed at "bodyweight": the card names what to get and
prescribes the nearest rung below that they can do now.
"""

from __future__ import annotations

from hingecoach.coach.decisions import Action
from hingecoach.coach.ladder import lower_rung
from hingecoach.coach.loads import choose_load_mode
from hingecoach.coach.models import OwnedEquipment
from hingecoach.coach.outcome import Outcome
from hingecoach.knowledge import Catalogue, Equipment, Exercise

__all__ = ["GET_ONE", "fit_to_equipment", "owns", "what_to_get"]

GET_ONE: dict[Equipment, tuple[str, str]] = {
    Equipment.DOWEL: ("a dowel", "a broom handle or a length of PVC pipe works"),
    Equipment.BLOCKS: ("blocks", "a sturdy step, box or stack of plates works"),
    Equipment.BENCH: ("a bench", "a sturdy chair or step works"),
    Equipment.MIRROR: ("a mirror", "a phone video from the side works too"),
}


def owns(equipment: OwnedEquipment, need: Equipment) -> bool:
    """Whether the person listed this piece of kit (things not listed in a profile, like a
    wall, count as owned)."""
    return {
        Equipment.DOWEL: equipment.dowel,
        Equipment.BLOCKS: equipment.blocks,
        Equipment.BENCH: equipment.bench,
        Equipment.MIRROR: equipment.mirror,
    }.get(need, True)


def what_to_get(ex: Exercise) -> str:
    """The loads a rung can take, in words: ``kettlebell or dumbbell``."""
    return " or ".join(m.value.replace("-", " ") for m in ex.load_modes)


def fit_to_equipment(out: Outcome, catalogue: Catalogue, equipment: OwnedEquipment) -> Outcome:
    """R-RX-6: an outcome on a rung the person cannot load moves to the nearest rung below
    that they can; the words say what to get to do the rung the rules chose."""
    ex = out.exercise
    if ex is None or choose_load_mode(ex, equipment) is not None:
        return out
    lower = lower_rung(catalogue, ex, equipment)
    if lower is None:
        return out
    need = what_to_get(ex)
    return Outcome(
        action=Action.HOLD if out.action in (Action.PROGRESS, Action.ADD_LOAD) else out.action,
        rules=["R-RX-6", *out.rules],
        reason=f"The {ex.name.lower()} needs a {need}, and your equipment list has none: "
        f"train the {lower.name.lower()} until you have one.",
        do_now=f"Next session: {lower.name.lower()}. {lower.cues[0]}",
        would_change=f"Add a {need} to your equipment and you move to the {ex.name.lower()}.",
        evidence=out.evidence,
        advice=out.advice,
        exercise=lower,
    )
