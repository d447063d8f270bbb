"""Time-series helpers: fill short gaps, smooth without shifting time (Savitzky-Golay).

Every function keeps the length of its input, and a smoothed peak stays where it was: the
Savitzky-Golay filter is centred (zero phase), so rep-bottom times are not delayed.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from hingecoach.form.pose import FloatArray

__all__ = ["fill_gaps", "odd_window", "runs", "savgol_coefficients", "smooth"]


def odd_window(window_s: float, fps: float, minimum: int = 3) -> int:
    """An odd number of frames covering about ``window_s`` seconds at ``fps``."""
    n = max(minimum, round(window_s * fps))
    return n if n % 2 == 1 else n + 1


@lru_cache(maxsize=64)
def savgol_coefficients(window: int, order: int) -> FloatArray:
    """The centred smoothing weights ``(window,)`` of a Savitzky-Golay filter (read-only:
    cached, as the streaming analysis asks for the same few windows again and again)."""
    if window % 2 == 0 or window < 1:
        raise ValueError(f"window: expected an odd positive number of frames, got {window}")
    order = min(order, window - 1)
    half = window // 2
    x = np.arange(-half, half + 1, dtype=np.float64)
    vander = np.vander(x, order + 1, increasing=True)  # (window, order+1)
    pinv = np.linalg.pinv(vander)  # (order+1, window)
    coeffs = np.array(pinv[0], dtype=np.float64)
    coeffs.flags.writeable = False
    return coeffs


def fill_gaps(values: FloatArray, max_gap: int | None = None) -> FloatArray:
    """Linear interpolation over NaN runs.

    Args:
        values: ``(frames,)`` or ``(frames, n)``; NaN marks a missing value.
        max_gap: leave runs longer than this many frames as NaN (None: fill all).

    Returns:
        An array of the same shape; ends are filled with the nearest value.
    """
    arr = np.array(values, dtype=np.float64, copy=True)
    if arr.ndim == 2:
        for j in range(arr.shape[1]):
            arr[:, j] = fill_gaps(arr[:, j], max_gap)
        return arr
    missing = ~np.isfinite(arr)
    if not missing.any() or missing.all():
        return arr
    idx = np.arange(arr.size)
    filled = np.interp(idx, idx[~missing], arr[~missing])
    if max_gap is not None:
        for start, stop in runs(missing):
            if stop - start > max_gap:
                filled[start:stop] = np.nan
    return filled


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """``[start, stop)`` index pairs of the True runs in a 1-D boolean mask."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def smooth(values: FloatArray, window: int, order: int = 2) -> FloatArray:
    """Savitzky-Golay smoothing with mirrored ends; NaN gaps are bridged first.

    Args:
        values: ``(frames,)`` or ``(frames, n)`` (each column smoothed on its own).
        window: odd window length in frames (shrunk to fit short inputs).
        order: polynomial order.

    Returns:
        An array of the same shape (NaN stays NaN where the input was all NaN).
    """
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 2:
        return np.stack([smooth(arr[:, j], window, order) for j in range(arr.shape[1])], axis=1)
    n = arr.size
    if n < 3:
        return arr.copy()
    window = min(window, n if n % 2 == 1 else n - 1)
    if window < 3:
        return arr.copy()
    filled = fill_gaps(arr)
    if not np.isfinite(filled).any():
        return filled
    half = window // 2
    padded = np.concatenate([filled[half:0:-1], filled, filled[-2 : -half - 2 : -1]])
    coeffs = savgol_coefficients(window, order)
    out = np.convolve(padded, coeffs[::-1], mode="valid")
    return np.asarray(out, dtype=np.float64)
