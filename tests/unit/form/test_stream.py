"""The streaming analysis (live coaching) against the clip analysis of the same frames.

R-FORM-1 (reps), R-FORM-3 (tempo), R-FORM-4 (faults and cues), R-FORM-5 (view).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from hingecoach.form import PoseSequence, ViewRefusedError, analyze_pose
from hingecoach.form.stream import (
    EndEvent,
    FaultEvent,
    LiveEvent,
    RepEvent,
    StreamingAnalyser,
    StreamSettings,
    ViewEvent,
)

TrackLoader = Callable[[str], PoseSequence]

SIDE_TRACKS = [
    "kb-deadlift-clean",
    "kb-deadlift-hips-rise",
    "kb-deadlift-rounded",
    "kb-deadlift-squatting",
    "good-morning-knees-locked",
    "bw-squat",
    "deadlift-hyperextension",
    "deadlift-heel-lift",
    "deadlift-partial-rounded",
]


def stream(
    seq: PoseSequence,
    *,
    exercise: str | None = None,
    people: Sequence[int] | None = None,
    settings: StreamSettings | None = None,
) -> tuple[StreamingAnalyser, list[LiveEvent]]:
    a = StreamingAnalyser(
        width_px=seq.width_px,
        height_px=seq.height_px,
        exercise=exercise,
        settings=settings or StreamSettings(),
    )
    events: list[LiveEvent] = []
    for i in range(len(seq)):
        n_people = int(people[i]) if people is not None else 1
        bp = None if seq.back_profile is None else seq.back_profile[i]
        events += a.push(seq.times_s[i], seq.landmarks[i], people=n_people, back_profile=bp)
    events += a.finish()
    return a, events


def reps_of(events: list[LiveEvent]) -> list[RepEvent]:
    return [e for e in events if isinstance(e, RepEvent)]


@pytest.mark.parametrize("name", SIDE_TRACKS)
def test_streaming_and_clip_analysis_agree(track: TrackLoader, name: str) -> None:
    """R-FORM-1/R-FORM-4: the same reps, the same per-rep faults, the same set faults."""
    seq = track(name)
    report = analyze_pose(seq)
    _, events = stream(seq)
    got = reps_of(events)
    assert [r.n for r in got] == list(range(1, len(report.reps) + 1))
    assert [r.bottom_s for r in got] == pytest.approx([r.bottom_s for r in report.reps], abs=0.05)
    assert [[f.id for f in r.faults] for r in got] == [
        [f.id for f in r.faults] for r in report.reps
    ]
    end = events[-1]
    assert isinstance(end, EndEvent)
    assert end.reps == len(report.reps)
    assert [f.id for f in end.faults] == report.fault_ids
    assert end.rating == report.rating


@pytest.mark.parametrize("name", [n for n in SIDE_TRACKS if n != "deadlift-partial-rounded"])
def test_each_rep_verdict_comes_within_half_a_second_of_lockout(
    track: TrackLoader, name: str
) -> None:
    seq = track(name)
    report = analyze_pose(seq)
    _, events = stream(seq)
    for event, rep in zip(reps_of(events), report.reps, strict=True):
        assert event.t_s - rep.end_s <= 0.5, (event.n, event.t_s, rep.end_s)


def test_a_fault_event_carries_the_cue_to_say(track: TrackLoader) -> None:
    """R-FORM-4: hips rising first is cued on the rep it shows, with the catalogue's cue."""
    _, events = stream(track("kb-deadlift-hips-rise"))
    faults = [e for e in events if isinstance(e, FaultEvent) and e.id == "hips-rise-early"]
    assert faults, "no hips-rise-early cue"
    assert all(e.cue and e.name for e in faults)
    rep_times = {e.n: e.t_s for e in reps_of(events)}
    assert all(e.t_s == rep_times[e.rep] for e in faults)


def test_rep_event_carries_tempo_for_the_live_page(track: TrackLoader) -> None:
    """R-FORM-3: descent and ascent times come with every rep of a standing-start set."""
    _, events = stream(track("good-morning-knees-locked"))
    for rep in reps_of(events):
        assert rep.descent_s is not None and rep.descent_s > 0
        assert rep.ascent_s > 0


