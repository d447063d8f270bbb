"""Faults per rep, each with its rule id, severity and evidence (R-FORM-2, R-FORM-3).

Thresholds come from :mod:`hingecoach.form.thresholds`; where absolute single-camera angles
are unreliable, the measure is relative to the person's own standing posture
(:class:`~hingecoach.form.metrics.Reference`). Sustain (R-FORM-4) is applied twice: within a
rep (a value must hold for ``sustained_s``) and across the clip (see ``analysis``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from hingecoach.form.metrics import Reference, RepFrames, RepMetrics
from hingecoach.form.pattern import CUES, Pattern, classify_rep, knee_dominance
from hingecoach.form.pose import FloatArray
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds

__all__ = ["Pattern", "RepFault", "Severity", "TempoTarget", "classify_rep", "detect_faults"]

Severity = Literal["minor", "major"]


@dataclass(frozen=True)
class TempoTarget:
    down_s: float = 3.0
    up_s: float = 2.0


#: Where in the rep a fault is judged: at the bottom, over the way up, at lockout, or over
#: the whole rep (the report turns it into the stretch of the clip, in seconds).
Phase = Literal["bottom", "ascent", "lockout", "rep"]


@dataclass(frozen=True)
class RepFault:
    """One fault on one rep: what was measured, against which thresholds, and where."""

    id: str
    rule: str
    severity: Severity
    evidence: str
    measured: dict[str, float] = field(default_factory=dict)
    limits: dict[str, float] = field(default_factory=dict)
    phase: Phase = "bottom"


def _finite(values: dict[str, float]) -> dict[str, float]:
    """The measures that were taken (NaN: not measurable on this clip, e.g. no mask)."""
    return {k: v for k, v in values.items() if math.isfinite(v)}


def _share(
    holds: npt.NDArray[np.bool_], frames: RepFrames, over: Literal["rep", "deep"] = "rep"
) -> float:
    """R-FORM-4 persistence: the share of the frames a fault is judged over (the whole
    rep, or its ``"deep"`` part) on which its evidence ``holds`` on a frame seen side on
    (a frame the view does not let us judge counts as no evidence)."""
    scope = frames.deep if over == "deep" else np.ones(holds.size, dtype=bool)
    n = int(scope.sum())
    return float((holds & frames.judged & scope).sum() / n) if n else 0.0


def _at_least(values: FloatArray, limit: float) -> npt.NDArray[np.bool_]:
    """``values >= limit`` frame by frame, NaN (not measured) never."""
    with np.errstate(invalid="ignore"):
        return np.asarray(np.isfinite(values) & (values >= limit), dtype=bool)


def _sev(excess: float, scale: float) -> Severity:
    """Major when the measure passes its threshold by more than half the threshold's scale."""
    return "major" if excess > 0.5 * scale else "minor"


#: How each knee-dominant cue is said (see hingecoach.form.pattern).
_CUE_WORDS = {
    "trunk_deg": lambda v: f"trunk {v:.0f} deg from vertical",
    "trunk_minus_thigh_deg": lambda v: f"trunk {-v:.0f} deg more upright than the thigh",
    "hip_above_knee": lambda v: f"hips {v:.2f} torso lengths above the knees",
    "shin_deg": lambda v: f"shins {v:.0f} deg forward",
}


def _squatting(m: RepMetrics, pattern: Pattern, th: FormThresholds) -> RepFault | None:
    """R-FORM-3 squatting: a hinge whose cues vote knee-dominant. A squat never is."""
    if pattern != "hinge":
        return None
    vote = knee_dominance(m, th)
    if not vote.knee_dominant:
        return None
    said = [_CUE_WORDS[name](vote.measured[name]) for name in CUES if vote.votes.get(name, 0) > 0]
    measured = dict(vote.measured) | {f"vote_{name}": v for name, v in vote.votes.items()}
    measured["score"] = vote.score
    return RepFault(
        "squatting",
        "R-FORM-3",
        _sev(vote.score - th.pattern_min_score, 1.0),
        f"knee-dominant ({vote.squat_votes} of {len(vote.votes)} cues, score "
        f"{vote.score:+.2f}): " + ", ".join(said),
        _finite(measured),
        {
            "pattern_trunk_deg": th.pattern_trunk_deg,
            "pattern_trunk_thigh_deg": th.pattern_trunk_thigh_deg,
            "pattern_hip_knee": th.pattern_hip_knee,
            "pattern_shin_deg": th.pattern_shin_deg,
            "pattern_min_score": th.pattern_min_score,
        },
    )


