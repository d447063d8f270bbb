"""Live coaching over the WebSocket (/live/ws), as a browser would use it.

Recorded pose tracks (tests/fixtures/tracks) are replayed as ``frame`` messages, so a set
streams as a phone would send it; the reps counted live must be those the clip analysis
finds in the same track. Then the things a real connection meets: garbage, a flood, a
drop mid-set, a second person, strangers, and a full server.
"""

from __future__ import annotations

import json
import math
import struct
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from hingecoach.capture.tracks import load_track
from hingecoach.form import PoseSequence, TempoTarget, analyze_pose
from hingecoach.services.coaching import list_sessions
from hingecoach.web.app import create_app
from hingecoach.web.live_ws import MAX_ERRORS, LiveHub
from hingecoach.web.settings import WebSettings
from tests.e2e.web.conftest import login, seed

TRACKS = Path(__file__).resolve().parents[2] / "fixtures" / "tracks"
# replaying a recorded set as fast as the test can send it: take every frame
REPLAY: dict[str, Any] = {"live_max_fps": 1e6, "live_pending_frames": 100_000}


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'web.db'}"
    seed(url)
    return url


def _app(url: str, *, media: Path | None = None, **live: Any) -> FastAPI:
    """An app on the module's database; its own media directory (where dropped sets are
    held) unless ``media`` is shared, as by two server processes."""
    settings = WebSettings(
        database_url=url,
        secret_key="test-secret-" + "x" * 32,
        login_rate="1000/minute",
        login_rate_per_address="1000/minute",
        login_rate_per_account="1000/minute",
        media_dir=media or Path(url.removeprefix("sqlite:///")).parent / uuid.uuid4().hex,
        jobs_immediate=True,
        jobs_worker=False,
        **live,
    )
    return create_app(settings)


@pytest.fixture
def replay_client(db_url: str) -> Iterator[TestClient]:
    with TestClient(_app(db_url, **REPLAY)) as c:
        yield c


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    with TestClient(_app(db_url)) as c:
        yield c


def _hub(client: TestClient) -> LiveHub:
    hub: LiveHub = client.app.state.live  # type: ignore[attr-defined]
    return hub


def frames(seq: PoseSequence, *, people: int = 1) -> list[str]:
    """The track as the browser sends it: x, y normalised to the frame, time in ms."""
    out = []
    scale = np.array([seq.width_px, seq.height_px, seq.width_px, 1.0])
    for t_s, lm in zip(seq.times_s, seq.landmarks, strict=True):
        points = None if np.isnan(lm[:, 0]).all() else (lm / scale).tolist()
        out.append(
            json.dumps({"type": "frame", "t_ms": float(t_s) * 1000, "lm": points, "people": people})
        )
    return out


def start(ws: WebSocketTestSession, seq: PoseSequence, **extra: Any) -> dict[str, Any]:
    ws.send_json({"type": "start", "width": seq.width_px, "height": seq.height_px, **extra})
    ready: dict[str, Any] = ws.receive_json()
    assert ready["type"] == "ready", ready
    return ready


def until(ws: WebSocketTestSession, kind: str) -> list[dict[str, Any]]:
    """Events up to and including the first of type ``kind``."""
    events = []
    while True:
        event: dict[str, Any] = ws.receive_json()
        events.append(event)
        if event["type"] == kind:
            return events


def clip_reps(seq: PoseSequence, ready: dict[str, Any]) -> int:
    tempo = ready["target"]["tempo"]
    report = analyze_pose(
        seq, exercise=ready["exercise"], tempo=TempoTarget(tempo["down_s"], tempo["up_s"])
    )
    return len(report.reps)


def _cut(seq: PoseSequence, until_s: float) -> PoseSequence:
    keep = seq.times_s <= until_s
    return PoseSequence(
        landmarks=seq.landmarks[keep],
        times_s=seq.times_s[keep],
        width_px=seq.width_px,
        height_px=seq.height_px,
        back_profile=None,
        source=seq.source,
    )


def _no_profile(seq: PoseSequence) -> PoseSequence:
    """A browser sends no back outline: compare with the clip analysis without one."""
    return _cut(seq, math.inf)


