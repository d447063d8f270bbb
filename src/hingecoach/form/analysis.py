"""The form analysis of one clip: view -> side -> smoothing -> reps -> metrics -> faults.

:func:`analyze_pose` is the one function the rest of the system calls: pure, it takes a
:class:`~hingecoach.form.pose.PoseSequence` and returns a :class:`FormReport` (per-rep
results with fault ids and cues, clip-level faults, and a form rating the coach can log as
clean / minor / breakdown, R-TRACK-1). It raises
:class:`~hingecoach.form.errors.ViewRefusedError` for a clip it must not guess on (R-FORM-5).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar

import numpy as np
from pydantic import BaseModel, Field, computed_field

from hingecoach.form.camera import CameraPath, steady_camera
from hingecoach.form.clock import on_even_clock
from hingecoach.form.faults import Pattern, RepFault, TempoTarget, classify_rep, detect_faults
from hingecoach.form.kinematics import compute_kinematics
from hingecoach.form.metrics import RepMetrics, measure_rep, reference_posture
from hingecoach.form.people import PeopleScan
from hingecoach.form.pose import PoseSequence
from hingecoach.form.reps import BottomTime, RepSpan, StartPosition, segment_reps
from hingecoach.form.shots import Shots, cut_frames, find_shots
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds
from hingecoach.form.view import check_view

if TYPE_CHECKING:
    from hingecoach.knowledge import Catalogue

__all__ = [
    "FAULT_PRIORITY",
    "FLOOR_START_EXERCISES",
    "GOOD_REP_CUE",
    "LIFTOFF_EXERCISES",
    "ClipFault",
    "FormRating",
    "FormReport",
    "RepFaultResult",
    "RepResult",
    "ShotResult",
    "ViewResult",
    "analyze_pose",
    "clip_faults",
    "fault_info",
    "most_important_first",
]

FormRating = Literal["clean", "minor", "breakdown"]

#: R-FORM-1 counting: lifts that start with the load on the floor (a clip that opens at
#: the bottom counts its first pull).
FLOOR_START_EXERCISES = frozenset(
    {
        "conventional-deadlift",
        "trap-bar-deadlift",
        "kettlebell-deadlift",
        "elevated-kettlebell-deadlift",
    }
)
#: R-FORM-1: for barbell pulls the bottom time is the moment the bar leaves the floor.
LIFTOFF_EXERCISES = frozenset({"conventional-deadlift", "trap-bar-deadlift"})


#: Which fault a rep's one cue is about when it shows several: major before minor, then
#: the faults that limit the load (R-TRACK-1 breakdowns) before position and tempo faults.
FAULT_PRIORITY = (
    "back-rounding",
    "dowel-contact-lost",
    "hips-rise-early",
    "squatting",
    "balance-loss",
    "hyperextension",
    "weight-on-toes",
    "hips-drop",
    "chest-drop",
    "knees-locked",
    "head-misaligned",
    "past-hamstring-tension",
    "arms-initiate",
    "rushed-tempo",
)
#: What a rep without a fault is told.
GOOD_REP_CUE = "Good rep."


class _Ranked(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def severity(self) -> Literal["minor", "major"]: ...


F = TypeVar("F", bound=_Ranked)


def most_important_first(faults: Sequence[F]) -> list[F]:
    """The faults in the order a coach names them: major first, then by :data:`FAULT_PRIORITY`."""
    order = {fault_id: i for i, fault_id in enumerate(FAULT_PRIORITY)}
    return sorted(faults, key=lambda f: (f.severity != "major", order.get(f.id, len(order)), f.id))


class RepFaultResult(BaseModel):
    """A fault on one rep, with its evidence: what was measured, the thresholds it passed,
    and the stretch of the clip it was judged over."""

    id: str
    name: str = ""
    rule: str
    severity: Literal["minor", "major"]
    cue: str
    evidence: str
    measured: dict[str, float] = Field(default_factory=dict)
    limits: dict[str, float] = Field(
        default_factory=dict, description="the thresholds (hingecoach.form.thresholds)"
    )
    from_s: float | None = Field(default=None, description="judged from this time ...")
    to_s: float | None = Field(default=None, description="... to this one (seconds)")


class RepResult(BaseModel):
    """One counted rep (R-FORM-1). Times in seconds from the clip start."""

    index: int
    start_s: float
    bottom_s: float
    end_s: float
    descent_s: float | None
    ascent_s: float
    tempo_ok: bool | None
    pattern: Pattern
    hip_angle_bottom_deg: float
    knee_angle_bottom_deg: float
    trunk_bottom_deg: float
    shin_bottom_deg: float
    hip_back: float = Field(description="hip travel back at the bottom, torso lengths")
    hip_down: float = Field(description="hip travel down at the bottom, torso lengths")
    head_drop_deg: float = Field(description="ear-shoulder line below the hip-shoulder line")
    back_bulge: float = Field(description="mid-back outline bulge, torso lengths (NaN: no mask)")
    lockout_hip_deg: float
    lockout_trunk_deg: float
    faults: list[RepFaultResult] = Field(description="most important first")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def cue(self) -> str:
        """The one thing said about this rep: its most important fault's cue (the others
        are listed, not said), or that it was good."""
        return self.faults[0].cue if self.faults else GOOD_REP_CUE


class ClipFault(BaseModel):
    """A fault kept for the clip (R-FORM-4: sustained, on 2 or more reps)."""

    id: str
    name: str
    rule: str
    severity: Literal["minor", "major"]
    cue: str
    reps: list[int]


class ViewResult(BaseModel):
    accepted: bool
    side: str
    angle_deg: float
    start_s: float
    end_s: float
    note: str


class ShotResult(BaseModel):
    """One take of an edited clip (R-FORM-1): the analysed stretch between two cuts (found
    in the pictures or in the body's jumps), and the reps whose bottom falls in it."""

    start_s: float
    end_s: float
    reps: int


class FormReport(BaseModel):
    """The result of analysing one clip."""

    source: str
    exercise: str | None
    view: ViewResult
    pattern: Pattern | None
    reps: list[RepResult]
    partial_reps: int
    faults: list[ClipFault]
    rating: FormRating
    tempo_target: dict[str, float]
    next_session: str
    notes: list[str]
    shots: list[ShotResult] = Field(
        default_factory=list,
        description="the takes of the analysed stretch, with their reps (one: no cut)",
    )

    @property
    def fault_ids(self) -> list[str]:
        return [f.id for f in self.faults]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def clean_reps(self) -> int:
        """Reps without a fault."""
        return sum(1 for r in self.reps if not r.faults)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def quality(self) -> float | None:
        """The share of clean reps (None: no rep counted)."""
        return round(self.clean_reps / len(self.reps), 3) if self.reps else None


def _start_for(exercise: str | None) -> StartPosition | Literal["auto"]:
    if exercise is None:
        return "auto"
    return "floor" if exercise in FLOOR_START_EXERCISES else "standing"


def fault_info(
    catalogue: Catalogue | None, fault_id: str, tempo: TempoTarget | None = None
) -> tuple[str, str]:
    """The fault's name and cue; a rushed tempo is cued with the prescribed tempo."""
    if fault_id == "rushed-tempo" and tempo is not None:
        up = "up fast" if tempo.up_s == 0 else f"{_seconds(tempo.up_s).lower()} up"
        name = catalogue.faults[fault_id].name if catalogue and fault_id in catalogue.faults else ""
        return name or "Rushing the tempo", f"{_seconds(tempo.down_s)} down, {up}."
    if catalogue is not None and fault_id in catalogue.faults:
        f = catalogue.faults[fault_id]
        return f.name, f.cue
    return fault_id.replace("-", " ").capitalize(), ""


def _seconds(value: float) -> str:
    words = {1.0: "One second", 2.0: "Two seconds", 3.0: "Three seconds", 4.0: "Four seconds"}
    return words.get(value, f"{value:g} seconds")


def analyze_pose(
    seq: PoseSequence,
    *,
    exercise: str | None = None,
    tempo: TempoTarget | None = None,
    catalogue: Catalogue | None = None,
    thresholds: FormThresholds = DEFAULT_THRESHOLDS,
    people: PeopleScan | None = None,
    cuts_s: Sequence[float] = (),
    camera: CameraPath | None = None,
) -> FormReport:
    """Analyse one pose sequence (R-FORM-1..5).

    Args:
        seq: the person's landmarks over time.
        exercise: the exercise id, if known (sets the counting convention: lifts from the
            floor count a clip that opens at the bottom; barbell pulls time the bottom at
            lift-off). Unknown ids are treated as lifts that start standing.
        tempo: a target tempo to flag ``rushed-tempo`` against (R-FORM-3); without one,
            times are still reported against 3 s down / 2 s up but not flagged.
        catalogue: for fault names and cues (default: the built-in catalogue).
        thresholds: the numbers (see :mod:`hingecoach.form.thresholds`).
        people: the clip's people scan (everyone in the picture, see
            :mod:`hingecoach.form.people`): a clip with a second lifter is refused.
        cuts_s: the times where the pictures cut to another shot (found in the video, see
            :mod:`hingecoach.capture.frame_cuts`), beside the cuts the body's jumps show:
            each shot is measured and framed on its own, an edited reel is refused.
        camera: how the room moved in the picture (see :mod:`hingecoach.form.camera`): a
            phone that moved is measured against the room when the feet confirm it.

    Raises:
        ViewRefusedError: no person, several people, not a side view, body cut off.
    """
    th = thresholds
    if catalogue is None:
        from hingecoach.knowledge import load_catalogue

        catalogue = load_catalogue([])
    seq = on_even_clock(seq, th)
    cuts = cut_frames(seq.times_s, cuts_s)
    view = check_view(seq, th, people=people, cuts=cuts)
    left_out = view.left_out()
    seen_side_on = view.judged()
    stretch = _side_on_frames(seq, view.start_index, view.stop_index, left_out)
    kin = compute_kinematics(stretch, view.side, th)
    takes = find_shots(stretch, th, cuts=[c - view.start_index for c in cuts])
    # each side-on stretch against its own framing (the camera may have moved meanwhile)
    shots = Shots(
        tuple(sorted({*takes.starts, *(a - view.start_index for a, _ in view.stretches[1:])})),
        takes.glitch,
    )
    stretch, camera_check = steady_camera(stretch, kin, shots.bounds(len(stretch)), camera, th)
    if camera_check.steadied is not None:  # R-FORM-5: measured against the room
        kin = compute_kinematics(stretch, view.side, th)
    start = _start_for(exercise)
    bottom_time: BottomTime = "liftoff" if exercise in LIFTOFF_EXERCISES else "centre"
    if start == "auto":
        start = _auto_start(kin)
    seg = segment_reps(
        kin, start=start, bottom_time=bottom_time, shots=shots, left_out=left_out, th=th
    )
    top = np.isfinite(seg.signal) & (seg.signal <= seg.top_level)
    ref = reference_posture(kin, top)
    sustain = max(1, round(th.sustained_s * stretch.fps))
    # R-FORM-5: a phone that moved is told what to do for the next clip
    notes = [n for n in (view.note, seg.note, camera_check.note(th)) if n]
    target = tempo or TempoTarget(th.tempo_target_down_s, th.tempo_target_up_s)

    def measure(spans: list[RepSpan]) -> list[tuple[RepMetrics, Pattern, list[RepFault]]]:
        out = []
        for span in spans:
            m = measure_rep(
                kin,
                span,
                knee_straight_deg=th.hips_rise_knee_deg,
                sustain_frames=sustain,
                hands_low_max=th.hands_low_max,
                lockout_window_s=th.lockout_window_s,
                judged=seen_side_on,
            )
            pattern = classify_rep(m, th)
            faults = detect_faults(m, ref, pattern, from_floor=start == "floor", tempo=tempo, th=th)
            out.append((m, pattern, faults))
        return out

    measured = measure(seg.reps)
    judged = measured or measure([p for p in seg.partial if p.end - p.start >= 3])
    if not measured and judged:
        notes.append("no complete rep: pattern and faults are read from the partial reps")
    reps: list[RepResult] = []
    for i, (m, pattern, faults) in enumerate(measured, start=1):
        tempo_ok = None
        if m.descent_s is not None:
            tempo_ok = abs(m.descent_s - target.down_s) <= th.tempo_tolerance_s and (
                target.up_s == 0 or abs(m.ascent_s - target.up_s) <= th.tempo_tolerance_s
            )
        reps.append(
            RepResult(
                index=i,
                start_s=m.start_s,
                bottom_s=m.bottom_s,
                end_s=m.end_s,
                descent_s=m.descent_s,
                ascent_s=m.ascent_s,
                tempo_ok=tempo_ok,
                pattern=pattern,
                hip_angle_bottom_deg=m.hip_angle_bottom_deg,
                knee_angle_bottom_deg=m.knee_angle_bottom_deg,
                trunk_bottom_deg=m.trunk_bottom_deg,
                shin_bottom_deg=m.shin_bottom_deg,
                hip_back=m.hip_back,
                hip_down=m.hip_down,
                head_drop_deg=m.neck_bottom_deg,
                back_bulge=m.back_bulge_bottom,
                lockout_hip_deg=m.lockout_hip_deg,
                lockout_trunk_deg=m.lockout_trunk_deg,
                faults=[
                    _fault_result(f, m, catalogue, tempo, th) for f in most_important_first(faults)
                ],
            )
        )
    shot_results = _shot_results(stretch.times_s, takes, reps)
    if len(shot_results) > 1:
        notes.append(_takes_note(shot_results))
    patterns = Counter(p for _, p, _ in judged)
    clip_pattern: Pattern | None = patterns.most_common(1)[0][0] if patterns else None
    takes_of_reps = _take_of_each(shot_results, reps) if measured else None
    kept = clip_faults([faults for _, _, faults in judged], catalogue, th, tempo, takes_of_reps)
    rating = _rating(kept, max(1, len(judged)))
    return FormReport(
        source=seq.source,
        exercise=exercise,
        view=ViewResult(
            accepted=True,
            side=view.side,
            angle_deg=round(view.view_angle_deg, 1),
            start_s=view.start_s,
            end_s=view.end_s,
            note=view.note,
        ),
        pattern=clip_pattern,
        reps=reps,
        partial_reps=len(seg.partial),
        faults=kept,
        rating=rating,
        tempo_target={"down_s": target.down_s, "up_s": target.up_s},
        next_session=_next_session(rating, kept, catalogue),
        notes=notes,
        shots=shot_results,
    )


def _takes_note(shots: list[ShotResult]) -> str:
    """R-FORM-1: what an edited clip's takes held, in plain words."""
    parts = ", ".join(
        f"{s.start_s:.1f}-{s.end_s:.1f} s: {s.reps} rep{'' if s.reps == 1 else 's'}" for s in shots
    )
    return f"the clip cuts between {len(shots)} takes ({parts}); each was measured on its own"


def _take_of_each(shots: list[ShotResult], reps: list[RepResult]) -> list[int]:
    """R-FORM-1: the take each rep's bottom is in (the last one begun by then)."""
    return [
        max((k for k, s in enumerate(shots) if s.start_s <= r.bottom_s), default=0) for r in reps
    ]


def _shot_results(times_s: np.ndarray, takes: Shots, reps: list[RepResult]) -> list[ShotResult]:
    """R-FORM-1: each take of the analysed stretch and the reps whose bottom is in it."""
    out = []
    for a, b in takes.bounds(times_s.size):
        lo, hi = float(times_s[a]), float(times_s[b - 1])
        inside = sum(1 for r in reps if lo <= r.bottom_s <= hi)
        out.append(ShotResult(start_s=lo, end_s=hi, reps=inside))
    return out


def _side_on_frames(seq: PoseSequence, start: int, stop: int, left_out: np.ndarray) -> PoseSequence:
    """The frames ``[start, stop)``, those ``left_out`` (not side on) without a person: no
    angle, side or facing is read from them."""
    lm = seq.landmarks[start:stop].copy()
    lm[left_out, :, :2] = np.nan
    lm[left_out, :, 3] = 0.0
    back = None if seq.back_profile is None else seq.back_profile[start:stop].copy()
    if back is not None:
        back[left_out] = np.nan
    return PoseSequence(
        landmarks=lm,
        times_s=seq.times_s[start:stop],
        width_px=seq.width_px,
        height_px=seq.height_px,
        back_profile=back,
        source=seq.source,
    )


def _fault_result(
    f: RepFault,
    m: RepMetrics,
    catalogue: Catalogue | None,
    tempo: TempoTarget | None,
    th: FormThresholds,
) -> RepFaultResult:
    """A rep's fault for the report, with the stretch of the clip its phase covers."""
    span = {
        "bottom": (m.bottom_s, m.bottom_s),
        "ascent": (m.bottom_s, m.end_s),
        "lockout": (m.end_s, m.end_s + th.lockout_window_s),
        "rep": (m.start_s, m.end_s),
    }[f.phase]
    name, cue = fault_info(catalogue, f.id, tempo)
    return RepFaultResult(
        id=f.id,
        name=name,
        rule=f.rule,
        severity=f.severity,
        cue=cue,
        evidence=f.evidence,
        measured={k: round(v, 3) for k, v in f.measured.items()},
        limits=dict(f.limits),
        from_s=round(span[0], 3),
        to_s=round(span[1], 3),
    )


def _auto_start(kin: object) -> StartPosition:
    """Without an exercise: a clip that opens low with the hands at the knees or below is a
    lift from the floor."""
    from hingecoach.form.kinematics import Kinematics, side_points

    assert isinstance(kin, Kinematics)
    if kin.times_s.size == 0:
        return "standing"
    pts = side_points(kin.side)
    n = min(kin.times_s.size, 5)
    wrist = np.nanmedian(kin.xy[:n, pts["wrist"], 1])
    knee = np.nanmedian(kin.xy[:n, pts["knee"], 1])
    hip = np.nanmedian(kin.hip_angle_deg[:n])
    low = bool(np.isfinite(wrist) and np.isfinite(knee) and wrist >= knee and hip < 120)
    return "floor" if low else "standing"


class _Fault(Protocol):
    """A fault seen on one rep: the clip analysis's own, or a reported rep's."""

    @property
    def id(self) -> str: ...
    @property
    def rule(self) -> str: ...
    @property
    def severity(self) -> Literal["minor", "major"]: ...


def clip_faults(
    per_rep: Sequence[Sequence[_Fault]],
    catalogue: Catalogue | None,
    th: FormThresholds,
    tempo: TempoTarget | None = None,
    takes: Sequence[int] | None = None,
) -> list[ClipFault]:
    """R-FORM-4: keep a fault seen on 2 or more reps of a take (or on a take's only rep).

    Args:
        per_rep: the faults of each rep, in order (rep numbers count from 1).
        takes: the take each rep is in (R-FORM-1: a clip that cuts between takes, such as
            a "wrong vs right" reel, has each take judged on its own); None: one take.
    """
    take_of = list(takes) if takes is not None else [0] * len(per_rep)
    need = {t: min(th.min_reps_for_clip_fault, n) for t, n in Counter(take_of).items()}
    seen: dict[str, list[tuple[int, _Fault]]] = {}
    for i, faults in enumerate(per_rep, start=1):
        for f in faults:
            seen.setdefault(f.id, []).append((i, f))
    out = []
    for fault_id, hits in seen.items():
        in_take = Counter(take_of[i - 1] for i, _ in hits)
        kept_in = [t for t, n in in_take.items() if n >= need[t]]
        if not kept_in:
            continue
        majors = Counter(take_of[i - 1] for i, f in hits if f.severity == "major")
        name, cue = fault_info(catalogue, fault_id, tempo)
        out.append(
            ClipFault(
                id=fault_id,
                name=name,
                rule=hits[0][1].rule,
                severity="major" if any(majors[t] >= need[t] for t in kept_in) else "minor",
                cue=cue,
                reps=[i for i, _ in hits],
            )
        )
    out.sort(key=lambda f: (f.severity != "major", -len(f.reps), f.id))
    return out


_BREAKDOWN_FAULTS = frozenset({"back-rounding", "squatting", "hips-rise-early", "balance-loss"})


def _rating(faults: list[ClipFault], n_reps: int) -> FormRating:
    """R-TRACK-1 form rating: breakdown when a load-limiting fault is major, or a fault
    shows on more than half the reps; minor for any other kept fault; else clean."""
    if not faults:
        return "clean"
    for f in faults:
        if f.id in _BREAKDOWN_FAULTS and (f.severity == "major" or len(f.reps) > n_reps / 2):
            return "breakdown"
    return "minor"


def _next_session(rating: FormRating, faults: list[ClipFault], catalogue: Catalogue | None) -> str:
    if rating == "clean":
        return "Clean reps: this set counts towards progressing (R-PROG-1)."
    main = faults[0]
    drill = ""
    sign_text = ""
    if catalogue is not None and main.id in catalogue.faults:
        fault = catalogue.faults[main.id]
        drill_ex = catalogue.exercises.get(fault.drill)
        drill = drill_ex.name if drill_ex else fault.drill
        if fault.sign is not None and fault.sign in catalogue.signs:
            sign = catalogue.signs[fault.sign]
            sign_text = f" {sign.action} ({sign.rule})."
    if rating == "minor":
        return f"Minor fault ({main.name.lower()}): hold the load and work on the cue" + (
            f"; warm up with {drill}." if drill else "."
        )
    return (
        f"Form broke down ({main.name.lower()} on {len(main.reps)} rep(s)): do not add load."
        + sign_text
        + (f" Drill: {drill}." if drill else "")
    )
