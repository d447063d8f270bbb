"""Cuts found in the pictures of the real labelled clips (R-FORM-1 shots, R-FORM-5 reels).

Every labelled clip of ``../shared/data`` (both label files) is looked at once, decoding
only, and the cuts are cached beside its pose track (as ``make eval-form`` does). The known
hard cuts (from the labels' notes) are found within two frames; a clip the labels call
continuous ("no cuts", handheld pans, flaring lights and fast lifts included) has no cut
but at its very ends (a title card's first frame, a black last frame: a shot shorter than
``min_shot_s`` that the form analysis leaves out); a cut the pictures do not show (a jump
cut inside one shot, front to side in one white studio) is left to the pose track.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from hingecoach.capture import analyze_video
from hingecoach.capture.frame_cuts import (
    FRAME_CUT_MIN_CHANGE_ENV,
    FrameCutDetector,
    find_frame_cuts,
    frame_cut_min_change,
    load_cuts,
)
from hingecoach.capture.posecache import cache_path, cuts_cache_path, ensure_cuts, ensure_tracks
from hingecoach.errors import InputError
from hingecoach.form import ViewRefusedError
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS
from tests.conftest import REPO, SHARED

DATA = SHARED / "data"
CACHE = REPO / ".cache" / "poses"
#: Two frames of a 30 fps clip.
WITHIN_S = 0.07

#: The hard cuts the labels' notes give (seconds): each is found.
HARD_CUTS = {
    "rfn-deadlift-wrong-right.mp4": (7.35,),
    "cris-sumo-deadlift-reel.mp4": (0.93, 3.37, 5.23),
    "entrenamiento3-trx-squat.mp4": (13.23,),
    "ulisses-kb-deadlift-front-oblique.mp4": (13.85,),
}
#: Cuts the notes give that the pictures barely show (same studio, same shot): found or not.
SOFT_CUTS = {
    "goli-good-morning.mp4": (14.51,),
    "goli-bw-squat.mp4": (33.0,),
    "mtv4-bw-squat-hold.mp4": (2.23, 8.60, 10.15),
}


def _rows() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for name in ("labels.csv", "labels-hard.csv"):
        if (DATA / name).is_file():
            with (DATA / name).open(newline="", encoding="utf-8") as f:
                rows += list(csv.DictReader(f))
    return rows


ROWS = _rows()


@pytest.fixture(scope="module")
def cuts(video_support: None) -> Callable[[str], tuple[float, ...]]:
    """The cuts of every labelled clip (cached beside the pose tracks), by file."""
    if not ROWS:
        pytest.skip(f"the labelled clips are not at {DATA} (see ../shared/data/README.md)")
    clips = [DATA / "clips" / r["file"] for r in ROWS]
    paths = ensure_cuts(clips, CACHE, jobs=max(1, min(2, os.cpu_count() or 1)))
    found = {c.name: load_cuts(p).cuts_s() for c, p in zip(clips, paths, strict=True)}
    return found.__getitem__


def _near(times: tuple[float, ...], t: float) -> bool:
    return any(abs(x - t) <= WITHIN_S for x in times)


@pytest.mark.parametrize("file", sorted(HARD_CUTS))
def test_r_form_1_each_hard_cut_is_found_within_two_frames(
    cuts: Callable[[str], tuple[float, ...]], file: str
) -> None:
    found = cuts(file)
    assert all(_near(found, t) for t in HARD_CUTS[file]), found


def _inside(times: tuple[float, ...], length_s: float) -> list[float]:
    """The cuts not at the clip's very ends (shots shorter than ``min_shot_s`` there)."""
    edge = DEFAULT_THRESHOLDS.min_shot_s
    return [t for t in times if edge <= t <= length_s - edge]


@pytest.mark.parametrize("row", [pytest.param(r, id=r["file"]) for r in ROWS])
def test_r_form_1_no_cut_is_found_where_the_labels_have_none(
    cuts: Callable[[str], tuple[float, ...]], row: dict[str, str]
) -> None:
    """A continuous take (fast lifts, handheld pans, a street lamp flaring, captions coming
    and going) gives no cut; a clip with cuts gives only those of its notes."""
    from hingecoach.capture.video import probe

    file = row["file"]
    found = _inside(cuts(file), probe(DATA / "clips" / file).duration_s)
    known = HARD_CUTS.get(file, ()) + SOFT_CUTS.get(file, ())
    if row["cuts"].strip() != "yes":
        assert not known
    assert all(any(abs(t - k) <= WITHIN_S for k in known) for t in found), found