# -- a set, streamed ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("track", "exercise"),
    [
        ("kb-deadlift-clean", "kettlebell-deadlift"),
        ("kb-deadlift-rounded", "kettlebell-deadlift"),
        ("kb-deadlift-squatting", "kettlebell-deadlift"),
        ("good-morning-knees-locked", "romanian-deadlift"),
    ],
)
def test_a_streamed_set_counts_the_reps_the_clip_analysis_finds(
    replay_client: TestClient, track: str, exercise: str
) -> None:
    seq = load_track(TRACKS / f"{track}.npz")
    login(replay_client, "ana")
    with replay_client.websocket_connect(f"/live/ws?exercise={exercise}") as ws:
        ready = start(ws, seq)
        assert ready["exercise"] == exercise and ready["target"]["tempo"]["down_s"] > 0
        for text in frames(seq):
            ws.send_text(text)
        ws.send_json({"type": "end"})
        events = until(ws, "end")
    expected = clip_reps(_no_profile(seq), ready)
    assert expected >= 3
    reps = [e for e in events if e["type"] == "rep"]
    assert [r["n"] for r in reps] == list(range(1, expected + 1))
    end = events[-1]
    assert end["reps"] == expected and end["reason"] == "client"
    assert end["rating"] in ("clean", "minor", "breakdown")
    for rep in reps:  # each rep says its tempo and its faults with the cue to speak
        assert rep["ascent_s"] > 0 and rep["bottom_s"] <= rep["t_s"]
        assert all(f["id"] and f["cue"] for f in rep["faults"])
    # every fault on a rep comes as its own event, cue and all, for the page to speak
    spoken = [(e["rep"], e["id"]) for e in events if e["type"] == "fault"]
    assert spoken == [(r["n"], f["id"]) for r in reps for f in r["faults"]]
    assert _hub(replay_client).stats.frames_dropped == 0


def test_the_ended_set_is_logged_and_the_next_set_adjusted(
    replay_client: TestClient, db_url: str
) -> None:
    from hingecoach.store.migrate import open_database

    seq = load_track(TRACKS / "kb-deadlift-rounded.npz")
    login(replay_client, "bo")
    engine = open_database(db_url)
    before = len(list_sessions(engine, "Bo"))
    with replay_client.websocket_connect("/live/ws?exercise=kettlebell-deadlift") as ws:
        start(ws, seq)
        for text in frames(seq):
            ws.send_text(text)
        ws.send_json({"type": "end"})
        end = until(ws, "end")[-1]
        ws.send_json({"type": "log", "load_kg": None, "rpe": 7, "pain": 0})
        logged = ws.receive_json()
        assert logged["type"] == "logged", logged
        assert logged["decision"]["action"] and logged["decision"]["rules"]
        assert logged["decision"]["reason"]
        # a set is logged once
        ws.send_json({"type": "log", "load_kg": None, "rpe": 7, "pain": 0})
        again = ws.receive_json()
        assert again["type"] == "error" and again["code"] == "nothing-to-log"
        # the next set on the same connection goes into the same session
        start(ws, seq)
        for text in frames(seq):
            ws.send_text(text)
        ws.send_json({"type": "end"})
        until(ws, "end")
        ws.send_json({"type": "log", "load_kg": None, "rpe": 8, "pain": 0})
        second = ws.receive_json()
    assert second["type"] == "logged"
    sessions = list_sessions(engine, "Bo")
    engine.dispose()
    assert len(sessions) == before + 1
    live = sessions[-1]
    assert live.exercise_id == "kettlebell-deadlift" and len(live.sets) == 2
    first = live.sets[0]
    assert first.reps == end["reps"] and first.rpe == 7
    assert first.form.value == end["rating"]
    if end["rating"] != "clean":
        assert list(first.faults) == [f["id"] for f in end["faults"]]
    if logged["next"] is not None:  # the coach's next set, as adjusted
        assert logged["next"]["set_number"] == 2 and logged["next"]["rest_s"] >= 0


# -- garbage --------------------------------------------------------------------------------


def _good_frame(t_ms: float) -> dict[str, Any]:
    return {"type": "frame", "t_ms": t_ms, "lm": [[0.5, 0.5, 0.0, 0.9]] * 33}


