"""Live (streaming) and clip analysis agree on every labelled clip in ../shared/data.

The pose tracks are extracted once with MediaPipe and cached in ``.cache/poses`` (shared
with ``make eval-form``); the first run on a fresh clone takes a few minutes for that.
R-FORM-1 (reps), R-FORM-4 (faults), R-FORM-5 (view).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from hingecoach.capture import load_track
from hingecoach.capture.posecache import ensure_tracks
from hingecoach.form import FormReport, PoseSequence, ViewRefusedError, analyze_pose
from hingecoach.form.stream import EndEvent, LiveEvent, RepEvent, StreamingAnalyser, ViewEvent
from hingecoach.knowledge import load_catalogue
from tests.conftest import REPO, SHARED

LABELS = SHARED / "data" / "labels.csv"
HARD_LABELS = SHARED / "data" / "labels-hard.csv"
"""The clips the analyser used to get wrong (occluded, cut off, mid-rep starts...)."""
CACHE = REPO / ".cache" / "poses"
CATALOGUE = load_catalogue([])


def _rows() -> list[dict[str, str]]:
    rows = []
    for labels in (LABELS, HARD_LABELS):
        if labels.is_file():
            with labels.open(newline="") as f:
                rows += list(csv.DictReader(f))
    return rows


#: Clips the clip analysis refuses on what the whole clip shows, where live (which cannot
#: know the rest of the set) counts reps first (issue 19). What differs, exactly:
COUNTED_BEFORE_REFUSAL = {
    "domi-back-squat-plate-occluded.mp4": (
        "refused as body-occluded: the plate hides the trunk at the rep bottoms (2.0-2.3, "
        "4.8-4.9, 10.3-10.6, 13.0-13.2 s; 3 such moments refuse), but the verdicts on the "
        "reps at 2.2, 5.0 and 7.6 s are due (3.4, 6.3, 9.1 s) while the set so far holds 2 "
        "at most: live counts them, then says body-occluded at 11.6 s once the third is in"
    ),
    "dillon-back-squat-rack-rear.mp4": (
        "refused as not side on: its side-on stretches (11.6-13.6, 17.2-21.8, 24.1-25.6 s) "
        "hold 31 % of the frames the lifter is seen in, under the half needed; live analyses "
        "from the moment the view turned usable (17.0 s), as it must for a set filmed after "
        "a front-on set-up, and counts the rep at 18.7 s: at its verdict (21.2 s) the set so "
        "far is side on in 29 % of it, chdh-squat-goblet-kb-pickup (accepted as a whole) in "
        "42 % at its first verdict (11.9 s)"
    ),
}
#: Clips with a rep whose verdict live can only give when the set ends (issue 19).
LATE_VERDICT = {
    "chdh-squat-goblet-kb-pickup.mp4": (
        "the shallow rep at 12.87 s reaches the bottom zone (65 % of the depth range of the "
        "stretch analysed) only against the whole clip, by 0.01 torso lengths; up to 25 s "
        "of the set it stays 0.02-0.07 short of it, so live reports it when the set ends"
    ),
}


def _param(row: dict[str, str], known: dict[str, str]) -> object:
    reason = known.get(row["file"])
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(row, id=row["file"], marks=marks)


ROWS = _rows()


@pytest.fixture(scope="module")
def tracks(video_support: None) -> dict[str, Path]:
    if not ROWS:
        pytest.skip(f"the labelled clips are not at {LABELS} (see ../shared/data/README.md)")
    clips = [SHARED / "data" / "clips" / r["file"] for r in ROWS]
    jobs = max(1, min(2, os.cpu_count() or 1))
    paths = ensure_tracks(clips, CACHE, jobs=jobs, progress=print)
    return {clip.name: path for clip, path in zip(clips, paths, strict=True)}


def _stream(seq: PoseSequence, exercise: str | None) -> list[LiveEvent]:
    a = StreamingAnalyser(
        width_px=seq.width_px,
        height_px=seq.height_px,
        exercise=exercise,
        catalogue=CATALOGUE,
        source=seq.source,
    )
    events: list[LiveEvent] = []
    for i in range(len(seq)):
        events += a.push(
            seq.times_s[i],
            seq.landmarks[i],
            people=1 if seq.people is None else int(seq.people[i]),
            back_profile=None if seq.back_profile is None else seq.back_profile[i],
        )
    return events + a.finish()


Both = tuple[list[LiveEvent], FormReport | ViewRefusedError]


@pytest.fixture(scope="module")
def both(tracks: dict[str, Path]) -> Callable[[str], Both]:
    """A clip's live events and its clip analysis (or refusal), worked out once."""
    done: dict[str, Both] = {}

    def run(file: str) -> Both:
        if file not in done:
            seq = load_track(tracks[file])
            exercise = next(r for r in ROWS if r["file"] == file)["exercise"].strip() or None
            events = _stream(seq, exercise)
            try:
                done[file] = events, analyze_pose(seq, exercise=exercise, catalogue=CATALOGUE)
            except ViewRefusedError as refusal:
                done[file] = events, refusal
        return done[file]

    return run


