"""Live analysis where the whole set decides (issue 19): a rep counted only against the depth
of the whole set, and a pose guessed in several moments of it (recorded pose tracks).

R-FORM-1 (reps), R-FORM-4 (faults), R-FORM-5 (view).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pytest

from hingecoach.form import PoseSequence, ViewRefusedError, analyze_pose
from hingecoach.form.pose import LM
from hingecoach.form.stream import EndEvent, LiveEvent, RepEvent, StreamingAnalyser, ViewEvent
from tests.unit.form.synthetic import Motion, jitter, make_sequence, rep_bottoms

TrackLoader = Callable[[str], PoseSequence]


def stream(seq: PoseSequence, exercise: str | None = None) -> list[LiveEvent]:
    a = StreamingAnalyser(width_px=seq.width_px, height_px=seq.height_px, exercise=exercise)
    events: list[LiveEvent] = []
    for i in range(len(seq)):
        bp = None if seq.back_profile is None else seq.back_profile[i]
        events += a.push(seq.times_s[i], seq.landmarks[i], back_profile=bp)
    return events + a.finish()


def reps_of(events: Sequence[LiveEvent]) -> list[RepEvent]:
    return [e for e in events if isinstance(e, RepEvent)]


def views_of(events: Sequence[LiveEvent]) -> list[ViewEvent]:
    return [e for e in events if isinstance(e, ViewEvent)]


def test_a_shallow_rep_counted_against_the_whole_set_is_told_when_the_set_ends(
    track: TrackLoader,
) -> None:
    """R-FORM-1: the second of three squats is shallower; it reaches the bottom zone only
    against the depth range of the whole set (later, deeper goblet squats), so no analysis
    of the set so far counts it. The set's end reports it: live counts what the clip
    analysis counts, with the same faults, and the other reps on time."""
    seq = track("squat-shallow-rep")
    report = analyze_pose(seq, exercise="squat")
    events = stream(seq, exercise="squat")
    told = reps_of(events)
    in_order = sorted(told, key=lambda e: e.bottom_s)
    assert len(report.reps) == 6
    assert [r.bottom_s for r in in_order] == pytest.approx(
        [r.bottom_s for r in report.reps], abs=0.05
    )
    assert [[f.id for f in r.faults] for r in in_order] == [
        [f.id for f in r.faults] for r in report.reps
    ]
    shallow = report.reps[1]
    last = told[-1]
    assert last.bottom_s == pytest.approx(shallow.bottom_s, abs=0.05)
    assert last.t_s == pytest.approx(float(seq.times_s[-1])) and last.n == 6
    for event, rep in zip(in_order, report.reps, strict=True):
        if rep is not shallow:
            assert event.t_s - rep.end_s <= 0.5
    end = events[-1]
    assert isinstance(end, EndEvent) and end.reps == 6 and end.report is not None


def test_a_plate_hiding_the_body_is_told_once_the_set_shows_it(track: TrackLoader) -> None:
    """R-FORM-5: the near plate hides the trunk at every bottom. No two seconds show it, so
    the view check never refuses; the analysis of the set so far does once the third such
    moment is in (10.3-10.6 s): live says body-occluded then, not to turn the camera, and
    two seconds of plausible pose after it do not take that back."""
    seq = track("back-squat-plate-occluded")
    with pytest.raises(ViewRefusedError) as clip:
        analyze_pose(seq, exercise="squat")
    assert clip.value.code == "body-occluded"
    events = stream(seq, exercise="squat")
    views = views_of(events)
    assert [(v.ok, v.code) for v in views] == [(False, "body-occluded")]
    assert 10.5 < views[0].t_s < 12.0
    assert "hidden" in views[0].message and "side" in views[0].message
    told = reps_of(events)
    assert told and all(r.t_s < views[0].t_s for r in told)  # counted before, kept
    end = events[-1]
    assert isinstance(end, EndEvent) and end.report is None and end.reps == len(told)


def _hidden_at(seq: PoseSequence, bottoms: list[float]) -> PoseSequence:
    """The thighs drawn at a third of their length for 0.3 s around each of ``bottoms``
    (the pose model guessing behind a plate)."""
    lm = seq.landmarks.copy()
    for b in bottoms:
        hid = np.abs(seq.times_s - b) <= 0.15
        for side in ("LEFT", "RIGHT"):
            hip, knee = LM[f"{side}_HIP"], LM[f"{side}_KNEE"]
            lm[hid, knee, :2] = lm[hid, hip, :2] + 0.3 * (lm[hid, knee, :2] - lm[hid, hip, :2])
    return PoseSequence(lm, seq.times_s, seq.width_px, seq.height_px, back_profile=seq.back_profile)


def test_hidden_first_reps_then_a_clear_view_the_set_counts_every_rep() -> None:
    """R-FORM-5: the first three bottoms are hidden, then 25 s of clear reps. The set so far
    is refused (three guessed moments in its first 8 s) and live says so; once the hidden
    moments have left the analysed window it says the view is good again and counts the reps
    held back; at the end it has every rep the clip analysis of the whole set counts (there
    the three moments are too small a share to refuse)."""
    motion = Motion(reps=12)
    seq = _hidden_at(jitter(make_sequence(motion), px=3.0), rep_bottoms(motion)[:3])
    report = analyze_pose(seq)
    events = stream(seq)
    views = views_of(events)
    assert [(v.ok, v.code) for v in views] == [(False, "body-occluded"), (True, "ok")]
    assert views[0].t_s < rep_bottoms(motion)[3]
    told = sorted(r.bottom_s for r in reps_of(events))
    assert told == pytest.approx([r.bottom_s for r in report.reps], abs=0.05)
    assert len(told) == 12
    assert not any(views[0].t_s < r.t_s < views[1].t_s for r in reps_of(events))