BAD_MESSAGES: list[tuple[str, str]] = [
    ("{not json", "bad-json"),
    ('{"type": "frame", "t_ms": NaN, "lm": null}', "bad-message"),
    ('{"type": "frame", "t_ms": 1e400, "lm": null}', "bad-message"),
    ('{"type": "dance"}', "bad-type"),
    ("[1, 2, 3]", "bad-type"),
    (json.dumps({"type": "frame", "t_ms": 5000, "lm": [[0.5, 0.5, 0, 1]] * 32}), "bad-message"),
    (json.dumps({"type": "frame", "t_ms": 5000, "lm": [[0.5, 0.5, 0]] * 33}), "bad-message"),
    (json.dumps({"type": "frame", "t_ms": 5000, "lm": [[1e308, 0.5, 0, 1]] * 33}), "bad-message"),
    (json.dumps({"type": "frame", "t_ms": 5000, "lm": [[0.5, 0.5, 0, 7]] * 33}), "bad-message"),
    (json.dumps({"type": "frame", "t_ms": 5000, "lm": [["a", 0.5, 0, 1]] * 33}), "bad-message"),
    (json.dumps({"type": "frame", "t_ms": -5, "lm": None}), "bad-message"),
    (json.dumps({"type": "start", "width": 0, "height": 10}), "bad-message"),
    (json.dumps({"type": "log", "pain": 11}), "bad-message"),
    (json.dumps({"type": "frame", "t_ms": 900, "lm": None}), "time-backwards"),
    (json.dumps({"type": "frame", "t_ms": 1000, "lm": None}), "time-backwards"),
    (json.dumps({"type": "frame", "t_ms": 2000, "lm": None, "pad": "x" * 17_000}), "too-large"),
    (json.dumps({"type": "start", "width": 640, "height": 480}), "set-in-progress"),
]


def test_garbage_gets_an_error_event_and_the_set_goes_on(replay_client: TestClient) -> None:
    seq = load_track(TRACKS / "kb-deadlift-clean.npz")
    login(replay_client, "ana")
    with replay_client.websocket_connect("/live/ws") as ws:
        ws.send_json(_good_frame(0))  # before start
        early = ws.receive_json()
        assert early["type"] == "error" and early["code"] == "not-started"
        ws.send_bytes(b"\x00" * 20)  # a picture nobody announced
        assert ws.receive_json()["code"] == "unexpected-binary"
        start(ws, seq)
        ws.send_json(_good_frame(1000))
        for text, code in BAD_MESSAGES:
            ws.send_text(text)
            event = ws.receive_json()
            assert event["type"] == "error", (text[:60], event)
            assert event["code"] == code, (text[:60], event)
            assert event["message"], event
        # still serving: a whole set after all that
        for text in frames(seq)[:-1]:
            if json.loads(text)["t_ms"] > 1000:
                ws.send_text(text)
        ws.send_json({"type": "end"})
        end = until(ws, "end")[-1]
    assert end["reps"] >= 3


def test_twenty_errors_close_the_connection_with_1008(client: TestClient) -> None:
    login(client, "ana")
    with client.websocket_connect("/live/ws") as ws:
        for _ in range(MAX_ERRORS):
            ws.send_text("garbage")
        codes = [ws.receive_json()["code"] for _ in range(MAX_ERRORS + 1)]
        assert codes[:MAX_ERRORS] == ["bad-json"] * MAX_ERRORS
        assert codes[-1] == "too-many-errors"
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 1008


# -- backpressure ---------------------------------------------------------------------------


def test_a_client_flooding_frames_has_them_dropped_not_queued(client: TestClient) -> None:
    """The default limits: 60 frames a second taken, 8 waiting for analysis at most."""
    seq = load_track(TRACKS / "kb-deadlift-clean.npz")
    hub = _hub(client)
    login(client, "ana")
    sent = frames(seq)  # 9 s of frames, sent in a fraction of a second
    with client.websocket_connect("/live/ws?exercise=kettlebell-deadlift") as ws:
        start(ws, seq)
        for text in sent:
            ws.send_text(text)
        ws.send_json({"type": "end"})
        events = until(ws, "end")
    dropped = [e for e in events if e["type"] == "dropped"]
    assert dropped and dropped[0]["frames"] > 0
    assert hub.stats.frames_dropped > len(sent) // 2  # far more than the rate allows
    assert hub.stats.max_pending <= 8  # never more waiting than the slot holds
    assert hub.stats.frames_taken + hub.stats.frames_dropped >= len(sent)
    assert events[-1]["type"] == "end"  # and the connection still answers


# -- a dropped connection -------------------------------------------------------------------


