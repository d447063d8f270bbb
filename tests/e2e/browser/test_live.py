"""The live page in Debian's Chromium, with a fake camera playing a real labelled clip.

Set-up turns ``../shared/data/clips/tby66-kb-deadlift-h_1.mp4`` (a side-view kettlebell
deadlift, 10 reps, labelled ``hips-rise-early``) into an MJPEG file at 30 frames a second
(what Chromium's fake capture plays), 480 px on the long side, padded with 40 s of its last
frame so it does not loop during the test. Chromium runs ``PoseLandmarker`` in the page (the
app's own runtime and model, CPU delegate: no GPU here) and streams the landmarks to the
real ``/live/ws`` socket. The page must count the labelled reps and show (and speak) the
labelled fault's cue; then the set is ended and logged with two taps. A second test forces
the fallback for browsers that cannot run the model (``?pose=server``): small JPEG frames go
to the server, which finds the pose itself; a third plays a clip filmed front-oblique
(labelled not side-usable), which must bring up the banner saying what to change.

Screenshots on a phone held upright and on its side go to the test's temp dir and
/tmp/shots. Without the shared clips the test is skipped with a notice.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hingecoach.services.demo import DEMO_LOGINS
from tests.e2e.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    SHOTS_COPY,
    Server,
    Shots,
    sign_in,
    watch_security,
)

pytestmark = pytest.mark.slow

TRAINEE = next(x for x in DEMO_LOGINS if x.role == "trainee")
SHARED_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
CLIP = "tby66-kb-deadlift-h_1.mp4"
OBLIQUE = "tby66-kb-deadlift-c_2.mp4"  # the same kind of set, filmed front-oblique
FAKE_FPS = 30  # Chromium plays an MJPEG file at 30 frames a second, whatever it was
LONG_SIDE = 480
PAD_S = 40.0
LANDSCAPE = {"width": PHONE["height"], "height": PHONE["width"]}


def _label(name: str) -> dict[str, str]:
    with (SHARED_DATA / "labels.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["file"] == name:
                return row
    pytest.skip(f"{name} is not in {SHARED_DATA / 'labels.csv'}")


def make_mjpeg(clip: Path, target: Path, *, long_side: int, pad_s: float) -> int:
    """The clip as concatenated JPEG frames at FAKE_FPS (frames picked by their time),
    scaled to ``long_side`` px, then ``pad_s`` seconds of its last frame. Returns frames."""
    import av
    from PIL import Image

    frames = 0
    due = 0.0
    last = b""
    with av.open(str(clip)) as container, target.open("wb") as out:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            if frame.pts is None or stream.time_base is None:
                continue
            t = float(frame.pts * stream.time_base)
            if t + 1e-6 < due:
                continue
            due += 1 / FAKE_FPS
            scale = long_side / max(frame.width, frame.height)
            width, height = (
                round(frame.width * scale) // 2 * 2,
                round(frame.height * scale) // 2 * 2,
            )
            rgb = frame.reformat(width=width, height=height, format="rgb24").to_ndarray()
            buffer = io.BytesIO()
            Image.fromarray(rgb).save(buffer, "JPEG", quality=80)
            last = buffer.getvalue()
            out.write(last)
            frames += 1
        for _ in range(round(pad_s * FAKE_FPS)):
            out.write(last)
            frames += 1
    return frames


def _need_runtime() -> None:
    from hingecoach.web.live_page import available_models

    if not available_models():
        message = "the live runtime is not installed: run make setup (scripts/vendor_live.py)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


class Cameras:
    """Chromiums whose fake camera plays a clip, one per clip, made on first use (same
    Playwright as the ``browser`` fixture, other flags)."""

    def __init__(self, browser: Any, folder: Path) -> None:
        self.browser = browser
        self.folder = folder
        self.launched: dict[str, Any] = {}

    def __call__(self, name: str, pad_s: float = PAD_S) -> Any:
        if name in self.launched:
            return self.launched[name]
        clip = SHARED_DATA / "clips" / name
        if not clip.is_file():
            pytest.skip(f"the shared clips are not here ({clip}); the live page is not tested")
        pytest.importorskip("av", reason="PyAV (the video extra) makes the fake camera file")
        _need_runtime()
        camera = self.folder / (clip.stem + ".mjpeg")
        make_mjpeg(clip, camera, long_side=LONG_SIDE, pad_s=pad_s)
        chromium = self.browser.browser_type.launch(
            executable_path=str(CHROMIUM),
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
                f"--use-file-for-fake-video-capture={camera}",
            ],
        )
        self.launched[name] = chromium
        return chromium

    def close(self) -> None:
        for chromium in self.launched.values():
            chromium.close()


@pytest.fixture(scope="module")
def cameras(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cameras]:
    made = Cameras(browser, tmp_path_factory.mktemp("camera"))
    yield made
    made.close()


def _phone(chromium: Any, server: Server) -> Any:
    context = chromium.new_context(
        viewport=PHONE, base_url=server.base, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    page = watch_security(context.new_page())
    sign_in(page, TRAINEE.email, TRAINEE.password)
    return page


def _reps(page: Any) -> int:
    n: int = page.evaluate(
        "() => window.hingecoachLive.events.filter((e) => e.type === 'rep').length"
    )
    return n


def test_live_page_counts_the_clips_reps_and_cues_its_fault(
    cameras: Cameras, server: Server, shots: Shots
) -> None:
    from playwright.sync_api import expect

    from hingecoach.knowledge import load_catalogue

    label = _label(CLIP)
    expected_reps = int(label["reps"])
    fault = label["faults"].split(";")[0]
    cue = load_catalogue(None).faults[fault].cue

    page = _phone(cameras(CLIP), server)
    page.goto(f"/live?exercise={label['exercise']}")
    expect(page.locator("#live-start")).to_be_enabled(timeout=60_000)
    info = page.evaluate("() => window.hingecoachLive")
    assert info["mode"] == "landmarks", f"pose did not load in the page: {info['error']}"
    assert info["delegate"] == "CPU"  # no GPU here: the software GL is skipped
    shots.take(page, "live-setup-portrait", keep=True)

    page.get_by_role("button", name="Start set").click()
    # the clip's first rep comes about 3 s in; the socket answers `ready` first
    expect(page.locator("#live-end")).to_be_visible()
    page.wait_for_function("() => window.hingecoachLive.events.some((e) => e.type === 'rep')")
    expect(page.locator("#live-reps")).not_to_have_text("0")
    page.wait_for_function(
        "() => window.hingecoachLive.events.filter((e) => e.type === 'rep').length >= 3",
        timeout=30_000,
    )
    shots.take(page, "live-set-portrait", keep=True)
    page.set_viewport_size(LANDSCAPE)  # the phone turned on its side, mid-set
    page.wait_for_timeout(700)
    shots.take(page, "live-set-landscape", keep=True)
    page.set_viewport_size(PHONE)

    page.wait_for_function(
        f"() => window.hingecoachLive.events.filter((e) => e.type === 'rep').length >= "
        f"{expected_reps}",
        timeout=45_000,
    )
    page.wait_for_timeout(4_000)  # the clip ends with the bell put down: no extra rep
    assert _reps(page) == expected_reps
    expect(page.locator("#live-reps")).to_have_text(str(expected_reps))
    expect(page.locator("#live-cues")).to_contain_text(cue)
    info = page.evaluate("() => window.hingecoachLive")
    assert cue in info["spoken"], info["spoken"]
    faults = [e for e in info["events"] if e["type"] == "fault"]
    assert {e["id"] for e in faults} >= {fault}
    assert info["framesSent"] > expected_reps * 10
    assert info["poseFps"] >= 5, info["poseFps"]
    shots.take(page, "live-cue-portrait", keep=True)

    page.get_by_role("button", name="End set").click()
    expect(page.locator("#live-summary")).to_be_visible()
    expect(page.locator("#live-summary-title")).to_contain_text(f"{expected_reps} reps")
    expect(page.locator("#live-summary-faults")).to_contain_text(cue)
    expect(page.locator("#live-load input:checked")).to_have_count(1)  # prescribed load
    expect(page.locator("#live-pain input[value='0']")).to_be_checked()
    page.locator("#live-rpe label", has_text="8").click()
    shots.take(page, "live-log-portrait", keep=True)
    page.get_by_role("button", name="Log this set").click()
    expect(page.locator("#live-next")).to_be_visible()
    expect(page.locator("#live-decision-reason")).not_to_be_empty()
    shots.take(page, "live-logged-portrait", keep=True)
    page.set_viewport_size(LANDSCAPE)
    shots.take(page, "live-logged-landscape", keep=True)

    events = page.evaluate("() => window.hingecoachLive.events")
    logged = next(e for e in events if e["type"] == "logged")
    assert logged["session_id"] > 0

    SHOTS_COPY.mkdir(parents=True, exist_ok=True)
    (SHOTS_COPY / "live-run.json").write_text(
        json.dumps(
            {
                "pose_fps": info["poseFps"],
                "model": info["model"],
                "delegate": info["delegate"],
                "frames_sent": info["framesSent"],
                "reps": _reps(page),
                "spoken": info["spoken"],
                "logged": logged,
            },
            indent=2,
        )
    )

    # the next set on the same socket: the camera again, the count from 0, its first rep
    page.set_viewport_size(PHONE)
    page.get_by_role("button", name="Start the next set").click()
    expect(page.locator("#live-end")).to_be_visible()
    expect(page.locator("#live-cues li")).to_have_count(0)
    page.wait_for_function(
        "() => window.hingecoachLive.events.filter((e) => e.type === 'ready').length === 2"
    )
    page.wait_for_function(
        f"() => window.hingecoachLive.events.filter((e) => e.type === 'rep').length > "
        f"{expected_reps}",
        timeout=30_000,
    )
    expect(page.locator("#live-reps")).to_have_text("1")
    page.get_by_role("button", name="End set").click()
    expect(page.locator("#live-log")).to_be_visible()
    page.context.close()


def test_without_the_model_the_page_sends_pictures_and_says_so(
    cameras: Cameras, server: Server, shots: Shots
) -> None:
    from playwright.sync_api import expect

    label = _label(CLIP)
    page = _phone(cameras(CLIP), server)
    page.goto(f"/live?exercise={label['exercise']}&pose=server")
    expect(page.locator("#live-start")).to_be_enabled(timeout=60_000)
    expect(page.locator("#live-status")).to_contain_text("small pictures go to the coach")
    expect(page.locator("#live-privacy")).to_contain_text("cannot run the pose model")
    page.get_by_role("button", name="Start set").click()
    expect(page.locator("#live-end")).to_be_visible()
    # server-side pose is slower: the first reps come, counted from the pictures
    page.wait_for_function(
        "() => window.hingecoachLive.events.filter((e) => e.type === 'rep').length >= 2",
        timeout=45_000,
    )
    info = page.evaluate("() => window.hingecoachLive")
    assert info["mode"] == "images"
    assert info["framesSent"] == 0 and info["imagesSent"] > 10
    assert not [e for e in info["events"] if e["type"] == "error"], info["events"]
    shots.take(page, "live-pictures-portrait", keep=True)
    page.get_by_role("button", name="End set").click()
    expect(page.locator("#live-summary")).to_be_visible()
    page.context.close()


def test_a_camera_that_is_not_side_on_gets_a_banner_saying_what_to_change(
    cameras: Cameras, server: Server, shots: Shots
) -> None:
    """The same lifter filmed from the front-oblique camera (labelled not side-usable)."""
    from playwright.sync_api import expect

    label = _label(OBLIQUE)
    assert label["side_usable"] == "no"
    page = _phone(cameras(OBLIQUE, pad_s=10.0), server)
    page.goto(f"/live?exercise={label['exercise']}")
    expect(page.locator("#live-start")).to_be_enabled(timeout=60_000)
    page.get_by_role("button", name="Start set").click()
    banner = page.locator("#live-view")
    expect(banner).to_be_visible(timeout=30_000)
    expect(banner).to_contain_text("side on")
    info = page.evaluate("() => window.hingecoachLive")
    view = next(e for e in info["events"] if e["type"] == "view")
    assert view["ok"] is False and view["code"] == "not-side-view"
    assert any("side on" in line and "(" not in line for line in info["spoken"])
    shots.take(page, "live-view-portrait", keep=True)
    page.set_viewport_size(LANDSCAPE)
    shots.take(page, "live-view-landscape", keep=True)
    page.context.close()
