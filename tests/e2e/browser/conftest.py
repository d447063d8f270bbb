"""A live server for browser tests: uvicorn on a free loopback port, in a thread, on a
fresh SQLite file with the web demo's accounts, and Debian's Chromium driven by Playwright.

Never a downloaded browser: Chromium is /usr/bin/chromium (``apt-get install chromium``).
Without it the tests are skipped with a notice; in CI (``CI=true``) they fail instead.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SHOTS_COPY = Path("/tmp/shots")  # a few screenshots to look at by hand


def _need_chromium() -> None:
    if CHROMIUM.is_file():
        return
    message = f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    base: str
    app: Any


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _need_chromium()
    from hingecoach.knowledge import load_catalogue
    from hingecoach.services.demo import seed_web_demo
    from hingecoach.store.migrate import open_database
    from hingecoach.web.app import create_app
    from hingecoach.web.settings import WebSettings

    tmp = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{tmp / 'web.db'}"
    engine = open_database(url)
    seed_web_demo(engine, load_catalogue(None), dt.date.today())
    engine.dispose()
    settings = WebSettings(
        database_url=url,
        secret_key="browser-test-" + "x" * 32,
        media_dir=tmp / "media",
        jobs_file=tmp / "jobs.db",
        login_rate="1000/minute",
        login_rate_per_address="1000/minute",
        login_rate_per_account="1000/minute",
    )
    with serve_app(create_app(settings)) as served:
        yield served


@contextmanager
def serve_app(app: Any) -> Iterator[Server]:
    """Serve a web app with uvicorn on a free loopback port, in a thread."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    try:
        yield Server(base=f"http://127.0.0.1:{port}", app=app)
    finally:
        uv.should_exit = True
        thread.join(timeout=15)


@pytest.fixture(scope="session")
def browser(server: Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Shots:
    """Screenshots of a test, into its temp dir; ``keep=True`` also copies to /tmp/shots."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def take(self, page: Any, name: str, *, keep: bool = False) -> Path:
        path = self.folder / f"e2e-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if keep:
            SHOTS_COPY.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, SHOTS_COPY / path.name)
        return path


@pytest.fixture
def shots(tmp_path: Path) -> Shots:
    return Shots(tmp_path)


#: on every page the browser tests open (issue 16): checked after each test
SECURITY_HEADERS = (
    "content-security-policy",
    "x-frame-options",
    "x-content-type-options",
    "referrer-policy",
)
_SECURITY_PROBLEMS: list[str] = []


def watch_security(page: Any) -> Any:
    """Record pages without the security headers and anything the CSP refused."""

    def on_response(response: Any) -> None:
        if response.request.resource_type != "document":
            return
        missing = [h for h in SECURITY_HEADERS if h not in response.headers]
        if missing:
            _SECURITY_PROBLEMS.append(f"{response.url}: no {', '.join(missing)}")

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            _SECURITY_PROBLEMS.append(f"{page.url}: {message.text}")

    page.on("response", on_response)
    page.on("console", on_console)
    return page


@pytest.fixture(autouse=True)
def _security_headers_on_every_page() -> Iterator[None]:
    _SECURITY_PROBLEMS.clear()
    yield
    assert not _SECURITY_PROBLEMS, "\n".join(_SECURITY_PROBLEMS)


def new_page(browser: Any, server: Server, viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport, base_url=server.base)
    context.set_default_timeout(15_000)
    return watch_security(context.new_page())


def sign_in(page: Any, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