def test_a_dropped_connection_keeps_its_reps_and_can_log_them_after_resume(
    replay_client: TestClient,
) -> None:
    seq = load_track(TRACKS / "kb-deadlift-hips-rise.npz")
    login(replay_client, "ana")
    part = _cut(seq, 7.5)
    with replay_client.websocket_connect("/live/ws?exercise=kettlebell-deadlift") as ws:
        ready = start(ws, seq)
        for text in frames(part):
            ws.send_text(text)
        seen = [e for e in until(ws, "rep") if e["type"] == "rep"]
        # the phone loses its connection here, mid-set, without an end message
    assert seen
    with replay_client.websocket_connect("/live/ws?resume=1") as ws:
        end = ws.receive_json()
        assert end["type"] == "end" and end["reason"] == "disconnect", end
        assert end["reps"] == clip_reps(_no_profile(part), ready) >= len(seen)
        ws.send_json({"type": "log", "load_kg": None, "rpe": 6, "pain": 1})
        logged = ws.receive_json()
        assert logged["type"] == "logged", logged
    with replay_client.websocket_connect("/live/ws?resume=1") as ws:
        nothing = ws.receive_json()
    assert nothing["type"] == "error" and nothing["code"] == "nothing-to-resume"


def test_a_reconnect_served_by_another_server_process_finds_the_held_set(
    db_url: str, tmp_path: Path
) -> None:
    """``hingecoach serve`` runs several processes: the held set must not live in one."""
    seq = load_track(TRACKS / "kb-deadlift-clean.npz")
    shared = tmp_path / "media"
    with TestClient(_app(db_url, media=shared, **REPLAY)) as one:
        login(one, "bo")
        with one.websocket_connect("/live/ws?exercise=kettlebell-deadlift") as ws:
            start(ws, seq)
            for text in frames(seq):
                ws.send_text(text)
            until(ws, "rep")
            # a message the server answers at once: once its answer is back, every frame
            # before it has been taken (a loaded machine may still be analysing them)
            ws.send_text('{"type": "ping"}')
            until(ws, "error")
    with TestClient(_app(db_url, media=shared, **REPLAY)) as other:
        login(other, "bo")
        with other.websocket_connect("/live/ws?resume=1") as ws:
            end = ws.receive_json()
            assert end["type"] == "end" and end["reason"] == "disconnect" and end["reps"] == 4
            ws.send_json({"type": "log", "load_kg": None, "rpe": 7, "pain": 0})
            assert ws.receive_json()["type"] == "logged"
        with other.websocket_connect("/live/ws?resume=1") as ws:
            assert ws.receive_json()["code"] == "nothing-to-resume"


def test_a_held_set_is_only_for_the_person_who_lifted_it(replay_client: TestClient) -> None:
    seq = load_track(TRACKS / "kb-deadlift-clean.npz")
    login(replay_client, "ana")
    with replay_client.websocket_connect("/live/ws?exercise=kettlebell-deadlift") as ws:
        start(ws, seq)
        for text in frames(seq):
            ws.send_text(text)
        until(ws, "rep")
    login(replay_client, "bo")
    with replay_client.websocket_connect("/live/ws?resume=1") as ws:
        assert ws.receive_json()["code"] == "nothing-to-resume"
    login(replay_client, "ana")
    with replay_client.websocket_connect("/live/ws?resume=1") as ws:
        assert ws.receive_json()["type"] == "end"


def test_a_set_left_idle_ends_by_itself_and_can_still_be_logged(db_url: str) -> None:
    seq = load_track(TRACKS / "kb-deadlift-clean.npz")
    with TestClient(_app(db_url, live_idle_s=0.5, **REPLAY)) as client:
        login(client, "ana")
        with client.websocket_connect("/live/ws?exercise=kettlebell-deadlift") as ws:
            start(ws, seq)
            for text in frames(seq):
                ws.send_text(text)
            # the phone is put down: no end message, no more frames
            end = until(ws, "end")[-1]
            assert end["reason"] == "idle" and end["reps"] == 4
            ws.send_json({"type": "log", "load_kg": None, "rpe": 7, "pain": 0})
            assert ws.receive_json()["type"] == "logged"
            # nothing more to do: the server closes a silent connection
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
    assert closed.value.code == 1000


# -- the view -------------------------------------------------------------------------------


