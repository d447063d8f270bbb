"""Hinge or squat, and a hinge done as a squat, from several cues over the rep (R-FORM-3).

No one angle tells a hinge from a squat on a single camera (angles are off by 6-17 deg,
R-FORM-2), and a lift from the floor takes the hips low and the knees forward by design. So
four cues each cast a vote, from -1 (hip-dominant: a hinge) to +1 (knee-dominant: a squat):

1. the trunk's inclination at the bottom (a hinge leans it well forward);
2. the trunk against the thigh at the bottom (a hinge leans the trunk as far as the thigh
   turns, the hips going back; a squat brings the thigh level under an upright trunk);
3. the hip's height above the knee at the bottom (a squat sinks the hips to the knees);
4. the shins over the deep half of the rep, down and up (a squat sends the knees forward).

Each vote runs in a straight line across its cue's band (see
:mod:`hingecoach.form.thresholds`, ``pattern_*``); cues 3 and 4 weigh ``pattern_depth_weight``
against the trunk cues' 1, and the rep is knee-dominant when the weighted mean is above
``pattern_min_score``. A cue that could not be measured does not vote.

A lift whose hanging arms take the hands to the floor is a deadlift: a hinge, even when done
knee-dominant, which is the ``squatting`` fault. Anything else is a squat when
knee-dominant (and a squat is never *squatting*).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from hingecoach.form.metrics import RepMetrics
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds

__all__ = ["CUES", "KneeDominance", "Pattern", "classify_rep", "knee_dominance", "reaches_floor"]

Pattern = Literal["hinge", "squat"]

#: The cues, in the order they are named: (name, what is said of it).
CUES = ("trunk_deg", "trunk_minus_thigh_deg", "hip_above_knee", "shin_deg")


@dataclass(frozen=True)
class KneeDominance:
    """The vote: each cue's measure and vote, and the weighted mean."""

    measured: dict[str, float]
    """The cues as measured (NaN: not measured)."""
    votes: dict[str, float]
    """Each measured cue's vote, -1 (hinge) .. +1 (squat)."""
    score: float
    """The weighted mean vote (NaN when no cue could be measured)."""
    knee_dominant: bool

    @property
    def squat_votes(self) -> int:
        """How many cues leaned towards a squat."""
        return sum(1 for v in self.votes.values() if v > 0)


def _vote(value: float, mid: float, span: float, *, squat_below: bool) -> float:
    """-1..+1, +1 fully squat-like; 0 at the band's midpoint."""
    lean = (mid - value) / span if squat_below else (value - mid) / span
    return max(-1.0, min(1.0, lean))


def knee_dominance(m: RepMetrics, th: FormThresholds = DEFAULT_THRESHOLDS) -> KneeDominance:
    """R-FORM-3: the four cues' vote on one rep."""
    measured = {
        "trunk_deg": m.trunk_bottom_deg,
        "trunk_minus_thigh_deg": m.trunk_minus_thigh_deg,
        "hip_above_knee": m.hip_above_knee,
        "shin_deg": m.shin_deep_deg,
    }
    bands = {
        "trunk_deg": (th.pattern_trunk_deg, th.pattern_trunk_span_deg, True, 1.0),
        "trunk_minus_thigh_deg": (
            th.pattern_trunk_thigh_deg,
            th.pattern_trunk_thigh_span_deg,
            True,
            1.0,
        ),
        "hip_above_knee": (
            th.pattern_hip_knee,
            th.pattern_hip_knee_span,
            True,
            th.pattern_depth_weight,
        ),
        "shin_deg": (th.pattern_shin_deg, th.pattern_shin_span_deg, False, th.pattern_depth_weight),
    }
    votes: dict[str, float] = {}
    total = weight = 0.0
    for name in CUES:
        value = measured[name]
        mid, span, below, w = bands[name]
        if not math.isfinite(value):
            continue
        votes[name] = _vote(value, mid, span, squat_below=below)
        total += w * votes[name]
        weight += w
    score = total / weight if weight > 0 else float("nan")
    return KneeDominance(measured, votes, score, bool(score > th.pattern_min_score))


def reaches_floor(m: RepMetrics, th: FormThresholds = DEFAULT_THRESHOLDS) -> bool:
    """R-FORM-3: at the bottom the hands hang on straight arms near the floor (a deadlift);
    a bar on the back, a load at the chest or arms held forward do not."""
    hang = m.hands_below_shoulder
    return m.hands_low and math.isfinite(hang) and hang >= th.arms_hang_min


def classify_rep(m: RepMetrics, th: FormThresholds = DEFAULT_THRESHOLDS) -> Pattern:
    """R-FORM-3: hinge or squat. A deadlift (the hands reach the floor) is a hinge; anything
    else is a squat when the cues vote knee-dominant."""
    if reaches_floor(m, th):
        return "hinge"
    return "squat" if knee_dominance(m, th).knee_dominant else "hinge"
