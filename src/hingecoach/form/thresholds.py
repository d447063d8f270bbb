"""Every number the form analysis decides with, in one place, each naming its rule id.

Angles are in degrees, times in seconds, lengths in torso lengths (shoulder-hip distance of
the person in the clip), so the numbers do not depend on the camera distance. Where
single-camera angles are unreliable (R-FORM-2: off by 6-17 deg), a threshold is relative to
the person's own reference (their first reps or their standing posture).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

__all__ = ["DEFAULT_THRESHOLDS", "FormThresholds", "rule_of", "threshold_rules"]


def _t(default: float, rule: str) -> Any:
    """A threshold field: its default and the rule id it implements."""
    return field(default=default, metadata={"rule": rule})


@dataclass(frozen=True)
class FormThresholds:
    """The defaults; a coach may pass another instance to tune them."""

    # -- view (R-FORM-1, R-FORM-5) --
    max_side_yaw_deg: float = _t(25.0, "R-FORM-1")
    """R-FORM-1: the camera is within this many degrees of square to the body's side (rule:
    +/-15, issue: about 20; the width-based estimate reads about 5 deg high on the labelled
    side-view clips, e.g. 22 on a single-leg RDL whose hips open)."""
    shoulder_hip_width_ratio: float = _t(1.3, "R-FORM-1")
    """R-FORM-1: (shoulder width + hip width) / torso length of a person seen from the front;
    the apparent width over this gives the sine of the view angle."""
    min_person_fraction: float = _t(0.3, "R-FORM-5")
    """R-FORM-5: below this share of frames with a person, the clip has no person."""
    min_usable_fraction: float = _t(0.5, "R-FORM-5")
    """R-FORM-5: the usable stretches together must hold this share of the frames with a
    person (oblique clips whose angle dips under the limit now and then measured 27-47 %,
    usable clips 68 % and more)."""
    min_usable_s: float = _t(0.8, "R-FORM-5")
    """R-FORM-5: and last at least this long."""
    frame_margin: float = _t(0.02, "R-FORM-5")
    """R-FORM-5: a landmark this far (share of the frame size) outside the frame is cut off."""
    max_cut_off_fraction: float = _t(0.25, "R-FORM-5")
    """R-FORM-5: more frames than this with the head, hip, knee or ankle cut off: refuse."""
    head_top_above_ear: float = _t(0.25, "R-FORM-5")
    """R-FORM-5: the top of the head is this many torso lengths above the ear (ear to crown
    about 13 cm, shoulder to hip about 50 cm): the head is cut off when its top is out of the
    frame (the pose model keeps an ear above the frame at the edge)."""
    cut_off_rep_share: float = _t(0.5, "R-FORM-5")
    """R-FORM-5: the body cut off at this share or more of the reps' tops (or of their
    bottoms) is cut off, however many frames show it whole."""
    view_smoothing_s: float = _t(0.5, "R-FORM-5")
    """R-FORM-5: per-frame view decisions are smoothed over this window before stretching."""
    view_gap_s: float = _t(2.0, "R-FORM-5")
    """R-FORM-5: a stretch this short where the person is still seen but the view reads as
    not side on (the width-based angle jumps when a plate or an arm crosses the shoulders, or
    the lifter turns to pick up the load) between two usable stretches does not split them."""
    pose_lost_bridge_s: float = _t(0.7, "R-FORM-5")
    """R-FORM-5: the pose lost for at most this long at a time (motion blur, a plate
    passing the camera) between two usable stretches does not split them either: the rep
    through it is counted, and no fault is read from the frames without a pose."""
    view_bridge_min_s: float = _t(1.0, "R-FORM-5")
    """R-FORM-5: ... when each of the two lasts at least this long (a second of clear side
    view on either side; short flickers of an oblique view are not joined into a stretch).
    A usable stretch this long, further from the others, is analysed beside them (side,
    front, side: both side views), the frames between left out."""
    min_segment_share: float = _t(0.5, "R-FORM-5")
    """R-FORM-5 reliability: a thigh, torso or shin shorter than this share of its median
    length in the clip is a guess, not a body (seen from the side they keep their length)."""
    max_segment_share: float = _t(2.0, "R-FORM-5")
    """R-FORM-5 reliability: ... or longer than this share of it."""
    occluded_min_episodes: int = _t(3, "R-FORM-5")
    """R-FORM-5 body-occluded: at least this many separate episodes of implausible limb
    lengths in the analysed stretch (a plate hiding the body at every rep bottom) ..."""
    occluded_min_share: float = _t(0.05, "R-FORM-5")
    """R-FORM-5 body-occluded: ... covering at least this share of its frames."""
    unreliable_min_share: float = _t(0.25, "R-FORM-5")
    """R-FORM-5 pose-unreliable: implausible limb lengths in this share of the analysed
    stretch or more (usable side views measured 0-0.09)."""
    reel_min_cuts: int = _t(3, "R-FORM-5")
    """R-FORM-5 pose-unreliable, an edited reel: the pictures cut at least this many times
    between shots (cuts found in the video, shots of a frame or two not counted) ..."""
    reel_max_shot_s: float = _t(5.0, "R-FORM-5")
    """R-FORM-5 pose-unreliable, an edited reel: ... and no shot lasts this long, one rep at
    the coached tempo (3 s down, 2 s up), so no rep can be followed in one take (labelled
    clips: a reel 3 cuts, longest shot 2.4 s; every other clip 2 picture cuts at most; a
    usable clip with 3 jump cuts, seen by the body's jumps only, has a 6.4 s shot)."""
    people_min_visibility: float = _t(0.5, "R-FORM-5")
    """R-FORM-5 several-people (people scan, :mod:`hingecoach.form.people`): a body found
    counts as a person when its shoulders and hips are seen at least this well."""
    people_same_overlap: float = _t(0.5, "R-FORM-5")
    """R-FORM-5 several-people: two bodies whose boxes overlap by this share of the
    smaller one are one person found twice (the model can place a second skeleton on a
    lifter bent over the bar), not two."""
    people_min_size_share: float = _t(0.5, "R-FORM-5")
    """R-FORM-5 several-people: another person counts as a second lifter when their body
    length is at least this share of the lifter's (someone further back looks smaller in
    proportion to their distance: at half the size they stand twice as far away) ..."""
    people_min_share: float = _t(0.3, "R-FORM-5")
    """R-FORM-5 several-people: ... in at least this share of the scanned frames with the
    lifter ..."""
    people_min_samples: int = _t(3, "R-FORM-5")
    """R-FORM-5 several-people: ... and in at least this many (someone walking through
    the picture for a second is not a second lifter)."""

    # -- smoothing and reps (R-FORM-1) --
    smoothing_s: float = _t(0.2, "R-FORM-1")
    """R-FORM-1: Savitzky-Golay window of the landmark tracks (zero phase: timing kept)."""
    min_rep_range: float = _t(0.35, "R-FORM-1")
    """R-FORM-1: a rep moves the shoulders down at least this far (torso lengths)."""
    top_level: float = _t(0.3, "R-FORM-1")
    """R-FORM-1: the top zone is the lowest 30 % of the clip's shoulder-drop range."""
    bottom_level: float = _t(0.65, "R-FORM-1")
    """R-FORM-1: the bottom zone is above 65 % of the range."""
    bottom_band: float = _t(0.12, "R-FORM-1")
    """R-FORM-1: frames this close (share of the rep's range) to its deepest point form the
    bottom; the bottom time is the centre of that band (lift-off for barbell floor pulls)."""
    liftoff_setup_s: float = _t(0.3, "R-FORM-1")
    """R-FORM-1: a pull from the floor is measured at the bottom (its set-up) over this long
    before lift-off."""
    open_top_level: float = _t(0.35, "R-FORM-1")
    """R-FORM-1: a clip that opens within 35 % of the range from the top (near standing)
    and goes down has caught the descent: its first bottom counts as if it started at the
    top (35 %: just past the top zone)."""
    tempo_speed_share: float = _t(0.05, "R-FORM-1")
    """R-FORM-1: descent and ascent last while the shoulders move faster than 5 % of the
    rep's peak speed (down, then up)."""
    floor_start_max_hip_deg: float = _t(100.0, "R-FORM-1")
    """R-FORM-1: a floor lift that opens at the bottom counts only if the hip angle there is
    below this (a clip that opens with the load at the knees is a partial rep)."""
    lockout_hip_deg: float = _t(150.0, "R-FORM-1")
    """R-FORM-1: a rep ends at a top position with the hip angle at least this (or back at the
    clip's own top zone); below it the pull was not finished."""

    zone_min_s: float = _t(0.1, "R-FORM-1")
    """R-FORM-1: a top or bottom zone shorter than this is noise (the model's jitter through
    a long held bottom), not a position reached: it neither ends nor starts a rep."""
    cut_jump: float = _t(0.2, "R-FORM-1")
    """R-FORM-1 shots: the body (median of shoulders, hips, knees, ankles) jumping this far in
    one frame (torso lengths) is a cut; a lift moves it at most 0.1 a frame (measured on the
    labelled clips: continuous takes 0.04-0.17, cuts 0.24-0.67) ..."""
    cut_isolation: float = _t(3.0, "R-FORM-1")
    """R-FORM-1 shots: ... and at least this many times the largest jump in the frames
    around it (a cut moves the body once; a garbled stretch of pose moves it every frame)."""
    min_shot_s: float = _t(0.3, "R-FORM-1")
    """R-FORM-1 shots: a jump away and back within this long is the model losing the person
    for a moment: those frames are left out, no shot starts."""

    # -- hinge or squat, and squatting the hinge (R-FORM-3): a vote of four cues --
    # Each cue votes from -1 (hip-dominant: a hinge) to +1 (knee-dominant: a squat), in a
    # straight line across its band (its midpoint +/- its span); the rep is knee-dominant
    # when the weighted mean of the votes is above ``pattern_min_score`` (see
    # hingecoach.form.pattern). The counted reps of the labelled clips measured (54 hinge /
    # 21 squat / 10 squatted kettlebell deadlift reps): trunk 30..101 / 1..49 / 19..26 deg,
    # trunk minus thigh -35..74 / -113..-22 / -56..-52 deg, hip above knee 0.16..0.69 /
    # -0.35..0.35 / 0.16..0.22, shins -15..59 / 2..48 / 36..47 deg; the score -1..0.54 (one
    # trap-bar rep over 0) / -0.07..0.74 / 0.81..0.88.
    pattern_trunk_deg: float = _t(40.0, "R-FORM-3")
    """R-FORM-3 cue 1: the trunk's inclination at the bottom (rule text: a hinge 45 deg or
    more; 40 allows the 6-17 deg camera error). More upright votes squat."""
    pattern_trunk_span_deg: float = _t(10.0, "R-FORM-3")
    """R-FORM-3 cue 1: a full vote 10 deg either side (30: squat, 50: hinge)."""
    pattern_trunk_thigh_deg: float = _t(-30.0, "R-FORM-3")
    """R-FORM-3 cue 2: trunk inclination minus thigh angle at the bottom. A
    hinge leans the trunk at least as far as the thigh turns (hips back); a squat brings the
    thigh level under an upright trunk. Below this votes squat."""
    pattern_trunk_thigh_span_deg: float = _t(15.0, "R-FORM-3")
    """R-FORM-3 cue 2: a full vote 15 deg either side (-45: squat, -15: hinge)."""
    pattern_hip_knee: float = _t(0.2, "R-FORM-3")
    """R-FORM-3 cue 3: the hip's height above the knee at the bottom, torso lengths (a
    parallel squat 0, a hinge well above). Lower votes squat."""
    pattern_hip_knee_span: float = _t(0.15, "R-FORM-3")
    """R-FORM-3 cue 3: a full vote 0.15 either side (0.05: squat, 0.35: hinge)."""
    pattern_shin_deg: float = _t(20.0, "R-FORM-3")
    """R-FORM-3 cue 4: the shins' angle from vertical over the deep half of the rep (the
    knees travel forward; rule text: more than 15 deg is far from vertical). More votes
    squat."""
    pattern_shin_span_deg: float = _t(10.0, "R-FORM-3")
    """R-FORM-3 cue 4: a full vote 10 deg either side (30: squat, 10: hinge)."""
    pattern_depth_weight: float = _t(0.5, "R-FORM-3")
    """R-FORM-3: the weight of cues 3 and 4 (how low the hips go, how far the knees travel)
    against the trunk cues (weight 1): a lift from the floor takes the hips low and the
    knees forward by design, so depth alone must not call a deadlift squatted."""
    pattern_min_score: float = _t(0.0, "R-FORM-3")
    """R-FORM-3: a rep whose weighted mean vote is above this is knee-dominant."""
    hands_low_max: float = _t(0.9, "R-FORM-3")
    """R-FORM-3: hands within this many torso lengths above the ankles at the bottom are
    reaching a load on the floor ..."""
    arms_hang_min: float = _t(0.5, "R-FORM-3")
    """R-FORM-3: ... when the arms hang, the hands at least this far below the shoulders
    (torso lengths; the deadlifts measured 0.81..1.25, the squats, with a bar on the back, a
    load at the chest or the arms forward, -0.51..0.22). Such a lift is a deadlift: a hinge,
    and *squatting* when knee-dominant."""

    # -- faults (R-FORM-2, R-FORM-3, R-FORM-4) --
    back_rounding_outline: float = _t(0.045, "R-FORM-2")
    """R-FORM-2 back-rounding: the mid-back outline (segmentation mask) bulges this far
    (torso lengths) beyond the outline at its shoulder and hip ends, in the deep part of
    the rep. Flat backs measured -0.03..0.04 on the labelled clips, rounded 0.05..0.08."""
    head_misaligned_deg: float = _t(10.0, "R-FORM-2")
    """R-FORM-2 head-misaligned (and back-rounding): in the deep part of the rep the
    ear-shoulder line hangs this far below the hip-shoulder line. Necks in line or looking
    ahead measured -33..-1 deg, hanging heads 21..39 deg. (Standing values, 8..29 deg, are
    no reference here: the shoulder landmark sits behind the ear when upright.)"""
    hips_drop_knee_deg: float = _t(90.0, "R-FORM-3")
    """R-FORM-3 hips-drop: on a hinge that starts standing, the knee angle closes to this
    or less at the bottom ..."""
    hips_drop_down_to_back: float = _t(1.5, "R-FORM-3")
    """R-FORM-3 hips-drop: hip travel down over hip travel back at least this."""
    hips_rise_trunk_deg: float = _t(45.0, "R-FORM-3")
    """R-FORM-3 hips-rise-early: the trunk is still inclined at least this far when the knees
    are (nearly) straight on the way up: the hips rose first."""
    hips_rise_knee_deg: float = _t(150.0, "R-FORM-3")
    """R-FORM-3 hips-rise-early: the knee angle that counts as (nearly) straight."""
    hips_rise_trunk_gain_deg: float = _t(8.0, "R-FORM-3")
    """R-FORM-3 hips-rise-early: and the trunk got at least this much more inclined than at
    the bottom while the knees straightened."""
    heel_rise_deg: float = _t(18.0, "R-FORM-3")
    """R-FORM-3 weight-on-toes (balance): the foot (heel -> toe) tilts this far from flat,
    as a median over the rep (flat feet measured 0-10 deg, a heel lift 27)."""
    heel_rise_gain_deg: float = _t(5.0, "R-FORM-3")
    """R-FORM-3 weight-on-toes: and at least this much more than the same foot standing at
    the top (a camera below or above the feet tilts a flat foot 18-28 deg in the picture:
    a banded hinge and bodyweight squats read so; a heel lift rose 8 above standing)."""
    camera_drift_max: float = _t(0.4, "R-FORM-5")
    """R-FORM-5: the floor wandering more than this (torso lengths) within a shot means the
    phone moved: the person is told to steady it (steady phones measured 0.00-0.24; see
    :mod:`hingecoach.form.camera`)."""
    camera_steady_min: float = _t(0.2, "R-FORM-5")
    """R-FORM-5: a floor wandering more than this (torso lengths) within a shot is measured
    against the room when the room's move steadies the feet (below the note's limit too: a
    phone that zooms and turns a little moves rep bottoms by most of a second)."""
    camera_steadied_share: float = _t(0.3, "R-FORM-5")
    """R-FORM-5: a camera path is trusted when, measured against it, the planted ankle wanders
    (up and down and across) at most this share of what it did as filmed (see
    :func:`hingecoach.form.camera.steady_camera`; the right path measured 0.03-0.2 on hand-held
    tracks, another hand's path 0.43 and up)."""
    camera_window_s: float = _t(3.0, "R-FORM-5")
    """R-FORM-5: the floor's height is a running median over this long (a step or a heel
    coming up is shorter)."""
    camera_feet_seen_share: float = _t(0.3, "R-FORM-5")
    """R-FORM-5: a shot tells the camera's drift when its ankles are clearly seen
    (``foot_min_visibility``) in this share of its frames (a side-on deadlift's plates hide
    the feet at every bottom: the labelled ones show them in 0.41-0.69 of their frames, and
    a steady phone's floor drifts 0.02-0.10 over those)."""
    foot_min_visibility: float = _t(0.8, "R-FORM-3")
    """R-FORM-3 weight-on-toes: only frames where the heel and toe are clearly seen count
    (plates hide the feet in floor-level barbell clips); half the rep must be seen."""
    knees_locked_deg: float = _t(172.0, "R-FORM-3")
    """R-FORM-3 knees-locked: at the bottom of a hinge the knees stay straighter than this."""
    lockout_window_s: float = _t(0.45, "R-FORM-3")
    """R-FORM-3: the lockout is read over this long after a rep ends (short enough that live
    coaching gives a rep's verdict within half a second of its lockout)."""
    hyperextension_deg: float = _t(12.0, "R-FORM-3")
    """R-FORM-3 hyperextension: at lockout the trunk leans back more than this from
    vertical (shoulders behind the hips; source: > 10 deg)."""
    tempo_target_down_s: float = _t(3.0, "R-FORM-3")
    """R-FORM-3 / R-RX-4: the descent target."""
    tempo_target_up_s: float = _t(2.0, "R-FORM-3")
    """R-FORM-3 / R-RX-4: the ascent target."""
    tempo_tolerance_s: float = _t(0.75, "R-FORM-3")
    """R-FORM-3: tempo is off target when faster than target minus this."""
    fault_min_share: float = _t(0.5, "R-FORM-4")
    """R-FORM-4: a fault read frame by frame is flagged only when its evidence holds, on
    frames seen side on, over at least this share of the frames it is judged over: the
    whole rep for the back outline and the heels, the deep part for the head. A rounded
    back stays rounded through the pull (the labelled ones bulged over 82-100 % of their
    reps); a moment of bulge where the plates or the bar meet the outline does not (flat
    backs 0-34 %)."""
    sustained_s: float = _t(0.1, "R-FORM-4")
    """R-FORM-4: a within-rep flag must hold this long (several frames)."""
    clock_gap_max_s: float = _t(0.5, "R-FORM-4")
    """R-FORM-4: a clip whose frames come unevenly (a phone dropping frames) is read on an
    even clock, each point interpolated between the frames around it, so "sustained"
    means the same time all through the clip; a gap without frames longer than this is
    left unseen, not filled in (``form/clock.py``)."""
    min_reps_for_clip_fault: int = _t(2, "R-FORM-4")
    """R-FORM-4: a fault seen on fewer reps than this (when the clip has more) is not kept."""
    minor_share: float = _t(0.5, "R-TRACK-1")
    """R-TRACK-1 form rating: a form fault on more than half the reps is a breakdown."""


DEFAULT_THRESHOLDS = FormThresholds()


def rule_of(name: str) -> str:
    """The rule id a threshold implements, e.g. ``rule_of("knees_locked_deg") == "R-FORM-3"``."""
    for f in fields(FormThresholds):
        if f.name == name:
            return str(f.metadata["rule"])
    raise KeyError(name)


def threshold_rules() -> dict[str, str]:
    """Every threshold name and the rule id it implements."""
    return {f.name: str(f.metadata["rule"]) for f in fields(FormThresholds)}