def test_a_second_person_walking_into_view_gets_a_view_event(replay_client: TestClient) -> None:
    seq = load_track(TRACKS / "kb-deadlift-clean.npz")
    login(replay_client, "ana")
    texts = frames(seq)
    with replay_client.websocket_connect("/live/ws?exercise=kettlebell-deadlift") as ws:
        start(ws, seq)
        for i, text in enumerate(texts):
            if 90 <= i < 180:  # 3 s with somebody else in the picture
                text = text.replace('"people": 1', '"people": 2')
            ws.send_text(text)
        ws.send_json({"type": "end"})
        events = until(ws, "end")
    views = [e for e in events if e["type"] == "view"]
    assert views, [e["type"] for e in events]
    assert views[0]["ok"] is False and views[0]["code"] == "several-people"
    assert "only the lifter" in views[0]["message"]
    assert any(v["ok"] for v in views[1:])  # and clear again when they leave


def test_a_front_view_set_is_told_what_to_change(replay_client: TestClient) -> None:
    seq = load_track(TRACKS / "goblet-squat-front.npz")
    login(replay_client, "ana")
    with replay_client.websocket_connect("/live/ws") as ws:
        start(ws, seq)
        for text in frames(seq):
            ws.send_text(text)
        ws.send_json({"type": "end"})
        events = until(ws, "end")
    views = [e for e in events if e["type"] == "view"]
    assert views and views[0]["ok"] is False and views[0]["code"] == "not-side-view"
    assert events[-1]["reps"] == 0


# -- who may connect ------------------------------------------------------------------------


def _refused(client: TestClient, path: str) -> tuple[dict[str, Any], int]:
    with client.websocket_connect(path) as ws:
        event: dict[str, Any] = ws.receive_json()
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    return event, closed.value.code


def test_anonymous_connections_are_refused(client: TestClient) -> None:
    event, code = _refused(client, "/live/ws")
    assert event["code"] == "login-required" and code == 1008


@pytest.mark.parametrize(
    ("who", "query"),
    [
        ("ana", "?trainee=Bo"),  # a trainee, someone else's sets
        ("coach-b", "?trainee=Ana"),  # a trainer, not their client
        ("coach-a", "?trainee=Nobody"),
        ("coach-a", ""),  # a trainer must say which client
    ],
)
def test_only_your_own_or_your_clients_sets(client: TestClient, who: str, query: str) -> None:
    login(client, who)
    event, code = _refused(client, f"/live/ws{query}")
    assert event["type"] == "error" and event["code"] == "forbidden" and code == 1008


def test_a_trainer_coaches_an_own_client_live(client: TestClient) -> None:
    login(client, "coach-a")
    with client.websocket_connect("/live/ws?trainee=Ana") as ws:
        ws.send_json({"type": "start", "width": 640, "height": 480})
        assert ws.receive_json()["type"] == "ready"


def test_a_socket_from_another_site_is_refused(client: TestClient) -> None:
    login(client, "ana")
    with pytest.raises(WebSocketDisconnect) as refused:  # noqa: SIM117
        with client.websocket_connect("/live/ws", headers={"origin": "https://evil.example"}):
            pass
    assert refused.value.code == 1008
    with client.websocket_connect("/live/ws", headers={"origin": "http://testserver"}) as ws:
        ws.send_json({"type": "start", "width": 640, "height": 480})
        assert ws.receive_json()["type"] == "ready"


# -- capacity -------------------------------------------------------------------------------


def test_a_full_server_says_busy_and_closes_with_1013(db_url: str) -> None:
    with TestClient(_app(db_url, live_max_sessions=2)) as client:
        login(client, "ana")
        with (
            client.websocket_connect("/live/ws") as first,
            client.websocket_connect("/live/ws") as second,
        ):
            for ws in (first, second):
                ws.send_json({"type": "start", "width": 640, "height": 480})
                assert ws.receive_json()["type"] == "ready"
            event, code = _refused(client, "/live/ws")
            assert event["type"] == "busy" and event["retry_after_s"] > 0 and event["message"]
            assert code == 1013
        # the ones that left make room again
        with client.websocket_connect("/live/ws") as ws:
            ws.send_json({"type": "start", "width": 640, "height": 480})
            assert ws.receive_json()["type"] == "ready"


