"""The demo's analysed clip: made from a committed pose track (no video is shipped), shown
with its per-rep faults and cues; a stick-figure video when the video extra is installed,
and a plain "no video" note when there is none."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hingecoach.knowledge import load_catalogue
from hingecoach.services.demo import DEMO_TRACK, ensure_demo_clip, seed_demo_clip
from hingecoach.store.migrate import open_database
from tests.e2e.cli_runner import run
from tests.e2e.web.conftest import login, make_app, seed


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[tuple[str, FastAPI, Path]]:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    seed(url)
    app = make_app(url)  # its media folder: <tmp_path>/media
    yield url, app, tmp_path / "media"
    app.state.engine.dispose()


def _clip_page(client: TestClient) -> tuple[str, str]:
    """Ana's clip list shows the demo clip; its id and page."""
    login(client, "ana")
    listing = client.get("/clips").text
    assert "demo pose track" in listing
    found = re.search(r'href="/clips/(\d+)"', listing)
    assert found, "the clip is listed"
    return found.group(1), client.get(f"/clips/{found.group(1)}").text


def test_the_demo_clip_shows_its_reps_faults_and_cues_with_a_stick_figure(
    fresh: tuple[str, FastAPI, Path],
) -> None:
    av = pytest.importorskip("av", reason="the stick figure needs the video extra")
    _, app, media = fresh
    clip = seed_demo_clip(app.state.engine, app.state.catalogue, media, dt.datetime.now(dt.UTC))
    assert clip.status == "done" and clip.annotated_path
    with TestClient(app) as client:
        clip_id, page = _clip_page(client)
        assert "Form: breakdown" in page
        assert "Hips rise first" in page and "on reps 2, 3, 4" in page
        assert "Hips and chest rise together." in page, "the fault's cue"
        rows = re.findall(r'<th scope="row">(\d+)</th>', page)
        assert rows == ["1", "2", "3", "4"], "one row per rep"
        assert page.count("Hips rise first</span>") == 3, "each rep's faults, by name"
        assert page.count('<span class="good">Good rep.</span>') == 1, "a good rep is told so"
        assert "Clean reps: <strong>1 of 4</strong> (25 %)" in page
        lead = page.split('<p class="lead">', 1)[1].split("</p>", 1)[0]
        assert 'href="/rules/R-' in lead, "the advice's rule ids are links"
        assert not re.search(r"\(R-[A-Z]+-\d+\)", lead), "no bare rule id in the words"
        assert f'src="/clips/{clip_id}/video"' in page
        assert "stick figure drawn from the recorded movement" in page
        video = client.get(f"/clips/{clip_id}/video")
        assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    path = media / str(clip.annotated_path)
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        frames = sum(1 for _ in container.decode(stream))
    assert frames == 151, "every frame of the track"


def test_without_a_video_the_clip_page_says_so_and_shows_the_analysis(
    fresh: tuple[str, FastAPI, Path],
) -> None:
    _, app, _ = fresh
    seed_demo_clip(app.state.engine, app.state.catalogue, None, dt.datetime.now(dt.UTC))
    with TestClient(app) as client:
        _, page = _clip_page(client)
        assert "This clip has no video: it was analysed from a recorded pose track" in page
        assert "<video" not in page
        assert "Hips rise first" in page and "Hips and chest rise together." in page
        assert len(re.findall(r'<th scope="row">\d+</th>', page)) == 4


def test_a_video_file_gone_from_the_media_folder_is_said_plainly(
    fresh: tuple[str, FastAPI, Path],
) -> None:
    pytest.importorskip("av", reason="the stick figure needs the video extra")
    _, app, media = fresh
    clip = seed_demo_clip(app.state.engine, app.state.catalogue, media, dt.datetime.now(dt.UTC))
    (media / str(clip.annotated_path)).unlink()
    with TestClient(app) as client:
        _, page = _clip_page(client)
        assert "<video" not in page and "This clip has no video" in page


def test_serve_demo_makes_the_clip_once_and_prints_where_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(kwargs))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HINGECOACH_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("HINGECOACH_MEDIA_DIR", str(tmp_path / "media"))
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    monkeypatch.setenv("HINGECOACH_DATABASE_URL", url)
    first = run("--db", url, "serve", "--demo", "--port", "8123")
    assert first.code == 0, first.err
    found = re.search(r"Ana's analysed clip: http://127\.0\.0\.1:8123/clips/(\d+)", first.out)
    assert found, first.out
    again = run("--db", url, "serve", "--demo", "--port", "8123")
    assert f"/clips/{found.group(1)}" in again.out, "the same clip, not a second one"
    engine = open_database(url)
    clip = ensure_demo_clip(engine, load_catalogue(None), None, dt.datetime.now(dt.UTC))
    engine.dispose()
    assert clip is not None and clip.id == int(found.group(1))
    assert (tmp_path / "media" / clip.stored_path).read_bytes() == DEMO_TRACK.read_bytes()
    assert len(calls) == 2