def test_a_front_view_gets_a_view_event_saying_what_to_change(track: TrackLoader) -> None:
    """R-FORM-5: the front view is refused while it happens, not only at the end."""
    seq = track("goblet-squat-front")
    with pytest.raises(ViewRefusedError):
        analyze_pose(seq)
    _, events = stream(seq)
    views = [e for e in events if isinstance(e, ViewEvent)]
    assert views and not views[0].ok
    assert views[0].code == "not-side-view"
    assert "side on" in views[0].message
    assert views[0].t_s < seq.times_s[-1], "the first view event only came at the end"
    end = events[-1]
    assert isinstance(end, EndEvent) and end.reps == 0 and end.report is None


def test_a_second_person_walking_in_is_flagged_and_counted_reps_are_kept(
    track: TrackLoader,
) -> None:
    """R-FORM-5: several people in view -> a view event; the reps before it stay counted."""
    seq = track("kb-deadlift-clean")
    people = np.ones(len(seq), dtype=int)
    people[seq.times_s > 5.0] = 2
    a, events = stream(seq, people=list(people))
    views = [e for e in events if isinstance(e, ViewEvent) and not e.ok]
    assert views and views[0].code == "several-people"
    assert 5.0 < views[0].t_s < 8.5
    end = events[-1]
    assert isinstance(end, EndEvent)
    assert end.reps >= 2, "reps counted before the second person came in were lost"
    assert end.reps == len(a.reps)


def test_memory_stays_constant_over_a_long_set(track: TrackLoader) -> None:
    """Ten minutes of frames through a 20 s buffer: the buffer never grows, reps keep coming."""
    seq = track("good-morning-knees-locked")
    settings = StreamSettings(max_frames=300)  # 20 s at 15 fps
    a = StreamingAnalyser(width_px=seq.width_px, height_px=seq.height_px, settings=settings)
    period = float(seq.times_s[-1] - seq.times_s[0]) + 1 / 15
    copies = 30
    counted = 0
    for k in range(copies):
        for i in range(len(seq)):
            events = a.push(seq.times_s[i] + k * period, seq.landmarks[i])
            counted += len(reps_of(events))
        assert a._lm.shape[0] == 300 and a._n <= 300
    counted += len(reps_of(a.finish()))
    assert a.frames_seen == copies * len(seq)
    assert counted == len(a.reps)
    assert counted >= 3 * copies - 2, counted  # 3 reps a copy; the seams may cost one


def test_bad_frames_are_refused_with_a_clear_message_and_the_stream_goes_on(
    track: TrackLoader,
) -> None:
    seq = track("kb-deadlift-clean")
    a = StreamingAnalyser(width_px=seq.width_px, height_px=seq.height_px)
    a.push(0.0, seq.landmarks[0])
    with pytest.raises(ValueError, match=r"shape \(33, 4\)"):
        a.push(0.1, np.zeros((17, 3)))
    with pytest.raises(ValueError, match=r"after 0\.000 s"):
        a.push(0.0, seq.landmarks[1])
    with pytest.raises(ValueError, match="finite"):
        a.push(float("nan"), seq.landmarks[1])
    bad = seq.landmarks[1].copy()
    bad[0, 3] = 7.0
    with pytest.raises(ValueError, match="visibility"):
        a.push(0.1, bad)
    huge = seq.landmarks[1].copy()
    huge[5, 0] = 1e12
    with pytest.raises(ValueError, match="within"):
        a.push(0.1, huge)
    assert a.frames_seen == 1
    a.push(0.1, None)  # no person in this frame is fine
    assert a.frames_seen == 2
    a.finish()
    with pytest.raises(ValueError, match="ended"):
        a.push(0.2, seq.landmarks[2])
    with pytest.raises(ValueError, match="already ended"):
        a.finish()


@settings(max_examples=60, deadline=None)
@given(
    frames=st.lists(
        hnp.arrays(
            np.float64,
            (33, 4),
            elements=st.one_of(
                st.floats(-3000, 3000), st.just(float("nan")), st.floats(0, 1), st.just(1e9)
            ),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_garbage_never_crashes_the_analyser(frames: list[np.ndarray]) -> None:
    """Anything a client might send is either taken or refused with ValueError."""
    a = StreamingAnalyser(width_px=640, height_px=480)
    for i, frame in enumerate(frames):
        with contextlib.suppress(ValueError):
            a.push(i / 30, frame)
    end = a.finish()[-1]
    assert isinstance(end, EndEvent)
    assert end.reps == len(a.reps)
