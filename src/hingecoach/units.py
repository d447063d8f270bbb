"""kg or lb: converting, formatting and parsing loads (pure, no I/O).

Storage stays in kg; a person sees and types loads in their own unit. One home for the
conversion so every page, the CLI, the plan and the calendar say the same number:

- :func:`to_unit` / :func:`to_kg` convert (1 lb = 0.45359237 kg, exactly);
- :func:`format_load` shows a load in a unit (``"180 lb"``, ``"81.65 kg"``), to the
  precision a person reads off a bar or a bell (0.1 kg, 0.5 lb);
- :func:`parse_load` reads what a person typed: ``"180 lb"``, ``"180lbs"``, ``"81,5 kg"``,
  or a bare number in their own unit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final, Literal, get_args

from hingecoach.errors import InputError

__all__ = [
    "KG_PER_LB",
    "UNITS",
    "Unit",
    "format_change",
    "format_load",
    "parse_load",
    "parse_loads",
    "parse_unit",
    "snap_to_owned",
    "to_kg",
    "to_unit",
]

Unit = Literal["kg", "lb"]
UNITS: Final[tuple[Unit, ...]] = get_args(Unit)
KG_PER_LB: Final = 0.45359237  # the international pound, exact by definition
STEP: Final[dict[Unit, float]] = {"kg": 0.05, "lb": 0.25}  # shown to a 1.25 plate
MAX_KG: Final = 1000.0  # the heaviest load a set may hold (as SetLog)

_SUFFIX: Final[dict[str, Unit]] = {
    "kg": "kg",
    "kgs": "kg",
    "kilo": "kg",
    "kilos": "kg",
    "lb": "lb",
    "lbs": "lb",
    "pound": "lb",
    "pounds": "lb",
    "#": "lb",
}
_LOAD = re.compile(r"^\s*(?P<number>[0-9]+(?:[.,][0-9]+)?)\s*(?P<unit>[a-z#]*)\s*\.?\s*$")


def parse_unit(text: str) -> Unit:
    """``kg`` or ``lb`` (also ``lbs``, ``kgs``, any case); anything else is refused."""
    unit = _SUFFIX.get(text.strip().lower())
    if unit is None:
        raise InputError(f"the unit is kg or lb, not {text!r}")
    return unit


def to_unit(kg: float, unit: Unit) -> float:
    return kg if unit == "kg" else kg / KG_PER_LB


def to_kg(value: float, unit: Unit) -> float:
    return value if unit == "kg" else value * KG_PER_LB


def shown(kg: float, unit: Unit) -> float:
    """The number a person sees for ``kg``: in their unit, to the step shown."""
    step = STEP[unit]
    return round(round(to_unit(kg, unit) / step) * step, 2)


def format_load(kg: float | None, unit: Unit, *, with_unit: bool = True) -> str:
    """``"180 lb"`` or ``"81.6 kg"``; an empty string for no load (bodyweight or a band)."""
    if kg is None:
        return ""
    number = f"{shown(kg, unit):g}"
    return f"{number} {unit}" if with_unit else number


def format_change(before_kg: float, after_kg: float, unit: Unit) -> str:
    """A load that moves, in one unit: ``"100 -> 90 kg"``, ``"180 -> 190 lb"``."""
    return f"{format_load(before_kg, unit, with_unit=False)} -> {format_load(after_kg, unit)}"


def parse_load(text: str, unit: Unit) -> float | None:
    """The load in kg from what a person typed; a bare number is in ``unit``. Empty: None.

    >>> round(parse_load("180 lb", "kg") or 0, 3)
    81.647
    """
    if not text.strip():
        return None
    found = _LOAD.match(text.lower())
    if found is None:
        raise InputError(
            f"a load is a number with kg or lb, like '80 kg' or '180 lb'; {text!r} is not one"
        )
    number = float(found["number"].replace(",", "."))
    typed = parse_unit(found["unit"]) if found["unit"] else unit
    kg = to_kg(number, typed)
    if kg > MAX_KG:
        raise InputError(
            f"{text.strip()} is more than {format_load(MAX_KG, typed)}; check the load"
        )
    return kg


def parse_loads(text: str, unit: Unit) -> list[float]:
    """Owned loads as a person lists them, in kg: ``"8,12,16"`` (in ``unit``),
    ``"35, 53 lb"`` (a unit after the last one counts for the bare ones before it) or
    ``"16 kg, 53 lb"``. Stored to 0.1 g, so a 35 lb bell is shown as 35 lb again."""
    parts = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
    if not parts:
        return []
    last = _LOAD.match(parts[-1].lower())
    if last is not None and last["unit"]:
        unit = parse_unit(last["unit"])
    loads = []
    for part in parts:
        kg = parse_load(part, unit)
        if kg is None or kg <= 0:
            raise InputError(f"{part!r} is not a load; list weights like '8,12,16' or '35,53 lb'")
        loads.append(round(kg, 4))
    return loads


def snap_to_owned(kg: float, owned_kg: Iterable[float], unit: Unit) -> float:
    """The owned load a typed one means: a load typed in lb ("35.25") is the 16 kg bell it
    was shown as, not 15.99 kg. The nearest owned load within half a shown step, else
    ``kg`` unchanged (the caller then says it is not a load the person can make)."""
    best = min(owned_kg, key=lambda w: abs(w - kg), default=None)
    if best is not None and abs(to_unit(best - kg, unit)) <= STEP[unit] / 2 + 1e-9:
        return best
    return kg