def detect_faults(
    m: RepMetrics,
    ref: Reference,
    pattern: Pattern,
    *,
    from_floor: bool,
    tempo: TempoTarget | None = None,
    th: FormThresholds = DEFAULT_THRESHOLDS,
) -> list[RepFault]:
    """The faults of one rep (R-FORM-2, R-FORM-3). Squat-pattern reps are checked for the
    faults that apply to any lift (head, heels, tempo, rounding); the hinge-specific ones
    only on hinges."""
    out: list[RepFault] = []
    # R-FORM-3 squatting the hinge: a hinge (a lift from the floor) that the cues call
    # knee-dominant (see hingecoach.form.pattern)
    squatting = _squatting(m, pattern, th)
    if squatting is not None:
        out.append(squatting)
    # R-FORM-3 hips drop instead of moving back (not on floor pulls: they start low; and
    # only on a rep whose descent was seen: the hips' travel is judged on the way down)
    elif (
        pattern == "hinge"
        and not from_floor
        and m.descent_s is not None
        and m.knee_angle_bottom_deg <= th.hips_drop_knee_deg
        and m.hip_back > 0
        and m.hip_down >= th.hips_drop_down_to_back * m.hip_back
    ):
        out.append(
            RepFault(
                "hips-drop",
                "R-FORM-3",
                "minor",
                f"hips went {m.hip_down:.2f} down vs {m.hip_back:.2f} back (torso lengths)",
                {
                    "knee_deg": m.knee_angle_bottom_deg,
                    "hip_down": m.hip_down,
                    "hip_back": m.hip_back,
                },
                {
                    "hips_drop_knee_deg": th.hips_drop_knee_deg,
                    "hips_drop_down_to_back": th.hips_drop_down_to_back,
                },
            )
        )
    # R-FORM-2 the dowel check: the back outline bulges, or the head hangs below the
    # hip-shoulder line (whole-spine flexion takes the neck with it)
    # (R-FORM-4: the outline bulged over enough of the rep, the head hung over enough of
    # its deep part, on frames seen side on)
    bulge = m.back_bulge_bottom
    outline_share = head_share = 1.0  # without per-frame measures: the medians decide
    if m.frames is not None:
        outline_share = _share(_at_least(m.frames.back_bulge, th.back_rounding_outline), m.frames)
        head_share = _share(_at_least(m.frames.neck_deg, th.head_misaligned_deg), m.frames, "deep")
    rounded_outline = (
        math.isfinite(bulge)
        and bulge >= th.back_rounding_outline
        and outline_share >= th.fault_min_share
    )
    head_hangs = math.isfinite(m.neck_bottom_deg) and (
        head_share >= th.fault_min_share
        if m.frames is not None
        else m.neck_bottom_deg >= th.head_misaligned_deg
    )
    if pattern == "hinge" and (rounded_outline or head_hangs):
        parts = []
        if rounded_outline:
            parts.append(
                f"the back outline bulged {bulge:.2f} torso lengths at the bottom, over "
                f"{outline_share:.0%} of the rep"
            )
        if head_hangs:
            parts.append(
                f"the head hung {m.neck_bottom_deg:.0f} deg below the trunk line, over "
                f"{head_share:.0%} of the deep part of the rep"
            )
        excess = max(
            (bulge - th.back_rounding_outline) / th.back_rounding_outline if rounded_outline else 0,
            (m.neck_bottom_deg - th.head_misaligned_deg) / 10.0 if head_hangs else 0,
        )
        out.append(
            RepFault(
                "back-rounding",
                "R-FORM-2",
                _sev(excess, 1.0),
                "; ".join(parts),
                _finite(
                    {
                        "back_bulge": bulge,
                        "back_bulge_share": outline_share,
                        "head_drop_deg": m.neck_bottom_deg,
                        "head_drop_share": head_share,
                    }
                ),
                {
                    "back_rounding_outline": th.back_rounding_outline,
                    "head_misaligned_deg": th.head_misaligned_deg,
                    "fault_min_share": th.fault_min_share,
                },
            )
        )
    if head_hangs:
        out.append(
            RepFault(
                "head-misaligned",
                "R-FORM-2",
                _sev(m.neck_bottom_deg - th.head_misaligned_deg, 10.0),
                f"head hung {m.neck_bottom_deg:.0f} deg below the hip-shoulder line at the "
                f"bottom, over {head_share:.0%} of its deep part",
                {"head_drop_deg": m.neck_bottom_deg, "head_drop_share": head_share},
                {
                    "head_misaligned_deg": th.head_misaligned_deg,
                    "fault_min_share": th.fault_min_share,
                },
            )
        )
    # R-FORM-3 hips rise first: knees straight while the trunk is still far forward
    if (
        pattern == "hinge"
        and m.trunk_when_knees_straight_deg >= th.hips_rise_trunk_deg
        and m.trunk_when_knees_straight_deg >= m.trunk_bottom_deg + th.hips_rise_trunk_gain_deg
    ):
        out.append(
            RepFault(
                "hips-rise-early",
                "R-FORM-3",
                _sev(m.trunk_when_knees_straight_deg - th.hips_rise_trunk_deg, 20.0),
                "knees straightened while the trunk was still "
                f"{m.trunk_when_knees_straight_deg:.0f} deg from vertical",
                {
                    "trunk_when_knees_straight_deg": m.trunk_when_knees_straight_deg,
                    "trunk_bottom_deg": m.trunk_bottom_deg,
                },
                {
                    "hips_rise_trunk_deg": th.hips_rise_trunk_deg,
                    "hips_rise_trunk_gain_deg": th.hips_rise_trunk_gain_deg,
                },
                "ascent",
            )
        )
    # R-FORM-3 balance: heels come up, weight on the toes
    # (the standing foot's own tilt is the camera's, not the heels': only a rise above it
    # counts, so a phone below or above the feet does not read as heels up)
    # (R-FORM-4: tilted so on enough of the rep's frames, seen side on and clearly)
    standing = ref.foot_deg if math.isfinite(ref.foot_deg) else 0.0
    foot_share = 1.0
    if m.frames is not None:
        foot = m.frames.foot_deg
        foot_share = _share(
            _at_least(foot, th.heel_rise_deg) & _at_least(foot - standing, th.heel_rise_gain_deg),
            m.frames,
        )
    if (
        math.isfinite(m.foot_deg)
        and m.foot_deg >= th.heel_rise_deg
        and m.foot_deg - standing >= th.heel_rise_gain_deg
        and foot_share >= th.fault_min_share
    ):
        out.append(
            RepFault(
                "weight-on-toes",
                "R-FORM-3",
                _sev(m.foot_deg - th.heel_rise_deg, th.heel_rise_deg),
                f"heels up: the foot tilted {m.foot_deg:.0f} deg through the rep, "
                f"{m.foot_deg - standing:.0f} deg more than standing (threshold "
                f"{th.heel_rise_deg:.0f} and {th.heel_rise_gain_deg:.0f} more), over "
                f"{foot_share:.0%} of the rep",
                {"foot_deg": m.foot_deg, "standing_foot_deg": standing, "foot_share": foot_share},
                {
                    "heel_rise_deg": th.heel_rise_deg,
                    "heel_rise_gain_deg": th.heel_rise_gain_deg,
                    "fault_min_share": th.fault_min_share,
                },
                "rep",
            )
        )
    # R-FORM-3 knees locked on a hinge
    if pattern == "hinge" and m.knee_angle_bottom_deg >= th.knees_locked_deg:
        out.append(
            RepFault(
                "knees-locked",
                "R-FORM-3",
                "minor",
                f"knees straight ({m.knee_angle_bottom_deg:.0f} deg) at the bottom",
                {"knee_deg": m.knee_angle_bottom_deg},
                {"knees_locked_deg": th.knees_locked_deg},
            )
        )
    # R-FORM-3 lockout: leaning back past vertical
    if math.isfinite(m.lockout_trunk_deg) and -m.lockout_trunk_deg >= th.hyperextension_deg:
        out.append(
            RepFault(
                "hyperextension",
                "R-FORM-3",
                _sev(-m.lockout_trunk_deg - th.hyperextension_deg, th.hyperextension_deg),
                f"leaned back {-m.lockout_trunk_deg:.0f} deg at lockout",
                {"lean_back_deg": -m.lockout_trunk_deg},
                {"hyperextension_deg": th.hyperextension_deg},
                "lockout",
            )
        )
    # R-FORM-3 tempo off target by more than the tolerance (only when a target is set)
    if tempo is not None:
        fast_down = m.descent_s is not None and m.descent_s < tempo.down_s - th.tempo_tolerance_s
        fast_up = tempo.up_s > 0 and m.ascent_s < tempo.up_s - th.tempo_tolerance_s
        if fast_down or fast_up:
            parts = []
            if fast_down and m.descent_s is not None:
                parts.append(f"{m.descent_s:.1f} s down (target {tempo.down_s:g})")
            if fast_up:
                parts.append(f"{m.ascent_s:.1f} s up (target {tempo.up_s:g})")
            measured = {"ascent_s": m.ascent_s}
            if m.descent_s is not None:
                measured["descent_s"] = m.descent_s
            limits = {
                "target_down_s": tempo.down_s,
                "target_up_s": tempo.up_s,
                "tempo_tolerance_s": th.tempo_tolerance_s,
            }
            out.append(
                RepFault(
                    "rushed-tempo", "R-FORM-3", "minor", ", ".join(parts), measured, limits, "rep"
                )
            )
    return out