def test_one_account_cannot_take_every_live_slot(db_url: str) -> None:
    with TestClient(_app(db_url, live_max_sessions=4, live_max_per_user=2)) as client:
        login(client, "ana")
        with (
            client.websocket_connect("/live/ws") as first,
            client.websocket_connect("/live/ws") as second,
        ):
            for ws in (first, second):
                ws.send_json({"type": "start", "width": 640, "height": 480})
                assert ws.receive_json()["type"] == "ready"
            event, code = _refused(client, "/live/ws")
            assert event["type"] == "error" and event["code"] == "too-many-live"
            assert "close the other live tab" in event["message"].lower() and code == 1008
            # the refused one gave its slot back, and her trainer still gets in
            trainer = TestClient(client.app)
            login(trainer, "coach-a")
            with trainer.websocket_connect("/live/ws?trainee=Ana") as ws:
                ws.send_json({"type": "start", "width": 640, "height": 480})
                assert ws.receive_json()["type"] == "ready"
            assert _hub(client).stats.refused_busy == 0
        # closing a tab makes room for the same person again
        with client.websocket_connect("/live/ws") as ws:
            ws.send_json({"type": "start", "width": 640, "height": 480})
            assert ws.receive_json()["type"] == "ready"


# -- server-side pose (JPEG frames) ---------------------------------------------------------


def _jpeg_frames(count: int) -> list[tuple[float, bytes]]:
    cv2 = pytest.importorskip("cv2")
    pytest.importorskip("mediapipe")
    av = pytest.importorskip("av")
    from tests.conftest import SHARED

    clip = SHARED / "data" / "clips" / "tby66-kb-deadlift-c_1.mp4"
    if not clip.is_file():
        pytest.skip(f"the shared clips are not at {clip.parent}")
    out = []
    with av.open(str(clip)) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i % 2:
                continue  # 60 fps clip: every other frame, 30 fps
            bgr = frame.to_ndarray(format="bgr24")
            ok, jpeg = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 70])
            assert ok
            out.append((float(frame.time) * 1000, bytes(jpeg)))
            if len(out) == count:
                break
    return out


@pytest.mark.slow
def test_server_side_pose_finds_the_lifter_in_jpeg_frames(replay_client: TestClient) -> None:
    pictures = _jpeg_frames(45)
    hub = _hub(replay_client)
    login(replay_client, "ana")
    with replay_client.websocket_connect("/live/ws?exercise=kettlebell-deadlift") as ws:
        ws.send_json({"type": "start", "width": 360, "height": 640})
        assert ws.receive_json()["type"] == "ready"
        ws.send_json({"type": "image"})
        ws.send_bytes(struct.pack("<d", 0.0) + b"not a jpeg at all")
        assert ws.receive_json()["code"] == "bad-image"
        began = time.monotonic()
        for t_ms, jpeg in pictures:  # as a camera gives them: 30 a second
            time.sleep(max(0.0, began + t_ms / 1000 - time.monotonic()))
            ws.send_json({"type": "image"})
            ws.send_bytes(struct.pack("<d", t_ms + 1) + jpeg)
        ws.send_json({"type": "end"})
        end = until(ws, "end")[-1]
    # frames beyond what the pose pool can do are dropped, the rest posed and analysed
    assert hub.stats.pictures_posed >= 10
    assert hub.stats.pictures_posed + hub.stats.frames_dropped >= len(pictures)
    assert hub.stats.pictures_with_person >= 0.8 * hub.stats.pictures_posed
    assert end["type"] == "end" and end["reason"] == "client"


def test_a_held_set_is_let_go_after_ten_minutes(db_url: str, tmp_path: Path) -> None:
    from hingecoach.knowledge import load_catalogue
    from hingecoach.services.coaching import today_for
    from hingecoach.services.live import HOLD_S, HeldSet, HeldSets, LiveTarget
    from hingecoach.store.migrate import open_database

    engine = open_database(db_url)
    rx = today_for(engine, "Ana", load_catalogue(None)).prescription
    engine.dispose()
    assert rx is not None
    now = [1000.0]
    held = HeldSets(clock=lambda: now[0], directory=tmp_path)
    target = LiveTarget(rx, rx.exercise_id, rx.exercise_name, rx.cues)
    end = {"type": "end", "t_s": 9.0, "reps": 4, "rating": "clean", "faults": []}
    held.hold(7, HeldSet(trainee="Ana", target=target, end=end))
    now[0] += HOLD_S - 1
    back = held.take(7, "Ana")
    assert back is not None and back.end == end and back.target.prescription == rx
    held.hold(7, back)
    now[0] += HOLD_S + 1
    assert held.take(7, "Ana") is None
    assert HOLD_S == 600
