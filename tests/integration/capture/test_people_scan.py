"""The people scan through the real ``PoseLandmarker``, on real clips (R-FORM-5).

A split-screen clip (two sets side by side, as in a "wrong vs right" reel) is made from two
real clips in a temporary directory; the clip analysis must refuse it as several-people,
and the scan of one of the two clips alone sees one lifter.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from hingecoach.capture import analyze_video
from hingecoach.capture.people_scan import (
    PEOPLE_MODEL_ENV,
    PEOPLE_SCAN_FPS_ENV,
    PeopleScanner,
    load_scan,
    scan_fps,
    scan_people,
)
from hingecoach.capture.posecache import cache_path, ensure_scans, scan_cache_path
from hingecoach.errors import InputError
from hingecoach.form import ViewRefusedError
from hingecoach.form.errors import FormError
from hingecoach.form.people import find_other_lifters
from tests.fixtures.people.record import split_screen as split_screen_clip

SECONDS = 6.0


@pytest.fixture(scope="module")
def split_screen(clip: Callable[[str], Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("people") / "split-screen.mp4"
    left, right = clip("tby66-kb-deadlift-c_1.mp4"), clip("tby66-kb-deadlift-r_1.mp4")
    return split_screen_clip(left, right, out, end_s=SECONDS, every=2)  # 60 fps: every other


def test_r_form_5_a_split_screen_clip_is_refused_as_several_people(
    split_screen: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ViewRefusedError) as refused:
        analyze_video(split_screen, exercise="kettlebell-deadlift")
    assert refused.value.code == "several-people"
    # the pose tracker alone follows one of the two and sees nothing wrong
    monkeypatch.setenv(PEOPLE_SCAN_FPS_ENV, "0")
    result = analyze_video(split_screen, exercise="kettlebell-deadlift")
    assert result.people is None and result.report.view.accepted


def test_a_missing_people_model_says_how_to_build_it(
    split_screen: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(PEOPLE_MODEL_ENV, str(tmp_path / "absent.task"))
    with pytest.raises(FormError, match="make setup") as missing:
        analyze_video(split_screen)
    assert missing.value.code == "video-support-missing"


def test_r_form_5_the_scan_sees_two_lifters_side_by_side_and_one_alone(
    split_screen: Path, clip: Callable[[str], Path]
) -> None:
    both = scan_people(split_screen, fps=2.0)
    assert both is not None and len(both) >= 2 * SECONDS - 1
    assert (both.counts == 2).mean() > 0.8
    assert find_other_lifters(both).several()
    alone = scan_people(clip("tby66-kb-deadlift-c_1.mp4"), fps=2.0, end_s=SECONDS)
    assert alone is not None and (alone.counts == 1).all()
    assert not find_other_lifters(alone).several()


def test_the_scan_is_cached_beside_the_pose_track_without_touching_it(
    clip: Callable[[str], Path], tmp_path: Path
) -> None:
    short = clip("tobefrank-kb-deadlift.mp4")
    [path] = ensure_scans([short], tmp_path)
    assert path == scan_cache_path(short, tmp_path) and path.is_file()
    assert path.parent == cache_path(short, tmp_path).parent
    assert not cache_path(short, tmp_path).exists()  # no pose extracted
    scan = load_scan(path)
    assert len(scan) >= 5 and (scan.counts == 1).all()
    stamp = path.stat().st_mtime_ns
    assert ensure_scans([short], tmp_path) == [path]
    assert path.stat().st_mtime_ns == stamp  # reused, not scanned again


def test_r_form_5_a_long_clip_is_scanned_once_a_second_a_short_one_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """From 10 s on a second lifter must be in 30 % of the samples either way (3 of them
    before), so one a second asks for the same presence as two."""
    assert scan_fps(6.0) == scan_fps(9.9) == 2.0
    assert scan_fps(10.0) == scan_fps(600.0) == 1.0
    monkeypatch.setenv(PEOPLE_SCAN_FPS_ENV, "3")
    assert scan_fps(60.0) == 3.0
    monkeypatch.setenv(PEOPLE_SCAN_FPS_ENV, "0")
    assert scan_fps(60.0) is None


@pytest.mark.parametrize("bad", ["two", "-1", "nan", "inf", "1e9"])
def test_a_bad_scan_rate_setting_says_what_to_set(
    bad: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PEOPLE_SCAN_FPS_ENV, bad)
    with pytest.raises(InputError, match=r"HINGECOACH_PEOPLE_SCAN_FPS: expected .* from 0"):
        scan_fps(20.0)


def test_the_scanned_frames_are_the_first_of_each_slot_of_the_clip() -> None:
    """Chosen on the clip's time line, so a clip posed in parts scans the same frames."""
    scanner = PeopleScanner(fps=2.0)
    times = [k / 30 + (0.004 if k % 7 == 0 else 0.0) for k in range(60)]  # jittery
    wanted = [t for p, t in zip([None, *times], times, strict=False) if scanner.wants(t, p)]
    assert wanted == [times[0], times[15], times[30], times[45]]
    later = [t for p, t in itertools.pairwise(times[29:]) if scanner.wants(t, p)]
    assert later == wanted[2:]
