"""The live page, ``GET /live``: who may open it, what it tells the browser, and that the
runtime and models it points at are served by the app (when ``make setup`` installed them).

The page in a real browser, with a fake camera, is in tests/e2e/browser/test_live.py.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hingecoach.web.live_page import VENDOR_DIR, available_models
from tests.e2e.web.conftest import login


def config_of(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="live-config">(.*?)</script>', html)
    assert found, "no live config on the page"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_anonymous_is_sent_to_sign_in(client: TestClient) -> None:
    response = client.get("/live", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("ana", "/live", 200),
        ("ana", "/live?trainee=Ana", 200),
        ("ana", "/live?trainee=Bo", 404),  # another trainee: as if nobody had that name
        ("coach-a", "/live?trainee=Ana", 200),
        ("coach-a", "/live?trainee=Cy", 404),  # trainer B's client
        ("coach-a", "/live?trainee=Nobody", 404),
        ("coach-a", "/live", 422),  # a trainer names the client
        ("ana", "/live?exercise=no-such-lift", 404),
    ],
)
def test_access(client: TestClient, who: str, path: str, status: int) -> None:
    login(client, who)
    assert client.get(path).status_code == status


def test_trainee_page_has_target_socket_and_models(client: TestClient) -> None:
    login(client, "ana")
    page = client.get("/live?exercise=kettlebell-deadlift")
    assert page.status_code == 200
    config = config_of(page.text)
    assert config["socket"] == "/live/ws"
    assert config["trainee"] is None  # a trainee's socket is their own
    assert config["exercise"] == "kettlebell-deadlift"
    assert config["target"]["exercise_name"] == "Kettlebell deadlift"
    assert config["target"]["tempo"] == {"down_s": 3.0, "up_s": 2.0}
    assert config["runtime"] == "/static/vendor/tasks-vision"
    assert config["models"] == available_models()
    assert 'href="/live"' in page.text  # in the nav
    for part in ("End set", "Start set", "How hard (RPE)", "Pain (0 = none)"):
        assert part in page.text
    assert "/static/live/live.js" in page.text
    assert "cdn" not in page.text.lower()


def test_trainer_page_names_the_client(client: TestClient) -> None:
    login(client, "coach-a")
    config = config_of(client.get("/live?trainee=Ana").text)
    assert config["trainee"] == "Ana"


def test_today_links_to_the_live_page(client: TestClient) -> None:
    login(client, "ana")
    assert 'href="/live"' in client.get("/today").text


def test_page_script_and_styles_are_served(client: TestClient) -> None:
    for path, kind in (("/static/live/live.js", "javascript"), ("/static/live/live.css", "css")):
        response = client.get(path)
        assert response.status_code == 200
        assert kind in response.headers["content-type"]


def test_available_models_reads_the_manifest(tmp_path: Path) -> None:
    assert available_models(tmp_path) == []  # not installed: the page falls back
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "pose_landmarker_full.task").write_bytes(b"x")
    (tmp_path / "manifest.json").write_text(json.dumps({"models": ["lite", "full"]}))
    assert available_models(tmp_path) == [
        {"name": "full", "url": "/static/vendor/models/pose_landmarker_full.task"}
    ]
    (tmp_path / "manifest.json").write_text("not json")
    assert available_models(tmp_path) == []


def test_installed_runtime_and_models_are_served(client: TestClient) -> None:
    if not (VENDOR_DIR / "manifest.json").is_file():
        pytest.skip("the live runtime is not installed (make setup runs scripts/vendor_live.py)")
    login(client, "ana")
    config = config_of(client.get("/live").text)
    assert config["models"], "no pose model installed"
    module = client.get(config["runtime"] + "/vision_bundle.mjs")
    assert module.status_code == 200
    assert "javascript" in module.headers["content-type"]  # an ES module needs a JS type
    wasm = client.get(config["runtime"] + "/wasm/vision_wasm_internal.wasm")
    assert wasm.status_code == 200
    assert wasm.headers["content-type"] == "application/wasm"
    assert wasm.content[:4] == b"\0asm"
    for model in config["models"]:
        task = client.get(model["url"])
        assert task.status_code == 200
        with zipfile.ZipFile(io.BytesIO(task.content)) as bundle:  # detector + landmarks
            assert sorted(bundle.namelist()) == [
                "pose_detector.tflite",
                "pose_landmarks_detector.tflite",
            ]
