"""Estimated one-rep max and the RPE chart (R-PROG-5, R-PROG-6).

Only sets of 2-10 reps at RPE 7 or more give an estimate. With RPE logged the RTS chart
is used (``load / pct(reps, rpe)``); for a set taken to failure without a rating the median
of Epley, Brzycki and Wathan is used. Every estimate carries a band: +/-5 % for 2-6 reps
(2 reps chosen with the lower band: estimates from fewer reps are the more accurate ones),
+/-10 % for 7-10. Hinge estimates are read as conservative lower bounds (formulas
underestimate the deadlift), so the coach never adds load on an estimate alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from statistics import median

from pydantic import BaseModel, ConfigDict, Field

from hingecoach.coach.defaults import (
    E1RM_BAND_HIGH_PCT,
    E1RM_BAND_LOW_PCT,
    E1RM_BAND_LOW_REPS,
    E1RM_MIN_RPE,
    E1RM_REPS,
    E1RM_ROLLING_SETS,
    RPE_CHART,
    RPE_CHART_REPS,
    RPE_CHART_RPE,
    RPE_STEP,
)
from hingecoach.coach.models import SetLog
from hingecoach.errors import InputError

__all__ = [
    "E1rmEstimate",
    "brzycki",
    "epley",
    "estimate_e1rm",
    "load_for",
    "rolling_e1rm",
    "rpe_chart_pct",
    "wathan",
]


def epley(load_kg: float, reps: int) -> float:
    """Epley (1985): ``w * (1 + r/30)``; a single is the load itself."""
    return load_kg if reps == 1 else load_kg * (1 + reps / 30)


def brzycki(load_kg: float, reps: int) -> float:
    """Brzycki (1993): ``w * 36 / (37 - r)``."""
    return load_kg * 36 / (37 - reps)


def wathan(load_kg: float, reps: int) -> float:
    """Wathan (1994): ``100 w / (48.8 + 53.8 e^(-0.075 r))``."""
    return 100 * load_kg / (48.8 + 53.8 * math.exp(-0.075 * reps))


def rpe_chart_pct(reps: int, rpe: float) -> float:
    """The RTS chart's fraction of 1RM for ``reps`` at ``rpe`` (R-PROG-6).

    Covers 1-12 reps and RPE 6-10; RPE is rounded to the nearest half point.
    """
    lo_reps, hi_reps = RPE_CHART_REPS
    lo_rpe, hi_rpe = RPE_CHART_RPE
    if not lo_reps <= reps <= hi_reps:
        raise InputError(f"reps: the RPE chart covers {lo_reps}-{hi_reps} reps, got {reps}")
    half = round(rpe / RPE_STEP) * RPE_STEP
    if not lo_rpe <= half <= hi_rpe:
        raise InputError(f"rpe: the RPE chart covers RPE {lo_rpe:g}-{hi_rpe:g}, got {rpe:g}")
    index = round(2 * (reps - 1) + 2 * (hi_rpe - half))
    return RPE_CHART[index]


class E1rmEstimate(BaseModel):
    """An estimated 1RM with its band (R-PROG-5)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    e1rm_kg: float = Field(gt=0)
    low_kg: float = Field(gt=0)
    high_kg: float = Field(gt=0)
    band_pct: float
    method: str  # "rpe-chart" or "formulas"
    load_kg: float
    reps: int
    rpe: float | None


def estimate_e1rm(load_kg: float, reps: int, rpe: float | None = None) -> E1rmEstimate | None:
    """The e1RM of one set, or ``None`` when the set is not valid for it (R-PROG-5).

    ``rpe`` of ``None`` means the set was taken to failure (RPE 10) without a rating: the
    median of Epley, Brzycki and Wathan is used. With a rating the RTS chart is used, and
    ratings under RPE 7 give no estimate.
    """
    lo, hi = E1RM_REPS
    if load_kg <= 0 or not lo <= reps <= hi:
        return None
    if rpe is None:
        value = median((epley(load_kg, reps), brzycki(load_kg, reps), wathan(load_kg, reps)))
        method = "formulas"
    else:
        if rpe < E1RM_MIN_RPE:
            return None
        value = load_kg / rpe_chart_pct(reps, min(rpe, RPE_CHART_RPE[1]))
        method = "rpe-chart"
    low_reps_max = E1RM_BAND_LOW_REPS[1]
    band = E1RM_BAND_LOW_PCT if reps <= low_reps_max else E1RM_BAND_HIGH_PCT
    return E1rmEstimate(
        e1rm_kg=round(value, 2),
        low_kg=round(value * (1 - band), 2),
        high_kg=round(value * (1 + band), 2),
        band_pct=band,
        method=method,
        load_kg=load_kg,
        reps=reps,
        rpe=rpe,
    )


def estimate_set(set_log: SetLog) -> E1rmEstimate | None:
    """The e1RM of a logged set: only rated sets count for load decisions (R-PROG-6)."""
    rpe = set_log.effort_rpe
    if set_log.load_kg is None or set_log.reps is None or rpe is None:
        return None
    return estimate_e1rm(set_log.load_kg, set_log.reps, rpe)


def rolling_e1rm(sets_newest_first: Iterable[SetLog]) -> float | None:
    """Median e1RM of the latest three valid sets (R-PROG-6), or ``None`` if there are none."""
    values: list[float] = []
    for set_log in sets_newest_first:
        est = estimate_set(set_log)
        if est is not None:
            values.append(est.e1rm_kg)
            if len(values) == E1RM_ROLLING_SETS:
                break
    return median(values) if values else None


def load_for(e1rm_kg: float, reps: int, rpe: float) -> float:
    """The load for ``reps`` at ``rpe`` from an e1RM (R-PROG-6): ``e1RM * pct(reps, rpe)``."""
    reps = max(RPE_CHART_REPS[0], min(reps, RPE_CHART_REPS[1]))
    rpe = max(RPE_CHART_RPE[0], min(rpe, RPE_CHART_RPE[1]))
    return e1rm_kg * rpe_chart_pct(reps, rpe)