@pytest.mark.parametrize("row", [_param(r, COUNTED_BEFORE_REFUSAL) for r in ROWS])
def test_live_and_clip_analysis_give_the_same_reps_and_faults(
    both: Callable[[str], Both], row: dict[str, str]
) -> None:
    """By the end of the set: the same reps (in the order they happened), the same per-rep
    and set faults, the same refusal."""
    events, clip = both(row["file"])
    end = events[-1]
    assert isinstance(end, EndEvent)
    reps = sorted((e for e in events if isinstance(e, RepEvent)), key=lambda e: e.bottom_s)
    if isinstance(clip, ViewRefusedError):
        views = [e for e in events if isinstance(e, ViewEvent) and not e.ok]
        assert views, f"clip refused ({clip.code}) but live gave no view event"
        assert clip.code in {v.code for v in views}
        assert [r.bottom_s for r in reps] == [] and end.report is None
        return
    assert [r.bottom_s for r in reps] == pytest.approx([r.bottom_s for r in clip.reps], abs=0.05)
    assert [[f.id for f in r.faults] for r in reps] == [[f.id for f in r.faults] for r in clip.reps]
    assert end.reps == len(clip.reps)
    assert [f.id for f in end.faults] == clip.fault_ids


@pytest.mark.parametrize("row", [_param(r, LATE_VERDICT) for r in ROWS])
def test_live_gives_each_rep_verdict_within_half_a_second_of_lockout(
    both: Callable[[str], Both], row: dict[str, str]
) -> None:
    """Every rep the clip analysis counts is told live within 0.5 s of its lockout."""
    events, clip = both(row["file"])
    if isinstance(clip, ViewRefusedError):
        return  # no rep to tell (what live counted anyway is the test above's)
    told = [e for e in events if isinstance(e, RepEvent)]
    for rep in clip.reps:
        assert told, "live told no rep"
        event = min(told, key=lambda e: abs(e.bottom_s - rep.bottom_s))
        late = event.t_s - rep.end_s
        assert late <= 0.5, f"rep at {rep.bottom_s:.2f} s: verdict {late:.2f} s after lockout"


@pytest.mark.parametrize("row", [pytest.param(r, id=r["file"]) for r in ROWS])
def test_live_tells_reps_only_while_the_view_is_good(
    both: Callable[[str], Both], row: dict[str, str]
) -> None:
    """R-FORM-5: no rep is told while live has said the view is not usable (those found
    when the set ends included: the set's analysis then found the view usable)."""
    events, _ = both(row["file"])
    good = True
    for event in events:
        if isinstance(event, ViewEvent):
            good = event.ok
        elif isinstance(event, RepEvent):
            assert good, f"rep at {event.bottom_s:.2f} s told at {event.t_s:.2f} s, view refused"


def test_live_says_the_plate_hides_the_body_once_the_set_shows_it(
    both: Callable[[str], Both],
) -> None:
    """R-FORM-5, issue 19: side on, but the near plate hides the trunk at every rep bottom:
    live says body-occluded (not to turn the camera) during the set, about a second after
    the third such moment (10.3-10.6 s), and tells no rep after it."""
    events, clip = both("domi-back-squat-plate-occluded.mp4")
    assert isinstance(clip, ViewRefusedError) and clip.code == "body-occluded"
    views = [e for e in events if isinstance(e, ViewEvent)]
    assert [(v.ok, v.code) for v in views] == [(False, "body-occluded")]
    assert 10.5 < views[0].t_s < 12.0
    told = [e.t_s for e in events if isinstance(e, RepEvent)]
    assert told and max(told) < views[0].t_s
    end = events[-1]
    assert isinstance(end, EndEvent) and end.report is None and end.reps == len(told)
