"""``hingecoach live`` as a user runs it: a clip replayed as a camera, events as they happen.

The real clips in ../shared/data (skipped with a notice when absent) are played at their own
speed (or a little faster for a long one); pose runs as frames arrive, and frames that come
while the model is busy are dropped as with a live camera. The reps counted must be the
labelled ones; a clip filmed from the front must be told what to re-film, exit 3.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED
from tests.e2e.cli_runner import run

TRACKS = Path(__file__).resolve().parents[1] / "fixtures" / "tracks"
CLIPS = SHARED / "data" / "clips"
LABELS = SHARED / "data" / "labels.csv"


def _events(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def _label(name: str) -> dict[str, str]:
    if not LABELS.is_file() or not (CLIPS / name).is_file():
        pytest.skip(f"the shared clips are not at {CLIPS} (see ../shared/data/README.md)")
    with LABELS.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["file"] == name:
                return row
    pytest.skip(f"{name} is not in {LABELS}")


# -- a recorded pose track replayed (no video support needed) -----------------------------


def test_json_events_for_a_replayed_track() -> None:
    track = TRACKS / "kb-deadlift-clean.npz"
    result = run("live", "--video", str(track), "-e", "KB deadlift", "--json", "--speed", "8")
    assert result.code == 0, result.err
    events = _events(result.out)
    assert all({"type", "t_s"} <= set(e) for e in events)
    reps = [e for e in events if e["type"] == "rep"]
    assert [r["n"] for r in reps] == [1, 2, 3, 4]
    for rep in reps:
        assert {"bottom_s", "descent_s", "ascent_s", "faults"} <= set(rep)
        assert rep["t_s"] - rep["bottom_s"] < 2.5  # told during the set, not after it
        assert all({"id", "cue"} <= set(f) for f in rep["faults"])
    # events come in stream order, and the set's end is the last line
    assert [e["t_s"] for e in events] == sorted(e["t_s"] for e in events)
    assert events[-1]["type"] == "end" and events[-1]["reps"] == 4


def test_faults_come_with_their_cue_as_the_rep_ends() -> None:
    track = TRACKS / "kb-deadlift-rounded.npz"
    result = run("live", "--video", str(track), "-e", "kettlebell-deadlift", "--speed", "8")
    assert result.code == 0, result.err
    assert "Rep 4" in result.out and "Set over: 4 rep(s), form breakdown" in result.out
    assert "Cue: Brace like you're about to take a punch." in result.out


def test_a_front_view_track_gets_a_view_event_and_exit_3() -> None:
    result = run("live", "--video", str(TRACKS / "goblet-squat-front.npz"), "--json")
    assert result.code == 3
    views = [e for e in _events(result.out) if e["type"] == "view"]
    assert views and views[0]["ok"] is False and views[0]["code"] == "not-side-view"
    assert "side" in views[0]["message"]


def test_bad_invocations() -> None:
    assert run("live").code == 2  # neither --video nor --camera
    track = str(TRACKS / "bw-squat.npz")
    assert run("live", "--video", track, "--camera", "0").code == 2
    assert run("live", "--video", track, "--exercise", "no-such-lift").code == 2
    missing = run("live", "--video", "/nonexistent/clip.mp4")
    assert missing.code == 2 and "no such file" in missing.err  # bad input (README)


# -- real clips, at their own speed -------------------------------------------------------


def _live(name: str, *extra: str) -> tuple[int, list[dict[str, Any]], str]:
    pytest.importorskip("mediapipe")
    pytest.importorskip("av")
    label = _label(name)
    args = ["live", "--video", str(CLIPS / name), "--json", *extra]
    if label["exercise"] in ("kettlebell-deadlift", "conventional-deadlift"):
        args += ["--exercise", label["exercise"]]
    result = run(*args)
    return result.code, _events(result.out), result.err


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "speed"),
    [
        ("jeffchen-good.mp4", "1"),
        ("tobefrank-kb-deadlift.mp4", "1"),
        ("mattiolato-deadlift-good-000005.mp4", "1"),
        ("tby66-kb-deadlift-k_1.mp4", "2"),  # 18 s of 60 fps, played twice as fast
    ],
)
def test_side_view_clips_count_their_labelled_reps(name: str, speed: str) -> None:
    label = _label(name)
    code, events, err = _live(name, "--speed", speed)
    assert code == 0, err
    reps = [e for e in events if e["type"] == "rep"]
    assert len(reps) == int(label["reps"]), [(r["n"], r["bottom_s"]) for r in reps]
    assert events[-1]["type"] == "end" and events[-1]["reps"] == int(label["reps"])


@pytest.mark.slow
@pytest.mark.parametrize("name", ["kovi-kb-swing-front-oblique.mp4", "aris-goblet-squat-front.mp4"])
def test_clips_labelled_unusable_say_what_to_refilm(name: str) -> None:
    label = _label(name)
    assert label["side_usable"] == "no"
    code, events, _ = _live(name)
    assert code == 3
    views = [e for e in events if e["type"] == "view"]
    assert views and views[0]["ok"] is False
    assert views[0]["code"] in ("not-side-view", "several-people", "body-cut-off")
    assert views[0]["message"]
    assert not [e for e in events if e["type"] == "rep"]
