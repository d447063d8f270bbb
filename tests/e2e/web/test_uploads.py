"""Clips: upload, checks (size, type), background analysis, the clip page, access, restart.

The world's app runs jobs inside the request (Huey's immediate mode). A real clip from
``../shared/data/clips`` is used when present; without it those tests are skipped and the
rest use a tiny synthetic video (no person in it: the analysis fails with a clear code).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import delete

from hingecoach.store.records import ClipRecord
from hingecoach.web.app import create_app
from hingecoach.web.settings import WebSettings
from tests.e2e.web.conftest import World, login, page_token, seed

SHARED_CLIP = (
    Path(__file__).resolve().parents[3].parent / "shared/data/clips/tobefrank-kb-deadlift.mp4"
)
EXERCISE = "kettlebell-deadlift"


def blank_video(path: Path, frames: int = 10) -> Path:
    """A real H.264 mp4 with nothing in it (no person: the analysis refuses it)."""
    import av
    import numpy as np

    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for i in range(frames):
            grey = np.full((64, 64, 3), i * 20 % 256, np.uint8)
            frame = av.VideoFrame.from_ndarray(grey, "rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return blank_video(tmp_path_factory.mktemp("video") / "blank.mp4")


@pytest.fixture(scope="module")
def real_clip() -> Path:
    if not SHARED_CLIP.is_file():
        pytest.skip(f"the shared clips are not here ({SHARED_CLIP}); real-clip tests skipped")
    return SHARED_CLIP


def upload(client: TestClient, path: Path, name: str | None = None, **data: str) -> Response:
    token = page_token(client, "/clips")
    with path.open("rb") as fh:
        return client.post(
            "/clips",
            data={"csrftoken": token, "exercise_id": EXERCISE, **data},
            files={"file": (name or path.name, fh, "video/mp4")},
            follow_redirects=False,
        )


def media_files(world: World) -> set[str]:
    media: Path = world.app.state.clip_jobs.media_dir
    return {p.name for p in media.iterdir()} if media.is_dir() else set()


def test_a_text_file_named_mp4_is_refused(client: TestClient, world: World, tmp_path: Path) -> None:
    fake = tmp_path / "notes.mp4"
    fake.write_text("this is not a video\n" * 20)
    login(client, "ana")
    before = media_files(world)
    response = upload(client, fake)
    assert response.status_code == 415
    assert "does not look like a .mp4 video" in response.text
    assert media_files(world) == before
    other = tmp_path / "clip.gif"
    other.write_bytes(b"GIF89a" + b"\0" * 100)
    response = upload(client, other)
    assert response.status_code == 415
    assert "not a video we take" in response.text


def test_a_clip_over_the_size_limit_is_refused(
    client: TestClient, world: World, blank: Path
) -> None:
    login(client, "ana")
    settings = world.app.state.settings
    world.app.state.settings = dataclasses.replace(settings, upload_max_bytes=1000)
    try:
        before = media_files(world)
        response = upload(client, blank)
        assert response.status_code == 413
        assert "larger than" in response.text
        assert media_files(world) == before
    finally:
        world.app.state.settings = settings


def test_a_clip_longer_than_the_limit_is_refused_before_it_is_queued(
    client: TestClient, world: World, blank: Path
) -> None:
    login(client, "ana")
    settings = world.app.state.settings
    world.app.state.settings = dataclasses.replace(settings, clip_max_seconds=0.5)
    try:
        before = media_files(world)
        listed = client.get("/clips").text.count("blank.mp4")
        response = upload(client, blank)
        assert response.status_code == 413
        assert "trim the clip to one set" in response.text
        # shown on its own, the message reads as a sentence
        assert '<p class="error" role="alert">The clip is ' in response.text
        assert "and 0.5 s: one set" in response.text  # the form says the limit
        assert media_files(world) == before
        assert client.get("/clips").text.count("blank.mp4") == listed  # nothing queued
    finally:
        world.app.state.settings = settings


def test_a_trainee_with_clips_waiting_is_asked_to_wait(
    client: TestClient, world: World, blank: Path
) -> None:
    from hingecoach.knowledge import load_catalogue
    from hingecoach.services import clips
    from hingecoach.store.migrate import open_database

    engine = open_database(world.url)
    most = world.app.state.settings.clip_max_queued_per_user
    waiting = [
        clips.create_clip(
            engine,
            "Ana",
            filename=f"waiting-{i}.mp4",
            stored_path=f"waiting-{i}.mp4",
            exercise_id=EXERCISE,
            catalogue=load_catalogue(None),
            now=dt.datetime.now(dt.UTC),
        )
        for i in range(most)
    ]
    login(client, "ana")
    before = media_files(world)
    try:
        response = upload(client, blank)
        assert response.status_code == 429
        assert "wait for your clips to finish" in response.text
        assert media_files(world) == before
        with TestClient(world.app) as api:  # the API too, for Ana's trainer
            refused = api.post(
                "/api/v1/trainees/Ana/clips",
                headers={"Authorization": f"Bearer {world.tokens['coach-a']}"},
                data={"exercise_id": EXERCISE},
                files={"file": ("set.mp4", blank.read_bytes(), "video/mp4")},
            )
        assert refused.status_code == 429
        assert "wait for your clips to finish" in refused.json()["detail"]
        assert media_files(world) == before
        login(client, "bo")  # another trainee is not held up by Ana's clips
        assert upload(client, blank).status_code == 303
    finally:
        with engine.begin() as db:
            db.execute(delete(ClipRecord).where(ClipRecord.id.in_([c.id for c in waiting])))


def test_a_clip_that_cannot_be_judged_says_what_to_refilm(client: TestClient, blank: Path) -> None:
    login(client, "ana")
    response = upload(client, blank)
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert "could not judge this clip" in page.text
    assert "no-person" in page.text
    assert "phone about 2-3 m away at hip height" in page.text  # what to re-film, per code
    assert "hx-trigger" not in page.text  # finished: the page stops polling
    assert "could not judge" in client.get("/clips").text


def test_a_long_clip_of_nobody_is_refused_after_the_first_seconds(
    client: TestClient, tmp_path: Path
) -> None:
    stop_s = WebSettings().clip_nobody_stop_s
    empty = blank_video(tmp_path / "empty-gym.mp4", frames=int(stop_s * 10) + 50)
    login(client, "ana")
    response = upload(client, empty)
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert f"Nobody in view in the first {stop_s:g} s" in page.text
    assert "film from the side with your whole body in frame" in page.text


def test_a_real_clip_is_analysed_shown_and_logged(client: TestClient, real_clip: Path) -> None:
    login(client, "ana")
    response = upload(client, real_clip)
    assert response.status_code == 303
    clip_url = response.headers["location"]
    page = client.get(clip_url)
    assert page.status_code == 200, page.text
    assert '<table class="reps">' in page.text
    assert "Tempo target: 3 s down, 2 s up" in page.text
    assert "Clean reps" in page.text or "Faults" in page.text
    assert f'<video class="clip-video" src="{clip_url}/video"' in page.text

    video = client.get(clip_url + "/video")
    assert video.status_code == 200
    assert video.headers["content-type"] == "video/mp4"
    assert video.content[4:8] == b"ftyp"
    part = client.get(clip_url + "/video", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206
    assert len(part.content) == 100

    # an lb trainee types lb: the form asks in lb, a load that is not one is refused in words
    unit = {"csrftoken": page_token(client, "/account"), "unit": "lb"}
    assert client.post("/account/unit", data=unit, follow_redirects=False).status_code < 400
    assert "Load (lb)" in client.get(clip_url).text
    wrong = client.post(
        clip_url + "/log",
        data={"csrftoken": page_token(client, clip_url), "load_kg": "heavy", "pain": "0"},
    )
    assert wrong.status_code == 422 and "is not one" in wrong.text
    unowned = client.post(
        clip_url + "/log",
        data={"csrftoken": page_token(client, clip_url), "load_kg": "30", "pain": "0"},
    )
    assert unowned.status_code == 422
    assert "30 lb is not a load the equipment makes for the kettlebell deadlift" in unowned.text
    logged = client.post(
        clip_url + "/log",
        data={"csrftoken": page_token(client, clip_url), "load_kg": "35.25", "pain": "0"},
    )
    assert logged.status_code == 200, logged.text
    assert "Logged as a set" in logged.text
    assert "Next session: Kettlebell" in logged.text or "See Today" in logged.text, "a name"
    history = client.get("/history").text
    assert "set judged from video" in history and "35.25 lb" in history  # the 16 kg bell
    back = {"csrftoken": page_token(client, "/account"), "unit": "kg"}
    client.post("/account/unit", data=back, follow_redirects=False)
    again = client.post(clip_url + "/log", data={"csrftoken": page_token(client, clip_url)})
    assert "Log as a set</button>" not in again.text


def test_the_api_takes_a_clip_and_reports_on_it(world: World, blank: Path) -> None:
    with TestClient(world.app) as api, blank.open("rb") as fh:
        headers = {"Authorization": f"Bearer {world.tokens['coach-a']}"}
        response = api.post(
            "/api/v1/trainees/Bo/clips",
            headers=headers,
            data={"exercise_id": EXERCISE},
            files={"file": ("set.mp4", fh, "video/mp4")},
        )
        assert response.status_code == 202, response.text
        clip = response.json()
        assert response.headers["location"] == f"/api/v1/clips/{clip['id']}"
        got = api.get(f"/api/v1/clips/{clip['id']}", headers=headers).json()
        assert got["status"] == "failed"
        assert got["error_code"] == "no-person"
        text = api.post(
            "/api/v1/trainees/Bo/clips",
            headers=headers,
            data={"exercise_id": EXERCISE},
            files={"file": ("set.webm", b"plain text, not a video", "video/webm")},
        )
        assert text.status_code == 415


def test_clips_are_seen_by_their_owner_and_trainer_only(world: World, blank: Path) -> None:
    with TestClient(world.app) as ana:
        login(ana, "ana")
        url = upload(ana, blank).headers["location"]
    clip_id = url.rsplit("/", 1)[1]
    for who, expected in (("ana", 200), ("coach-a", 200), ("bo", 404), ("coach-b", 404)):
        with TestClient(world.app) as c:
            login(c, who)
            for path in (url, url + "/status"):
                assert c.get(path).status_code == expected, (who, path)
    with TestClient(world.app) as c:
        login(c, "coach-a")
        assert "blank.mp4" in c.get("/clients/Ana/clips").text
    with TestClient(world.app) as c:
        login(c, "coach-b")
        assert c.get("/clients/Ana/clips").status_code == 404
    with TestClient(world.app) as anonymous:
        response = anonymous.get(url, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")
        assert anonymous.get(f"/api/v1/clips/{clip_id}").status_code == 401
    for who in ("bo", "coach-b"):
        with TestClient(world.app) as c:
            headers = {"Authorization": f"Bearer {world.tokens[who]}"}
            assert c.get(f"/api/v1/clips/{clip_id}", headers=headers).status_code == 404
            assert c.get("/api/v1/clips/999999", headers=headers).status_code == 404
            posted = c.post(
                "/api/v1/trainees/Ana/clips",
                headers=headers,
                data={"exercise_id": EXERCISE},
                files={"file": ("x.mp4", blank.read_bytes(), "video/mp4")},
            )
            assert posted.status_code == 404


@pytest.fixture
def queue_world(tmp_path: Path) -> Iterator[tuple[str, dict[str, str], Path]]:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    yield url, seed(url), tmp_path


def _settings(url: str, tmp: Path, *, worker: bool) -> WebSettings:
    return WebSettings(
        database_url=url,
        secret_key="test-secret-" + "x" * 32,
        media_dir=tmp / "media",
        jobs_file=tmp / "jobs.db",
        jobs_worker=worker,
    )


def test_a_queued_job_survives_a_restart(
    queue_world: tuple[str, dict[str, str], Path], blank: Path
) -> None:
    url, tokens, tmp = queue_world
    headers = {"Authorization": f"Bearer {tokens['ana']}"}
    first = create_app(_settings(url, tmp, worker=False))
    with TestClient(first) as c:
        response = c.post(
            "/api/v1/trainees/Ana/clips",
            headers=headers,
            data={"exercise_id": EXERCISE},
            files={"file": ("set.mp4", blank.read_bytes(), "video/mp4")},
        )
        assert response.status_code == 202
        clip_id = response.json()["id"]
        assert first.state.clip_jobs.pending() >= 1
        assert c.get(f"/api/v1/clips/{clip_id}", headers=headers).json()["status"] == "queued"
    # the process is gone; a new one (with its worker) picks the job up from the queue
    second = create_app(_settings(url, tmp, worker=True))
    with TestClient(second) as c:
        deadline = time.monotonic() + 60
        status = "queued"
        while time.monotonic() < deadline:
            status = c.get(f"/api/v1/clips/{clip_id}", headers=headers).json()["status"]
            if status in ("done", "failed"):
                break
            time.sleep(0.2)
        assert status == "failed"  # the blank clip has nobody in it: the job ran
        assert second.state.clip_jobs.pending() == 0


def test_the_queue_and_media_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from huey import RedisHuey, SqliteHuey

    from hingecoach.web.jobs import ClipJobs

    monkeypatch.setenv("HINGECOACH_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("HINGECOACH_MEDIA_DIR", str(tmp_path / "media"))
    monkeypatch.setenv("HINGECOACH_REDIS_URL", "redis://127.0.0.1:6390/0")
    settings = WebSettings.from_env()
    assert settings.media_dir == tmp_path / "media"
    engine, catalogue = cast(Any, None), cast(Any, None)
    jobs = ClipJobs(settings, engine, catalogue)  # nothing connects until a job is sent
    assert isinstance(jobs.huey, RedisHuey)
    assert (tmp_path / "media").is_dir()
    local = dataclasses.replace(settings, redis_url=None, jobs_file=tmp_path / "jobs.db")
    assert isinstance(ClipJobs(local, engine, catalogue).huey, SqliteHuey)


def test_the_clip_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from hingecoach.errors import InputError

    monkeypatch.setenv("HINGECOACH_SECRET_KEY", "s" * 40)
    defaults = WebSettings.from_env()
    assert (defaults.clip_max_seconds, defaults.clip_max_queued_per_user) == (180.0, 3)
    assert defaults.clip_nobody_stop_s == 10.0
    monkeypatch.setenv("HINGECOACH_CLIP_MAX_SECONDS", "90")
    monkeypatch.setenv("HINGECOACH_CLIP_MAX_QUEUED_PER_USER", "1")
    monkeypatch.setenv("HINGECOACH_CLIP_NOBODY_STOP_SECONDS", "5")
    settings = WebSettings.from_env()
    assert (settings.clip_max_seconds, settings.clip_max_queued_per_user) == (90.0, 1)
    assert settings.clip_nobody_stop_s == 5.0
    monkeypatch.setenv("HINGECOACH_CLIP_MAX_SECONDS", "three minutes")
    with pytest.raises(InputError, match="HINGECOACH_CLIP_MAX_SECONDS is a number of seconds"):
        WebSettings.from_env()


@pytest.mark.parametrize(
    ("head", "family"),
    [
        (b"\x00\x00\x00\x20ftypisom\x00\x00", "isobmff"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00", "isobmff"),
        (b"RIFF\x10\x00\x00\x00AVI LIST", "riff-avi"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81", "ebml"),
        (b"RIFF\x10\x00\x00\x00WAVEfmt ", None),
        (b"GIF89a\x00\x00", None),
        (b"", None),
    ],
)
def test_containers_are_recognised_by_their_first_bytes(head: bytes, family: str | None) -> None:
    from hingecoach.services.clips import sniff_video

    assert sniff_video(head) == family


def _analysed(client: TestClient, headers: dict[str, str], clip_id: int) -> str:
    deadline = time.monotonic() + 60
    status = "queued"
    while time.monotonic() < deadline:
        status = client.get(f"/api/v1/clips/{clip_id}", headers=headers).json()["status"]
        if status in ("done", "failed"):
            break
        time.sleep(0.1)
    return str(status)


def test_one_server_process_of_several_analyses_and_another_takes_over(
    queue_world: tuple[str, dict[str, str], Path], blank: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``serve --workers N``: every process takes uploads, one runs the clip worker; when
    its process ends, another process's worker picks the queue up."""
    from hingecoach.web import jobs

    monkeypatch.setattr(jobs, "STANDBY_RETRY_S", 0.1)
    url, tokens, tmp = queue_world
    headers = {"Authorization": f"Bearer {tokens['ana']}"}
    first = create_app(_settings(url, tmp, worker=True))
    second = create_app(_settings(url, tmp, worker=True))

    def post(client: TestClient) -> int:
        response = client.post(
            "/api/v1/trainees/Ana/clips",
            headers=headers,
            data={"exercise_id": EXERCISE},
            files={"file": ("set.mp4", blank.read_bytes(), "video/mp4")},
        )
        assert response.status_code == 202, response.text
        return int(response.json()["id"])

    with contextlib.ExitStack() as first_process:
        first_process.enter_context(TestClient(first))  # started first: it takes the worker
        with TestClient(second) as b:
            assert first.state.clip_jobs.runs_worker
            assert not second.state.clip_jobs.runs_worker
            clip_id = post(b)  # taken by the process without the worker
            assert _analysed(b, headers, clip_id) == "failed"  # nobody in it: the job ran
            first_process.close()  # the first process ends
            clip_id = post(b)
            assert _analysed(b, headers, clip_id) == "failed"
            assert second.state.clip_jobs.runs_worker
