"""Loads a person can actually make with their own equipment (R-RX-6).

Every load the coach prescribes comes from :func:`available_loads`: kettlebells and
dumbbells singly or as a matched pair, a bar plus any combination of the plate pairs owned,
the settings of a cable stack, a single plate held in the hands. Targets are rounded *down*
to the heaviest load that can be made (:func:`round_down`), and the next increment is the
smallest makeable load at least 2 % heavier (:func:`next_increment`, R-PROG-2).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from hingecoach.coach.defaults import LOAD_STEP_MIN_PCT
from hingecoach.coach.models import OwnedEquipment
from hingecoach.knowledge import Exercise, LoadMode
from hingecoach.units import Unit, format_load

__all__ = [
    "UNLOADED_MODES",
    "available_loads",
    "choose_load_mode",
    "describe_load",
    "loads_near",
    "next_increment",
    "plates_per_side",
    "round_down",
]

UNLOADED_MODES = frozenset({LoadMode.BODYWEIGHT, LoadMode.BAND})
_EPS = 1e-6


def _kg(value: float) -> float:
    return round(value, 2)


def _singles_and_pairs(weights: Sequence[float]) -> tuple[float, ...]:
    """One implement, or two of the same size (no odd pairs: they load one side)."""
    counts = Counter(_kg(w) for w in weights)
    loads = set(counts)
    loads.update(_kg(2 * w) for w, n in counts.items() if n >= 2)
    return tuple(sorted(loads))


@lru_cache(maxsize=64)
def _bar_loads(bar_kg: float, plate_pairs: tuple[float, ...]) -> tuple[float, ...]:
    """The bar alone or with any combination of the plate pairs owned (both sides loaded)."""
    sums = {0.0}
    for plate in plate_pairs:
        sums |= {_kg(s + 2 * plate) for s in sums}
    return tuple(sorted(_kg(bar_kg + s) for s in sums))


def available_loads(equipment: OwnedEquipment, mode: LoadMode) -> tuple[float, ...]:
    """Every load in kg the person can make for ``mode``, lightest first (R-RX-6).

    Bodyweight and band work have no kg load: the result is empty for them.
    """
    plates = tuple(equipment.plates_kg)
    if mode is LoadMode.KETTLEBELL:
        return _singles_and_pairs(equipment.kettlebells_kg)
    if mode is LoadMode.DUMBBELL:
        return _singles_and_pairs(equipment.dumbbells_kg)
    if mode is LoadMode.CABLE:
        return tuple(sorted({_kg(w) for w in equipment.cable_stack_kg}))
    if mode is LoadMode.PLATE:
        return tuple(sorted({_kg(w) for w in equipment.plates_kg}))
    bar = {
        LoadMode.BARBELL: equipment.barbell_kg,
        LoadMode.TRAP_BAR: equipment.trap_bar_kg,
        LoadMode.SAFETY_SQUAT_BAR: equipment.safety_squat_bar_kg,
        LoadMode.CAMBERED_BAR: equipment.cambered_bar_kg,
    }.get(mode)
    if bar is None:
        return ()
    return _bar_loads(_kg(bar), plates)


def can_load(equipment: OwnedEquipment, mode: LoadMode) -> bool:
    """Whether the person can do an exercise in ``mode`` at all."""
    if mode is LoadMode.BODYWEIGHT:
        return True
    if mode is LoadMode.BAND:
        return bool(equipment.bands)
    return bool(available_loads(equipment, mode))


def choose_load_mode(
    exercise: Exercise, equipment: OwnedEquipment, preferred: LoadMode | None = None
) -> LoadMode | None:
    """How this person loads ``exercise``: the mode used last time if still possible, else
    the catalogue's first kg-loaded mode they own, else band, else bodyweight; ``None`` when
    they own nothing the exercise can be done with (R-RX-6)."""
    modes = exercise.load_modes
    if preferred is not None and preferred in modes and can_load(equipment, preferred):
        return preferred
    for mode in modes:
        if mode not in UNLOADED_MODES and can_load(equipment, mode):
            return mode
    for mode in (LoadMode.BAND, LoadMode.BODYWEIGHT):
        if mode in modes and can_load(equipment, mode):
            return mode
    return None


def round_down(target_kg: float, loads: Sequence[float]) -> float | None:
    """The heaviest makeable load not above ``target_kg``; ``None`` if even the lightest is
    heavier (R-RX-6: never a load the person does not own, never above the target)."""
    best: float | None = None
    for load in loads:
        if load <= target_kg + _EPS:
            best = load
        else:
            break
    return best


def next_increment(
    current_kg: float, loads: Sequence[float], min_step_pct: float = LOAD_STEP_MIN_PCT
) -> float | None:
    """The smallest makeable load at least ``min_step_pct`` heavier (R-PROG-2), or ``None``."""
    floor = current_kg * (1 + min_step_pct) - _EPS
    for load in loads:
        if load >= floor and load > current_kg + _EPS:
            return load
    return None


def loads_near(current_kg: float, loads: Sequence[float]) -> tuple[float | None, float | None]:
    """The makeable loads just below and just above ``current_kg``."""
    below = [w for w in loads if w < current_kg - _EPS]
    above = [w for w in loads if w > current_kg + _EPS]
    return (below[-1] if below else None, above[0] if above else None)


def _plates_for(extra_kg: float, plate_pairs: Sequence[float]) -> list[float] | None:
    """Plate pairs (heaviest first) adding up to ``extra_kg``, if any combination does."""
    pairs = sorted(plate_pairs, reverse=True)

    def search(i: int, left: float) -> list[float] | None:
        if abs(left) < 1e-3:
            return []
        if i >= len(pairs) or left < 0:
            return None
        with_this = search(i + 1, _kg(left - 2 * pairs[i]))
        if with_this is not None:
            return [pairs[i], *with_this]
        return search(i + 1, left)

    return search(0, _kg(extra_kg))


_BAR_MODES = (
    LoadMode.BARBELL,
    LoadMode.TRAP_BAR,
    LoadMode.SAFETY_SQUAT_BAR,
    LoadMode.CAMBERED_BAR,
)


def _bar_kg(mode: LoadMode, equipment: OwnedEquipment) -> float | None:
    return {
        LoadMode.BARBELL: equipment.barbell_kg,
        LoadMode.TRAP_BAR: equipment.trap_bar_kg,
        LoadMode.SAFETY_SQUAT_BAR: equipment.safety_squat_bar_kg,
        LoadMode.CAMBERED_BAR: equipment.cambered_bar_kg,
    }.get(mode)


def plates_per_side(
    load_kg: float | None, mode: LoadMode, equipment: OwnedEquipment
) -> tuple[float, ...] | None:
    """The person's own plates on each side of the bar for ``load_kg``, heaviest first:
    ``()`` for the empty bar, ``None`` when the load is not on a bar or cannot be made."""
    if load_kg is None or mode not in _BAR_MODES:
        return None
    bar_kg = _bar_kg(mode, equipment)
    if bar_kg is None:
        return None
    plates = _plates_for(load_kg - bar_kg, equipment.plates_kg)
    return None if plates is None else tuple(plates)


def describe_load(
    load_kg: float | None,
    mode: LoadMode,
    equipment: OwnedEquipment,
    band: str | None = None,
    unit: str = "kg",
) -> str:
    """Plain words for a load in the person's unit (kg or lb): "one 16 kg kettlebell",
    "20 kg bar + 2 x 10 kg plates", "225 lb: 45 lb bar + 45 + 45 lb a side"."""
    if mode is LoadMode.BODYWEIGHT or (load_kg is None and mode is not LoadMode.BAND):
        return "bodyweight"
    if mode is LoadMode.BAND:
        return f"{band} band" if band else "a band"
    assert load_kg is not None
    u: Unit = "lb" if unit == "lb" else "kg"

    def num(value: float) -> str:
        return format_load(value, u, with_unit=False)

    kg = format_load(load_kg, u)
    if mode in (LoadMode.KETTLEBELL, LoadMode.DUMBBELL):
        noun = "kettlebell" if mode is LoadMode.KETTLEBELL else "dumbbell"
        owned = equipment.kettlebells_kg if mode is LoadMode.KETTLEBELL else equipment.dumbbells_kg
        if _kg(load_kg) not in {_kg(w) for w in owned} and _kg(load_kg / 2) in {
            _kg(w) for w in owned
        }:
            return f"two {num(load_kg / 2)} {u} {noun}s ({kg} in all)"
        return f"one {kg} {noun}"
    if mode is LoadMode.CABLE:
        return f"{kg} on the cable stack"
    if mode is LoadMode.PLATE:
        return f"one {kg} plate"
    bars = {
        LoadMode.BARBELL: ("bar", equipment.barbell_kg),
        LoadMode.TRAP_BAR: ("trap bar", equipment.trap_bar_kg),
        LoadMode.SAFETY_SQUAT_BAR: ("safety squat bar", equipment.safety_squat_bar_kg),
        LoadMode.CAMBERED_BAR: ("cambered bar", equipment.cambered_bar_kg),
    }
    name, bar_kg = bars.get(mode, ("bar", None))
    if bar_kg is None:
        return f"{kg} on the {name}"
    plates = _plates_for(load_kg - bar_kg, equipment.plates_kg)
    if not plates:
        return f"{kg}: the {num(bar_kg)} {u} {name}" + ("" if plates == [] else " and plates")
    per_side = " + ".join(num(p) for p in plates)
    return f"{kg}: {num(bar_kg)} {u} {name} + {per_side} {u} a side"
