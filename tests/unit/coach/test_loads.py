"""Loads from the person's own equipment (R-RX-6) and the next increment (R-PROG-2)."""

from __future__ import annotations

import pytest

from hingecoach.coach import OwnedEquipment, available_loads, next_increment, round_down
from hingecoach.coach.loads import describe_load
from hingecoach.knowledge import LoadMode

GYM = OwnedEquipment(
    kettlebells_kg=[12, 16, 16, 20],
    dumbbells_kg=[10, 10, 12.5],
    barbell_kg=20,
    trap_bar_kg=25,
    plates_kg=[10, 5, 2.5],
    cable_stack_kg=[5, 10, 15],
)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        pytest.param(
            LoadMode.KETTLEBELL, (12, 16, 20, 32), id="bells singly or a matched pair (R-RX-6)"
        ),
        pytest.param(LoadMode.DUMBBELL, (10, 12.5, 20), id="dumbbells singly or a pair (R-RX-6)"),
        pytest.param(
            LoadMode.BARBELL,
            (20, 25, 30, 35, 40, 45, 50, 55),
            id="bar plus any combination of plate pairs (R-RX-6)",
        ),
        pytest.param(LoadMode.TRAP_BAR, (25, 30, 35, 40, 45, 50, 55, 60), id="trap bar (R-RX-6)"),
        pytest.param(LoadMode.CABLE, (5, 10, 15), id="cable stack (R-RX-6)"),
        pytest.param(LoadMode.BODYWEIGHT, (), id="bodyweight has no kg load"),
        pytest.param(LoadMode.SAFETY_SQUAT_BAR, (), id="a bar not owned makes nothing"),
    ],
)
def test_r_rx_6_loads_a_person_can_make(mode: LoadMode, expected: tuple[float, ...]) -> None:
    assert available_loads(GYM, mode) == expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        pytest.param(19.9, 16, id="19.9 kg rounds down to the 16 kg bell (R-RX-6)"),
        pytest.param(20, 20, id="an exact load stays (R-RX-6)"),
        pytest.param(100, 32, id="above everything: the heaviest (R-RX-6)"),
        pytest.param(10, None, id="below the lightest: nothing, never a heavier load (R-RX-6)"),
    ],
)
def test_r_rx_6_round_down(target: float, expected: float | None) -> None:
    assert round_down(target, available_loads(GYM, LoadMode.KETTLEBELL)) == expected


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        pytest.param(
            16, 20, id="16 kg bell -> 20 kg, the smallest step of at least 2 % (R-PROG-2)"
        ),
        pytest.param(50, 55, id="barbell 50 -> 55 (R-PROG-2)"),
        pytest.param(32, None, id="nothing heavier (R-PROG-2)"),
    ],
)
def test_r_prog_2_next_increment(current: float, expected: float | None) -> None:
    mode = LoadMode.BARBELL if current == 50 else LoadMode.KETTLEBELL
    assert next_increment(current, available_loads(GYM, mode)) == expected


def test_r_prog_2_the_increment_is_at_least_two_percent() -> None:
    loads = (100.0, 101.0, 102.5, 105.0)
    assert next_increment(100, loads) == 102.5


def test_describe_load_in_plain_words() -> None:
    assert describe_load(16, LoadMode.KETTLEBELL, GYM) == "one 16 kg kettlebell"
    assert describe_load(32, LoadMode.KETTLEBELL, GYM) == "two 16 kg kettlebells (32 kg in all)"
    assert describe_load(45, LoadMode.BARBELL, GYM) == "45 kg: 20 kg bar + 10 + 2.5 kg a side"
    assert describe_load(None, LoadMode.BODYWEIGHT, GYM) == "bodyweight"
    assert describe_load(None, LoadMode.BAND, GYM, "red") == "red band"


def test_an_lb_lifter_reads_the_bar_and_plates_a_side_in_lb() -> None:
    """A 45 lb bar with 45 lb plates is 45 lb, not 20 kg: the load, the bar and the
    plates a side are all said in the person's unit."""
    lb = 0.45359237
    gym = OwnedEquipment(barbell_kg=45 * lb, plates_kg=[45 * lb, 45 * lb, 25 * lb, 10 * lb])
    bar, (p10, p25, p45, _) = gym.barbell_kg or 0, gym.plates_kg  # as stored (0.01 kg)
    text = describe_load(bar + 4 * p45, LoadMode.BARBELL, gym, unit="lb")
    assert text == "225 lb: 45 lb bar + 45 + 45 lb a side"
    assert describe_load(bar + 2 * (p25 + p10), LoadMode.BARBELL, gym, unit="lb") == (
        "115 lb: 45 lb bar + 25 + 10 lb a side"
    )
    assert describe_load(16, LoadMode.KETTLEBELL, GYM, unit="lb") == "one 35.25 lb kettlebell"
