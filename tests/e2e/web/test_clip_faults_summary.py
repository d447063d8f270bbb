"""The clip page's line under the form rating says what the faults list means: none seen,
or one-off faults only (kept to each rep's row), never "no faults" over a rep that had one.
And a message shown on its own reads as a sentence."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from hingecoach.web.templating import render_fragment


def _rep(index: int, faults: list[str]) -> SimpleNamespace:
    return SimpleNamespace(
        index=index,
        bottom_s=1.0 * index,
        descent_s=3.0,
        ascent_s=2.0,
        faults=[
            SimpleNamespace(id=f, name=f.replace("-", " ").capitalize(), severity="minor")
            for f in faults
        ],
        cue="Hips and chest rise together." if faults else "Good rep.",
    )


def _page(reps: list[SimpleNamespace], clip_faults: list[Any] | None = None) -> str:
    clean = sum(1 for r in reps if not r.faults)
    report = SimpleNamespace(
        rating="clean" if clean == len(reps) else "minor",
        next_session="Hold this load next time.",
        faults=clip_faults or [],
        notes=[],
        reps=reps,
        clean_reps=clean,
        quality=clean / len(reps) if reps else 0.0,
        partial_reps=0,
    )
    clip = SimpleNamespace(
        id=7, finished=True, status="done", from_track=False, logged_at=None, error_code=None
    )
    values = {"clip": clip, "report": report, "has_video": False, "down_s": 3.0, "up_s": 2.0}
    return str(render_fragment("_clip_status.html", values | {"can_log": False, "unit": "kg"}))


@pytest.mark.parametrize(
    ("reps", "said"),
    [
        ([_rep(1, [])], "No faults seen."),
        ([_rep(1, []), _rep(2, []), _rep(3, [])], "No faults seen: every rep was clean."),
    ],
)
def test_a_clean_set_is_told_no_faults_were_seen(reps: list[SimpleNamespace], said: str) -> None:
    page = _page(reps)
    assert said in page
    assert "two or more" not in page and "second rep" not in page


def test_a_fault_on_one_rep_only_points_to_that_rep_not_to_no_faults() -> None:
    page = _page([_rep(1, []), _rep(2, ["hips-rise-early"]), _rep(3, [])])
    assert "No fault came back on a second rep" in page
    assert "No faults seen" not in page
    assert "Hips rise early</span>" in page, "the one-off fault stays in its rep's row"


def test_a_repeated_fault_is_listed_with_its_reps() -> None:
    repeated = SimpleNamespace(
        name="Hips rise first", severity="major", reps=[2, 3], cue="Hips and chest rise together."
    )
    page = _page(
        [_rep(1, []), _rep(2, ["hips-rise-early"]), _rep(3, ["hips-rise-early"])], [repeated]
    )
    assert "<strong>Hips rise first</strong>" in page and "on reps 2, 3" in page
    assert "No faults seen" not in page and "second rep" not in page


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("the clip is 3 s long; trim it", "The clip is 3 s long; trim it"),
        ("say why you override the coach", "Say why you override the coach"),
        ("don't send the same file twice", "Don't send the same file twice"),
        ("future.csv: nothing imported: line 10", "future.csv: nothing imported: line 10"),
        ("ana@example.com already has an account", "ana@example.com already has an account"),
        ("3 clips are waiting", "3 clips are waiting"),
        ("Already a sentence.", "Already a sentence."),
    ],
)
def test_a_message_on_its_own_reads_as_a_sentence_and_keeps_its_names(
    message: str, shown: str
) -> None:
    """The error paragraphs capitalise a message's first plain word; a file name, an
    address or a number opening it stays as it is."""
    page = str(render_fragment("error.html", {"message": message, "status": 422}))
    assert f'<p class="error" role="alert">{shown}' in page.replace("&#39;", "'")
