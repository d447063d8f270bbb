"""Deleting a client (a trainee) or a clip: the records go, and once that is committed, the
uploaded and annotated clip files in the media folder go too; nobody else's."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hingecoach.capture.pipeline import VideoAnalysis
from hingecoach.form import analyze_pose
from hingecoach.services import clips as clip_service
from hingecoach.services.demo import DEMO_TRACK, seed_demo_clip
from hingecoach.services.trainees import delete_trainee, get_trainee
from hingecoach.services.uow import UnitOfWork
from tests.e2e.cli_runner import run
from tests.e2e.web.conftest import EMAILS, PASSWORD, csrf_from, login, make_app, seed
from tests.e2e.web.test_uploads import EXERCISE, blank_video


@dataclass
class Media:
    app: FastAPI
    url: str
    tokens: dict[str, str]
    media: Path
    files: dict[str, set[str]]  # each trainee's clip files, by trainee


@pytest.fixture
def world(tmp_path: Path) -> Iterator[Media]:
    """Ana has two clips (an upload, the demo clip with its stick-figure video), Bo and Cy
    one upload each."""
    url = f"sqlite:///{tmp_path / 'web.db'}"
    tokens = seed(url)
    app = make_app(url)
    media: Path = app.state.clip_jobs.media_dir
    blank = blank_video(tmp_path / "blank.mp4")
    files: dict[str, set[str]] = {}
    with TestClient(app) as client:
        for name, who in (("Ana", "ana"), ("Bo", "bo"), ("Cy", "coach-b")):
            before = set(p.name for p in media.iterdir()) if media.is_dir() else set()
            posted = client.post(
                f"/api/v1/trainees/{name}/clips",
                headers={"Authorization": f"Bearer {tokens[who]}"},
                data={"exercise_id": EXERCISE},
                files={"file": ("set.mp4", blank.read_bytes(), "video/mp4")},
            )
            assert posted.status_code == 202, posted.text
            files[name] = {p.name for p in media.iterdir()} - before
    before = {p.name for p in media.iterdir()}
    seed_demo_clip(app.state.engine, app.state.catalogue, media, dt.datetime.now(dt.UTC))
    files["Ana"] |= {p.name for p in media.iterdir()} - before
    yield Media(app, url, tokens, media, files)
    app.state.engine.dispose()


def _on_disk(world: Media) -> set[str]:
    return {p.name for p in world.media.iterdir()}


def test_a_trainer_deletes_a_client_with_their_clip_files(world: Media) -> None:
    assert len(world.files["Ana"]) >= 2 and world.files["Ana"] <= _on_disk(world)
    with TestClient(world.app) as client:
        login(client, "coach-a")
        page = client.get("/clients/Ana").text
        assert "Delete Ana" in page
        done = client.post(
            "/clients/Ana/delete",
            data={"csrftoken": csrf_from(page), "confirm": "Ana"},
            follow_redirects=False,
        )
        assert done.status_code == 303 and done.headers["location"] == "/clients?deleted=client"
        listing = client.get(done.headers["location"]).text
        assert "Client deleted" in listing and "/clients/Ana" not in listing
        assert client.get("/clients/Ana").status_code == 404
    assert not world.files["Ana"] & _on_disk(world), "Ana's clip files are gone"
    assert world.files["Bo"] | world.files["Cy"] <= _on_disk(world), "nobody else's"
    with TestClient(world.app) as ana:
        page = ana.get("/login").text
        signed = ana.post(
            "/login",
            data={"email": EMAILS["ana"], "password": PASSWORD, "csrftoken": csrf_from(page)},
        )
        assert signed.status_code == 401, "her sign-in went with her records"
        api = ana.get("/api/v1/me", headers={"Authorization": f"Bearer {world.tokens['ana']}"})
        assert api.status_code == 401


def test_nothing_is_deleted_without_the_name_typed_again(world: Media) -> None:
    with TestClient(world.app) as client:
        login(client, "coach-a")
        page = client.get("/clients/Ana").text
        refused = client.post(
            "/clients/Ana/delete", data={"csrftoken": csrf_from(page), "confirm": "ana"}
        )
        assert refused.status_code == 422
        assert "Nothing deleted: to delete Ana, type the name Ana exactly." in refused.text
        assert client.get("/clients/Ana").status_code == 200
    assert world.files["Ana"] <= _on_disk(world)


@pytest.mark.parametrize(("who", "status"), [("coach-b", 404), ("ana", 403), ("bo", 403)])
def test_only_the_clients_trainer_can_delete_them(world: Media, who: str, status: int) -> None:
    with TestClient(world.app) as client:
        login(client, who)
        token = csrf_from(client.get("/account").text)
        response = client.post("/clients/Ana/delete", data={"csrftoken": token, "confirm": "Ana"})
        assert response.status_code == status
        forged = client.post("/clients/Ana/delete", data={"confirm": "Ana"})
        assert forged.status_code == 403, "no form token, no delete"
    assert get_trainee(world.app.state.engine, "Ana").sessions > 0
    assert world.files["Ana"] <= _on_disk(world)


def test_the_files_stay_when_the_deletion_is_not_committed(
    world: Media, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(self: UnitOfWork) -> None:
        raise OSError("database or disk is full")

    monkeypatch.setattr(UnitOfWork, "commit", full_disk)
    with pytest.raises(OSError, match="disk is full"):
        delete_trainee(world.app.state.engine, "Ana", world.media)
    monkeypatch.undo()
    assert world.files["Ana"] <= _on_disk(world), "no file deleted before the commit"
    assert get_trainee(world.app.state.engine, "Ana").sessions > 0


def test_the_command_line_deletes_a_trainee_with_their_clip_files(
    world: Media, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HINGECOACH_MEDIA_DIR", str(world.media))
    result = run("--db", world.url, "trainee", "delete", "Ana", "--yes", "--json")
    assert result.code == 0, result.err
    done = json.loads(result.out)
    assert done["deleted"] == "Ana" and done["clips"] == 2 and done["account_deleted"]
    assert done["files_removed"] == len(world.files["Ana"])
    assert not world.files["Ana"] & _on_disk(world)
    assert world.files["Bo"] | world.files["Cy"] <= _on_disk(world)
    again = run("--db", world.url, "trainee", "delete", "Ana", "--yes")
    assert again.code != 0 and "Ana" in again.err


def _ana_clip_ids(world: Media) -> list[int]:
    return [c.id for c in clip_service.list_clips(world.app.state.engine, "Ana")]


def test_a_trainee_deletes_a_clip_with_its_files(world: Media) -> None:
    demo, upload = _ana_clip_ids(world)  # newest first: the demo clip, then the upload
    demo_files = {
        f for f in world.files["Ana"] if f.startswith("demo-") and f.endswith((".npz", ".mp4"))
    }
    assert len(demo_files) in (1, 2)  # the track; its video with the video extra
    with TestClient(world.app) as client:
        login(client, "ana")
        page = client.get(f"/clips/{demo}").text
        assert "Delete the clip" in page
        done = client.post(
            f"/clips/{demo}/delete", data={"csrftoken": csrf_from(page)}, follow_redirects=False
        )
        assert done.status_code == 303 and done.headers["location"] == "/clips?deleted=1"
        assert "Clip deleted, with its video." in client.get("/clips?deleted=1").text
        assert client.get(f"/clips/{demo}").status_code == 404
    assert not demo_files & _on_disk(world)
    assert (world.files["Ana"] - demo_files) <= _on_disk(world), "her other clip stays"
    assert _ana_clip_ids(world) == [upload]


@pytest.mark.parametrize("who", ["coach-b", "bo"])
def test_nobody_else_can_delete_a_clip(world: Media, who: str) -> None:
    clip_id = _ana_clip_ids(world)[0]
    with TestClient(world.app) as client:
        login(client, who)
        token = csrf_from(client.get("/account").text)
        response = client.post(f"/clips/{clip_id}/delete", data={"csrftoken": token})
        assert response.status_code == 404
    assert world.files["Ana"] <= _on_disk(world)


def test_a_trainer_deletes_a_clients_clip(world: Media) -> None:
    clip_id = _ana_clip_ids(world)[-1]
    with TestClient(world.app) as client:
        login(client, "coach-a")
        token = csrf_from(client.get(f"/clips/{clip_id}").text)
        done = client.post(
            f"/clips/{clip_id}/delete", data={"csrftoken": token}, follow_redirects=False
        )
        assert done.headers["location"] == "/clients/Ana/clips?deleted=1"
    assert _ana_clip_ids(world) == _ana_clip_ids(world)[:1]


def test_a_clip_deleted_while_it_is_analysed_leaves_no_files(
    world: Media, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker finishing a clip whose record went meanwhile (the clip, or its trainee,
    deleted) removes what it wrote instead of leaving it behind."""
    import hingecoach.capture as capture

    engine, media = world.app.state.engine, world.media
    source = "racing.mp4"
    (media / source).write_bytes(b"\0\0\0\x18ftypmp42")
    clip = clip_service.create_clip(
        engine,
        "Ana",
        filename="racing.mp4",
        stored_path=source,
        exercise_id=EXERCISE,
        catalogue=world.app.state.catalogue,
        now=dt.datetime.now(dt.UTC),
    )

    def analysed_while_deleted(path: Path, **kwargs: Any) -> VideoAnalysis:
        delete_trainee(engine, "Ana", media)  # meanwhile, a trainer deletes Ana
        kwargs["out_video"].write_bytes(b"annotated")
        seq = capture.load_track(DEMO_TRACK)
        return VideoAnalysis(report=analyze_pose(seq, exercise=EXERCISE), pose=seq)

    monkeypatch.setattr(capture, "analyze_video", analysed_while_deleted)
    status = clip_service.analyse_clip(engine, clip.id, world.app.state.catalogue, media)
    assert status == "missing"
    assert not {source, "racing-annotated.mp4"} & _on_disk(world)
