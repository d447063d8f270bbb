"""Estimated 1RM with its band (R-PROG-5) and the RPE chart (R-PROG-6)."""

from __future__ import annotations

import pytest

from hingecoach.coach import estimate_e1rm, load_for, rpe_chart_pct
from hingecoach.coach.e1rm import brzycki, epley, rolling_e1rm, wathan
from hingecoach.errors import InputError

from .builders import work


@pytest.mark.parametrize(
    ("reps", "rpe", "pct"),
    [
        pytest.param(1, 10, 1.000, id="a single at RPE 10 is 100 % (R-PROG-6)"),
        pytest.param(5, 10, 0.863, id="5 @ 10 = 86.3 % (R-PROG-6)"),
        pytest.param(5, 8, 0.811, id="5 @ 8 = 81.1 % (R-PROG-6)"),
        pytest.param(8, 8, 0.739, id="8 @ 8 = 73.9 % (R-PROG-6)"),
        pytest.param(12, 6, 0.572, id="12 @ 6 = 57.2 % (R-PROG-6)"),
        pytest.param(3, 7.5, 0.850, id="3 @ 7.5 = 85.0 % (R-PROG-6)"),
    ],
)
def test_r_prog_6_rpe_chart(reps: int, rpe: float, pct: float) -> None:
    assert rpe_chart_pct(reps, rpe) == pytest.approx(pct)


def test_r_prog_6_chart_refuses_what_it_does_not_cover() -> None:
    with pytest.raises(InputError, match="reps"):
        rpe_chart_pct(13, 8)
    with pytest.raises(InputError, match="rpe"):
        rpe_chart_pct(5, 5)


def test_r_prog_5_formulas_match_the_reference_table() -> None:
    assert epley(100, 5) == pytest.approx(116.7, abs=0.1)
    assert brzycki(100, 5) == pytest.approx(112.5, abs=0.1)
    assert wathan(100, 5) == pytest.approx(116.6, abs=0.1)


@pytest.mark.parametrize(
    ("load", "reps", "rpe", "e1rm", "band"),
    [
        pytest.param(100, 5, 8, 100 / 0.811, 0.05, id="5 @ RPE 8: chart, +/-5 % (R-PROG-5)"),
        pytest.param(100, 8, 9, 100 / 0.762, 0.10, id="8 reps: +/-10 % band (R-PROG-5)"),
        pytest.param(100, 2, 9, 100 / 0.922, 0.05, id="2 reps take the 5 % band (R-PROG-5)"),
        pytest.param(100, 5, None, 116.6, 0.05, id="no RPE: median of the formulas (R-PROG-5)"),
    ],
)
def test_r_prog_5_estimates_and_bands(
    load: float, reps: int, rpe: float | None, e1rm: float, band: float
) -> None:
    est = estimate_e1rm(load, reps, rpe)
    assert est is not None
    assert est.e1rm_kg == pytest.approx(e1rm, abs=0.1)
    assert est.band_pct == band
    assert est.low_kg == pytest.approx(est.e1rm_kg * (1 - band), abs=0.02)
    assert est.high_kg == pytest.approx(est.e1rm_kg * (1 + band), abs=0.02)
    assert est.method == ("formulas" if rpe is None else "rpe-chart")


@pytest.mark.parametrize(
    ("reps", "rpe"),
    [
        pytest.param(1, 9, id="singles give no estimate (R-PROG-5)"),
        pytest.param(11, 9, id="more than 10 reps give no estimate (R-PROG-5)"),
        pytest.param(5, 6.5, id="RPE under 7 gives no estimate (R-PROG-5)"),
    ],
)
def test_r_prog_5_invalid_sets_give_no_estimate(reps: int, rpe: float) -> None:
    assert estimate_e1rm(100, reps, rpe) is None


def test_r_prog_6_rolling_median_of_the_last_three_valid_sets() -> None:
    sets = [
        work(5, load=100, rpe=8),  # newest: 123.3
        work(5, load=100, rpe=6),  # not valid
        work(5, load=110, rpe=8),  # 135.6
        work(5, load=90, rpe=8),  # 111.0
        work(5, load=200, rpe=8),  # too old: fourth valid set
    ]
    assert rolling_e1rm(sets) == pytest.approx(100 / 0.811, abs=0.1)
    assert rolling_e1rm([work(12, load=10)]) is None


def test_r_prog_6_load_for_reps_and_rpe() -> None:
    assert load_for(100, 5, 8) == pytest.approx(81.1)
