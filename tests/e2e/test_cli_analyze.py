"""``hingecoach analyze`` as a user runs it: the card, --json, exit status 3 with a code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import SHARED
from tests.e2e.cli_runner import run

TRACKS = Path(__file__).resolve().parents[1] / "fixtures" / "tracks"


def test_card_for_a_recorded_track() -> None:
    result = run("analyze", str(TRACKS / "kb-deadlift-rounded.npz"), "--exercise", "KB lift")
    assert result.code == 0, result.err
    out = result.out
    assert (
        "side view" in out and "Pattern: hinge for Kettlebell deadlift" in out and "Reps: 4" in out
    )
    assert "back-rounding" in out and "Brace like you're about to take a punch." in out
    assert "Form: breakdown" in out and "R-REG-1" in out


def test_json_for_scripts() -> None:
    result = run("analyze", str(TRACKS / "kb-deadlift-clean.npz"), "--json", "--tempo", "3/2")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["view"]["accepted"] is True and data["pattern"] == "hinge"
    assert len(data["reps"]) == 4
    rep = data["reps"][1]
    assert {"bottom_s", "descent_s", "ascent_s", "faults"} <= set(rep)
    assert [f["id"] for f in rep["faults"]] == ["rushed-tempo"]
    assert data["faults"][0]["id"] == "rushed-tempo"


def test_r_form_4_a_fault_on_one_rep_of_several_is_shown_but_not_counted() -> None:
    """The 'wrong vs right' reel: the first pull rounds the back, the second is clean. The
    table shows the first rep's faults; the set's line says why they do not count, instead
    of 'none seen' under a table that shows some."""
    reel = TRACKS / "deadlift-wrong-right-reel.npz"
    result = run("analyze", str(reel), "--exercise", "conventional-deadlift")
    assert result.code == 0, result.err
    out = " ".join(result.out.split())
    assert "Lower back rounds" in out and "Clean reps: 1 of 2" in out
    assert "none seen" not in out
    assert (
        "Faults: none on 2 or more reps (head out of line, lower back rounds on one rep only" in out
    )
    assert "not counted against the set, R-FORM-4" in out


def test_r_form_4_the_reel_video_judges_each_take_on_its_own() -> None:
    """The same reel from its video, where the cut to the second recording is seen in the
    pictures: each take is its own set, so the wrong take's rounded pull is a fault of the
    clip, with its cue, and the line above the faults says the rule it passed."""
    pytest.importorskip("mediapipe")
    clip = SHARED / "data" / "clips" / "rfn-deadlift-wrong-right.mp4"
    if not clip.is_file():
        pytest.skip(f"the shared clips are not at {clip.parent}")
    result = run("analyze", str(clip), "--exercise", "conventional-deadlift")
    assert result.code == 0, result.err
    out = " ".join(result.out.split())
    assert "cuts between 2 takes (0.0-7.3 s: 1 rep, 7.4-14.7 s: 1 rep)" in out
    assert "on 2+ reps of a take when it has 2+: each take on its own, R-FORM-4" in out
    assert "Lower back rounds (back-rounding, major; reps 1; R-FORM-2)" in out
    assert "Brace like you're about to take a punch." in out
    assert "Form: breakdown" in out


def test_a_clip_with_no_fault_on_any_rep_says_none_seen() -> None:
    result = run("analyze", str(TRACKS / "banded-hinge-clean.npz"))
    assert result.code == 0, result.err
    assert "Faults: none seen" in result.out


def test_refusal_exits_3_with_a_stable_code() -> None:
    result = run("analyze", str(TRACKS / "goblet-squat-front.npz"), "--json")
    assert result.code == 3
    error = json.loads(result.out)["error"]
    assert error["code"] == "not-side-view" and "phone" in error["message"]
    plain = run("analyze", str(TRACKS / "goblet-squat-front.npz"))
    assert plain.code == 3 and "error:" in plain.err and "Traceback" not in plain.err


def test_unreadable_files_exit_3_and_missing_ones_2(tmp_path: Path) -> None:
    bad = tmp_path / "clip.json"
    bad.write_text("nope")
    result = run("analyze", str(bad), "--json")
    assert result.code == 3 and json.loads(result.out)["error"]["code"] == "unreadable-video"
    missing = run("analyze", str(tmp_path / "none.mp4"), "--json")
    assert missing.code == 2 and json.loads(missing.out)["error"]["code"] == "unreadable-video"


def test_bad_options_are_input_errors() -> None:
    assert run("analyze", str(TRACKS / "bw-squat.npz"), "--tempo", "fast").code == 2
    assert run("analyze", str(TRACKS / "bw-squat.npz"), "--exercise", "no-such").code == 2


@pytest.mark.slow
def test_real_clip_with_annotated_video_and_frames(tmp_path: Path) -> None:
    pytest.importorskip("mediapipe")
    clip = SHARED / "data" / "clips" / "jeffchen-good.mp4"
    if not clip.is_file():
        pytest.skip(f"the shared clips are not at {clip.parent}")
    out = tmp_path / "annotated.mp4"
    result = run(
        "analyze", str(clip), "-e", "conventional-deadlift", "--json", "--out", str(out),
        "--frames", str(tmp_path / "frames"),
    )  # fmt: skip
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert len(data["reps"]) == 1 and data["annotated_video"] == str(out)
    assert out.stat().st_size > 10_000
    assert len(data["frames"]) == 1


@pytest.mark.slow
def test_a_progress_bar_with_time_left_on_a_terminal_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("mediapipe")
    clip = SHARED / "data" / "clips" / "mtv4-bw-squat-hold.mp4"  # 10.6 s
    if not clip.is_file():
        pytest.skip(f"the shared clips are not at {clip.parent}")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # stderr counts as a terminal
    shown = run("analyze", str(clip))
    assert shown.code == 0, shown.err
    assert "analysing mtv4-bw-squat-hold.mp4" in shown.err and "left" in shown.err
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.out)  # the card is styled too
    assert "Reps: 3" in plain and "analysing" not in plain
    quiet = run("analyze", str(clip), "--json", "--processes", "2")
    assert quiet.code == 0, quiet.err
    assert "analysing" not in quiet.err and len(json.loads(quiet.out)["reps"]) == 3
