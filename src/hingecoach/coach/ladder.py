"""Reading the catalogue the way the coach needs it: rungs, signs, modifiers and cues.

Small helpers over :class:`hingecoach.knowledge.Catalogue` so the rule modules stay short.
Unknown ids raise :class:`hingecoach.errors.UnknownIdError` with suggestions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from hingecoach.coach.decisions import AppliedModifier
from hingecoach.coach.defaults import LEARNING_STAGE_MAX
from hingecoach.coach.loads import choose_load_mode
from hingecoach.coach.models import Goal, OwnedEquipment
from hingecoach.errors import UnknownIdError
from hingecoach.knowledge import (
    Catalogue,
    Exercise,
    Modifier,
    RegressionSign,
    Sign,
    SingleLeg,
    find_exercise,
    find_fault,
)

__all__ = [
    "SIGN_RULES",
    "applied",
    "exercise",
    "fault_cues",
    "is_free_single_leg",
    "is_learning_rung",
    "lower_rung",
    "lowers",
    "modifier_answers",
    "modifiers_for_sign",
    "progression_choices",
    "sign_for_fault",
    "sign_of",
]

# The sign table of RULES.md section 6; the catalogue's signs.yaml carries the same rule ids
# and the modifiers that answer each sign (tried in order).
SIGN_RULES: dict[RegressionSign, str] = {
    RegressionSign.BACK_ROUNDING: "R-REG-1",  # reduce range of motion, cue the brace
    RegressionSign.BALANCE: "R-REG-2",  # add support: wall, dowel, staggered stance
    RegressionSign.LOW_BACK_STRAIN: "R-REG-3",  # switch to form drills
    RegressionSign.FATIGUE: "R-REG-4",  # lower the intensity
    RegressionSign.LIMITED_MOBILITY: "R-REG-5",  # work from elevated surfaces
}
_SIGN_ORDER = tuple(SIGN_RULES)  # R-REG-1..5 in rule order


def exercise(catalogue: Catalogue, exercise_id: str) -> Exercise:
    """The exercise with exactly this id; ``UnknownIdError`` (with suggestions) otherwise.

    Names and aliases are for people typing at the CLI; stored data uses ids only.
    """
    found = catalogue.exercises.get(exercise_id)
    if found is not None:
        return found
    close = find_exercise(catalogue, exercise_id)  # raises with suggestions if nothing is close
    raise UnknownIdError("exercise", exercise_id, [close.id])


def is_learning_rung(ex: Exercise) -> bool:
    """R-RX-2: stages 0-2 are learning rungs."""
    return ex.stage is not None and int(ex.stage) <= LEARNING_STAGE_MAX


def is_free_single_leg(ex: Exercise) -> bool:
    """A single-leg rung without support (R-ASSESS-3 needs 30 s stance for it): the
    catalogue's ``single_leg: free``."""
    return ex.single_leg is SingleLeg.FREE


def sign_for_fault(catalogue: Catalogue, fault_id: str) -> RegressionSign | None:
    """The R-REG sign a fault counts towards, if any (``Fault.sign``)."""
    return find_fault(catalogue, fault_id).sign


def sign_of(catalogue: Catalogue, sign: RegressionSign) -> Sign | None:
    return catalogue.signs.get(sign.value)


def sign_rule(catalogue: Catalogue, sign: RegressionSign) -> str:
    """The rule id of a sign (R-REG-1..5), from the catalogue, else by position."""
    found = sign_of(catalogue, sign)
    return found.rule if found is not None else SIGN_RULES[sign]


def sign_name(catalogue: Catalogue, sign: RegressionSign) -> str:
    found = sign_of(catalogue, sign)
    return found.name.lower() if found is not None else sign.value.replace("-", " ")


def ordered_signs(signs: Iterable[RegressionSign]) -> list[RegressionSign]:
    """Signs in rule order (R-REG-1 first)."""
    wanted = set(signs)
    return [s for s in _SIGN_ORDER if s in wanted]


def modifiers_for_sign(catalogue: Catalogue, ex: Exercise, sign: RegressionSign) -> list[Modifier]:
    """The modifiers that answer ``sign`` on ``ex``, in the sign's order (R-REG-1..6)."""
    found = sign_of(catalogue, sign)
    if found is None:
        return []
    allowed = set(ex.modifiers)
    return [
        catalogue.modifiers[m] for m in found.modifiers if m in allowed and m in catalogue.modifiers
    ]


def modifier_answers(catalogue: Catalogue, modifier_id: str, sign: RegressionSign) -> bool:
    """Whether a modifier is one the catalogue lists for ``sign`` (R-REG-6)."""
    found = sign_of(catalogue, sign)
    return found is not None and modifier_id in found.modifiers


def applied(
    modifier: Modifier, sign: RegressionSign | None, rule: str, step: str | None = None
) -> AppliedModifier:
    """A modifier as used on a prescription; stepped modifiers start at their easiest step."""
    if step is None and modifier.steps:
        step = modifier.steps[0]
    return AppliedModifier(
        id=modifier.id,
        name=modifier.name,
        kind=modifier.kind,
        step=step,
        sign=sign,
        rule=rule,
        how_to_undo=modifier.how_to_undo,
    )


def lower_rung(
    catalogue: Catalogue, ex: Exercise, equipment: OwnedEquipment | None = None
) -> Exercise | None:
    """One rung down: the exercise's first regression (R-REG-7); ``None`` on the floor.

    With ``equipment``, a regression the person cannot load is passed over for the next one
    listed, and if none of them can be loaded, for the rung below it (R-RX-6).
    """
    seen: set[str] = {ex.id}
    frontier = [ex]
    while frontier:
        below = [
            catalogue.exercises[t]
            for rung in frontier
            for t in rung.regresses_to
            if t in catalogue.exercises and t not in seen
        ]
        if not below:
            return None
        if equipment is None:
            return below[0]
        for rung in below:
            if choose_load_mode(rung, equipment) is not None:
                return rung
        seen.update(r.id for r in below)
        frontier = below
    return None


def progression_choices(
    catalogue: Catalogue, ex: Exercise, goal: Goal, equipment: OwnedEquipment
) -> list[Exercise]:
    """The next rungs up (R-PROG-1), best first for this person.

    Rungs the person can load come first; power work (the catalogue's ``power: true``, the
    pull-through and the swing) comes first for a power goal and last otherwise (R-RX-3);
    then the catalogue's own order.
    """
    nexts = [catalogue.exercises[i] for i in ex.progresses_to if i in catalogue.exercises]

    def rank(item: tuple[int, Exercise]) -> tuple[int, int, int]:
        index, nxt = item
        loadable = choose_load_mode(nxt, equipment) is not None
        power = nxt.power
        power_rank = (0 if power else 1) if goal is Goal.POWER else (1 if power else 0)
        return (0 if loadable else 1, power_rank, index)

    return [nxt for _, nxt in sorted(enumerate(nexts), key=rank)]


def lowers(catalogue: Catalogue, modifier_id: str) -> str | None:
    """What a modifier lowers, from the catalogue (``load``, ``volume`` or ``None``)."""
    mod = catalogue.modifiers.get(modifier_id)
    return mod.lowers if mod is not None else None


def fault_cues(catalogue: Catalogue, fault_ids: Sequence[str]) -> list[str]:
    """The catalogue cue of each fault, in first-seen order, without repeats (R-RX-1)."""
    cues: list[str] = []
    for fault_id in fault_ids:
        fault = catalogue.faults.get(fault_id)
        if fault is not None and fault.cue not in cues:
            cues.append(fault.cue)
    return cues
