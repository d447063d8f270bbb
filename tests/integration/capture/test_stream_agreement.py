"""Live (streaming) and clip analysis agree on every labelled clip in ../shared/data.

The pose tracks are extracted once with MediaPipe and cached in ``.cache/poses`` (shared
with ``make eval-form``); the first run on a fresh clone takes a few minutes for that.
R-FORM-1 (reps), R-FORM-4 (faults), R-FORM-5 (view).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from hingecoach.capture import load_track
from hingecoach.capture.posecache import ensure_tracks
from hingecoach.form import PoseSequence, ViewRefusedError, analyze_pose
from hingecoach.form.stream import EndEvent, LiveEvent, RepEvent, StreamingAnalyser, ViewEvent
from hingecoach.knowledge import load_catalogue
from tests.conftest import REPO, SHARED

LABELS = SHARED / "data" / "labels.csv"
HARD_LABELS = SHARED / "data" / "labels-hard.csv"
"""The clips the analyser used to get wrong (occluded, cut off, mid-rep starts...)."""
CACHE = REPO / ".cache" / "poses"


def _rows() -> list[dict[str, str]]:
    rows = []
    for labels in (LABELS, HARD_LABELS):
        if labels.is_file():
            with labels.open(newline="") as f:
                rows += list(csv.DictReader(f))
    return rows


#: Hard clips where live and clip analysis still disagree (issue 19), with why.
NOT_YET = {
    "domi-back-squat-plate-occluded.mp4": (
        "the clip is refused as body-occluded over the whole set, but live counts the first "
        "reps before the plate has hidden the body in enough moments to refuse"
    ),
    "chdh-squat-goblet-kb-pickup.mp4": (
        "live and clip analysis disagree on this clip (front intro, then a kettlebell "
        "pick-up between the squats); not diagnosed yet"
    ),
    "dillon-back-squat-rack-rear.mp4": (
        "live and clip analysis disagree on this handheld rear-oblique clip with the body "
        "behind the rack; not diagnosed yet"
    ),
}


def _param(row: dict[str, str]) -> object:
    reason = NOT_YET.get(row["file"])
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
        catalogue=load_catalogue([]),
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


@pytest.mark.parametrize("row", [_param(r) for r in ROWS])
def test_live_and_clip_analysis_give_the_same_reps_and_faults(
    tracks: dict[str, Path], row: dict[str, str]
) -> None:
    seq = load_track(tracks[row["file"]])
    exercise = row["exercise"].strip() or None
    events = _stream(seq, exercise)
    end = events[-1]
    assert isinstance(end, EndEvent)
    reps = [e for e in events if isinstance(e, RepEvent)]
    try:
        report = analyze_pose(seq, exercise=exercise, catalogue=load_catalogue([]))
    except ViewRefusedError as refusal:
        views = [e for e in events if isinstance(e, ViewEvent) and not e.ok]
        assert views, f"clip refused ({refusal.code}) but live gave no view event"
        assert refusal.code in {v.code for v in views}
        assert reps == [] and end.report is None
        return
    assert [r.bottom_s for r in reps] == pytest.approx([r.bottom_s for r in report.reps], abs=0.05)
    assert [[f.id for f in r.faults] for r in reps] == [
        [f.id for f in r.faults] for r in report.reps
    ]
    assert [f.id for f in end.faults] == report.fault_ids
    for event, rep in zip(reps, report.reps, strict=True):
        late = event.t_s - rep.end_s
        assert late <= 0.5, f"rep {event.n}: verdict {late:.2f} s after lockout"
