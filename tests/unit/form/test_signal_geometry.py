"""Smoothing keeps length and timing; angles stay in range (property tests)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from hingecoach.form.geometry import angle_deg, from_vertical_deg, signed_from_vertical_deg
from hingecoach.form.signal import fill_gaps, odd_window, savgol_coefficients, smooth

finite = st.floats(-1e4, 1e4, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    values=arrays(np.float64, st.integers(1, 200), elements=st.floats(-1e4, 1e4) | st.just(np.nan)),
    window=st.integers(1, 31).map(lambda n: n * 2 + 1),
)
def test_filters_keep_length(values: np.ndarray, window: int) -> None:
    assert smooth(values, window).shape == values.shape
    assert fill_gaps(values).shape == values.shape


@settings(max_examples=40, deadline=None)
@given(values=arrays(np.float64, st.integers(3, 120), elements=finite), frac=st.floats(0, 0.5))
def test_fill_gaps_leaves_no_nan_when_anything_is_known(values: np.ndarray, frac: float) -> None:
    holes = values.copy()
    holes[: int(frac * values.size)] = np.nan
    filled = fill_gaps(holes)
    assert np.isfinite(filled).all()
    known = np.isfinite(holes)
    assert np.allclose(filled[known], holes[known])


@pytest.mark.parametrize("peak", [20, 47, 80])
def test_smoothing_keeps_the_time_of_a_peak(peak: int) -> None:
    """R-FORM-1: a zero-phase filter does not delay the rep bottom."""
    t = np.arange(120, dtype=float)
    signal = np.exp(-0.5 * ((t - peak) / 6.0) ** 2)
    noisy = signal + np.random.default_rng(1).normal(0, 0.02, t.size)
    assert abs(int(np.argmax(smooth(noisy, odd_window(0.3, 30)))) - peak) <= 1


def test_savgol_weights_sum_to_one_and_keep_polynomials() -> None:
    w = savgol_coefficients(9, 2)
    assert w.sum() == pytest.approx(1.0)
    x = np.arange(50, dtype=float)
    quad = 0.3 * x**2 - 2 * x + 5
    assert np.allclose(smooth(quad, 9)[5:-5], quad[5:-5])
    with pytest.raises(ValueError, match="odd"):
        savgol_coefficients(8, 2)


points = arrays(np.float64, (3, 2), elements=finite)


@settings(max_examples=100, deadline=None)
@given(pts=points)
def test_angles_stay_in_range(pts: np.ndarray) -> None:
    a = angle_deg(pts[0], pts[1], pts[2])
    assert np.isnan(a) or 0.0 <= float(a) <= 180.0
    v = from_vertical_deg(pts[0], pts[1])
    assert np.isnan(v) or 0.0 <= float(v) <= 180.0
    s = signed_from_vertical_deg(pts[0], pts[1], 1.0)
    assert np.isnan(s) or -180.0 <= float(s) <= 180.0


def test_known_angles() -> None:
    a, b, c = np.array([0.0, -1.0]), np.array([0.0, 0.0]), np.array([1.0, 0.0])
    assert float(angle_deg(a, b, c)) == pytest.approx(90.0)
    assert float(angle_deg(a, b, -a)) == pytest.approx(180.0)
    # image y points down: (0, -1) is straight up
    assert float(from_vertical_deg(b, a)) == pytest.approx(0.0)
    assert float(signed_from_vertical_deg(b, np.array([1.0, -1.0]), 1.0)) == pytest.approx(45.0)
    assert float(signed_from_vertical_deg(b, np.array([1.0, -1.0]), -1.0)) == pytest.approx(-45.0)