def test_the_cuts_are_cached_beside_the_pose_track_without_touching_it(
    clip: Callable[[str], Path], tmp_path: Path
) -> None:
    short = clip("cris-sumo-deadlift-reel.mp4")
    [path] = ensure_cuts([short], tmp_path)
    assert path == cuts_cache_path(short, tmp_path) and path.is_file()
    assert not cache_path(short, tmp_path).exists()  # no pose extracted
    stamp = path.stat().st_mtime_ns
    assert ensure_cuts([short], tmp_path) == [path]
    assert path.stat().st_mtime_ns == stamp  # reused, not looked for again
    assert len(load_cuts(path).cuts_s()) == 3


def test_a_clip_posed_cold_gets_its_cuts_from_the_same_decode(
    clip: Callable[[str], Path], tmp_path: Path
) -> None:
    short = clip("tobefrank-kb-deadlift.mp4")
    [track] = ensure_tracks([short], tmp_path)
    cuts = cuts_cache_path(short, tmp_path)
    assert track.is_file() and cuts.is_file()
    stamp = cuts.stat().st_mtime_ns
    assert ensure_cuts([short], tmp_path) == [cuts]
    assert cuts.stat().st_mtime_ns == stamp  # not looked for again
    assert load_cuts(cuts).cuts_s() == ()  # one continuous take


def test_r_form_5_the_clip_analysis_finds_the_reel_cuts_in_its_one_decode(
    clip: Callable[[str], Path],
) -> None:
    """The pose pass finds the cuts on the frames it poses, as the decode-only pass does,
    and the reel of four short shots is refused as pose-unreliable (not as an angle)."""
    reel = clip("cris-sumo-deadlift-reel.mp4")
    alone = find_frame_cuts(reel)
    assert alone is not None
    with pytest.raises(ViewRefusedError) as refused:
        analyze_video(reel, exercise="sumo-deadlift")
    assert refused.value.code == "pose-unreliable"
    from hingecoach.capture.frame_cuts import open_detector
    from hingecoach.capture.pipeline import extract_pose

    detector = open_detector()
    assert detector is not None
    extract_pose(reel, cuts=detector)
    posed = detector.result()
    assert posed is not None
    assert posed.cuts_s() == pytest.approx(alone.cuts_s(), abs=1e-6)


def test_r_form_1_a_clip_posed_in_two_parts_finds_the_cut_and_counts_each_take(
    clip: Callable[[str], Path],
) -> None:
    """The 'wrong vs right' reel, posed by two processes: the cut at 7.35 s (to a second
    recording; the body does not jump) is found, and each take has its one pull."""
    result = analyze_video(
        clip("rfn-deadlift-wrong-right.mp4"), exercise="conventional-deadlift", processes=2
    )
    assert result.cuts is not None
    assert _near(result.cuts.cuts_s(), 7.35)
    assert [s.reps for s in result.report.shots] == [1, 1]


def test_a_bad_cut_setting_says_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FRAME_CUT_MIN_CHANGE_ENV, "lots")
    with pytest.raises(InputError, match=FRAME_CUT_MIN_CHANGE_ENV):
        frame_cut_min_change()
    monkeypatch.setenv(FRAME_CUT_MIN_CHANGE_ENV, "0")
    assert frame_cut_min_change() is None


def _scene(seed: int, tint: tuple[int, int, int]) -> np.ndarray:
    """A 540x960 picture of coloured blocks around ``tint`` (a room, as far as its colours
    go: a histogram does not see where they are)."""
    rng = np.random.default_rng(seed)
    blocks = np.clip(np.asarray(tint) + rng.normal(0, 40, (9, 16, 3)), 0, 255)
    return np.repeat(np.repeat(blocks.astype(np.uint8), 60, axis=0), 60, axis=1)


def _look(frames: list[np.ndarray]) -> tuple[float, ...]:
    detector = FrameCutDetector()
    for i, rgb in enumerate(frames):
        detector.add(i / 30, rgb)
    found = detector.result()
    assert found is not None
    return found.cuts_s()


def test_r_form_1_a_pan_is_no_cut_a_new_picture_is_one() -> None:
    """A picture sliding across the frame (a pan) changes a little every frame: no cut;
    another picture at frame 30 is one cut, also when it takes two frames to come in."""
    first, second = _scene(1, (60, 90, 160)), _scene(2, (200, 120, 60))  # cool, warm
    pan = [np.roll(first, 8 * i, axis=1) for i in range(60)]
    assert _look(pan) == ()
    assert _look(pan[:30] + [second] * 30) == pytest.approx((1.0,))
    blend = (first.astype(np.uint16) + second) // 2
    two_frames = [first] * 30 + [blend.astype(np.uint8)] + [second] * 29
    assert len(_look(two_frames)) == 1
