"""kg or lb: conversion, formatting and parsing (hingecoach.units), with properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hingecoach.errors import InputError
from hingecoach.units import (
    KG_PER_LB,
    STEP,
    Unit,
    format_load,
    parse_load,
    parse_unit,
    to_kg,
    to_unit,
)

loads_kg = st.floats(min_value=0, max_value=1000, allow_nan=False)
units = st.sampled_from(["kg", "lb"])


@given(loads_kg, units)
def test_converting_there_and_back_is_the_same_load(kg: float, unit: Unit) -> None:
    assert to_kg(to_unit(kg, unit), unit) == pytest.approx(kg, rel=1e-12, abs=1e-9)


@given(loads_kg, units)
def test_what_is_shown_reads_back_within_half_a_step(kg: float, unit: Unit) -> None:
    typed = format_load(kg, unit)
    assert typed.endswith(" " + unit)
    back = parse_load(typed, "kg" if unit == "lb" else "lb")  # the unit typed wins
    assert back is not None
    assert abs(to_unit(back, unit) - to_unit(kg, unit)) <= STEP[unit] / 2 + 1e-9


@given(loads_kg, units)
def test_a_bare_number_is_in_the_persons_unit(kg: float, unit: Unit) -> None:
    number = format_load(kg, unit, with_unit=False)
    assert parse_load(number, unit) == parse_load(f"{number} {unit}", "kg")


@pytest.mark.parametrize(
    ("text", "unit", "kg"),
    [
        ("180 lb", "kg", 180 * KG_PER_LB),
        ("180lbs", "kg", 180 * KG_PER_LB),
        ("45 LB", "kg", 45 * KG_PER_LB),
        ("81,5 kg", "lb", 81.5),
        ("20", "kg", 20.0),
        ("45", "lb", 45 * KG_PER_LB),
        ("", "lb", None),
    ],
)
def test_typed_loads(text: str, unit: Unit, kg: float | None) -> None:
    assert parse_load(text, unit) == (pytest.approx(kg) if kg is not None else None)


@pytest.mark.parametrize(
    ("kg", "unit", "text"),
    [
        (20.0, "kg", "20 kg"),
        (45 * KG_PER_LB, "lb", "45 lb"),  # a 45 lb plate is 45 lb, not 20 kg
        (20.0, "lb", "44 lb"),  # 44.09 lb, to the half pound
        (16.0, "lb", "35.25 lb"),
        (None, "lb", ""),
    ],
)
def test_shown_loads(kg: float | None, unit: Unit, text: str) -> None:
    assert format_load(kg, unit) == text


@pytest.mark.parametrize("text", ["heavy", "180 stone", "-5 kg", "1e3", "2000 kg"])
def test_what_is_not_a_load_is_refused_with_an_example(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_load(text, "kg")
    assert text.strip() in str(caught.value) or "kg or lb" in str(caught.value)


def test_units_are_kg_or_lb() -> None:
    assert parse_unit("LBS") == "lb" and parse_unit("kg") == "kg"
    with pytest.raises(InputError, match="kg or lb"):
        parse_unit("stone")


@given(st.sampled_from([8.0, 12.0, 16.0, 20.0, 24.0]), units)
def test_a_load_typed_as_shown_is_the_owned_one(owned: float, unit: Unit) -> None:
    from hingecoach.units import snap_to_owned

    bells = [8.0, 12.0, 16.0, 20.0, 24.0]
    typed = parse_load(format_load(owned, unit), unit)
    assert typed is not None
    assert snap_to_owned(typed, bells, unit) == owned


def test_a_load_far_from_any_owned_one_stays_as_typed() -> None:
    from hingecoach.units import snap_to_owned

    assert snap_to_owned(14.0, [12.0, 16.0], "lb") == 14.0
