"""In a real browser (Debian's Chromium): a trainee sees today's card, logs a whole session
set by set, uploads a clip and sees its analysis; a trainer overrides a decision.
Screenshots at desktop (1280 px) and phone (390 px) widths; a few are copied to /tmp/shots.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from hingecoach.services.demo import DEMO_LOGINS
from tests.e2e.browser.conftest import DESKTOP, PHONE, Server, Shots, new_page, sign_in

pytestmark = pytest.mark.slow

TRAINEE = next(x for x in DEMO_LOGINS if x.role == "trainee")
TRAINER = DEMO_LOGINS[0]
SHARED_CLIP = (
    Path(__file__).resolve().parents[3].parent / "shared/data/clips/tobefrank-kb-deadlift.mp4"
)


def test_trainee_sees_today_and_logs_a_session_set_by_set(
    browser: Any, server: Server, shots: Shots
) -> None:
    from playwright.sync_api import expect

    desktop = new_page(browser, server, DESKTOP)
    sign_in(desktop, TRAINEE.email, TRAINEE.password)
    assert desktop.url.endswith("/today")
    expect(desktop.locator("h2.exercise")).to_be_visible()
    expect(desktop.locator("dl.dose")).to_contain_text("Tempo")
    shots.take(desktop, "today-desktop", keep=True)

    page = new_page(browser, server, PHONE)
    sign_in(page, TRAINEE.email, TRAINEE.password)
    shots.take(page, "today-phone", keep=True)
    page.get_by_role("link", name="Log", exact=True).click()
    expect(page.get_by_role("heading", name="Primary")).to_be_visible()
    ticks = page.locator('.sheet-set[data-primary="1"] button.tick')
    logged = ticks.count()
    for number in range(logged):
        ticks.nth(number).click()
        if number == 1:
            shots.take(page, "log-phone-mid-session", keep=True)
    assert logged >= 2
    expect(page.locator(".sheet-set.done")).to_have_count(logged)
    # the demo's last hinge session was yesterday: under 48 h, so it asks first (R-PLAN-1)
    expect(page.locator("#spacing")).to_contain_text("48 h")
    shots.take(page, "spacing-confirm-phone", keep=True)
    page.get_by_label("I did train today: log it anyway").check()
    page.get_by_role("button", name=re.compile(r"Save the session")).click()
    expect(page.get_by_role("status").first).to_contain_text(f"Saved: {logged} sets")
    shots.take(page, "saved-phone")
    page.goto("/history")
    expect(page.locator("ul.history > li").first).to_contain_text(f"{logged} work")


def test_trainer_overrides_a_decision(browser: Any, server: Server, shots: Shots) -> None:
    from playwright.sync_api import expect

    page = new_page(browser, server, DESKTOP)
    sign_in(page, TRAINER.email, TRAINER.password)
    assert page.url.endswith("/clients")
    shots.take(page, "clients-desktop", keep=True)
    page.get_by_role("link", name="Ben").first.click()
    expect(page.get_by_role("heading", name="Ben", exact=True)).to_be_visible()
    first = page.locator("ol.decisions > li").first
    first.locator("summary", has_text="Override").click()
    first.get_by_label("Next session on").select_option("romanian-deadlift")
    first.get_by_label(re.compile("^Why")).fill("Moved well on video; try the RDL.")
    first.get_by_role("button", name="Record the override").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("status")).to_contain_text("overridden")
    expect(page.locator("p.override").first).to_contain_text(TRAINER.display_name)
    shots.take(page, "override-desktop", keep=True)

    phone = new_page(browser, server, PHONE)
    sign_in(phone, TRAINER.email, TRAINER.password)
    shots.take(phone, "clients-phone", keep=True)


def test_trainee_uploads_a_clip_and_sees_the_analysis(
    browser: Any, server: Server, shots: Shots
) -> None:
    from playwright.sync_api import expect

    if not SHARED_CLIP.is_file():
        pytest.skip(f"the shared clips are not here ({SHARED_CLIP}); clip upload not tested")
    page = new_page(browser, server, PHONE)
    sign_in(page, TRAINEE.email, TRAINEE.password)
    page.get_by_role("link", name="Clips").click()
    page.get_by_label("Exercise").select_option("kettlebell-deadlift")
    page.get_by_label(re.compile("^Video")).set_input_files(str(SHARED_CLIP))
    shots.take(page, "clips-phone", keep=True)
    page.get_by_role("button", name="Upload and analyse").click()
    assert re.search(r"/clips/\d+$", page.url), page.url
    shots.take(page, "clip-waiting-phone", keep=True)  # usually still analysing
    # the worker analyses it in the background; the page polls until it is done
    expect(page.locator("table.reps")).to_be_visible(timeout=120_000)
    expect(page.locator("table.reps tbody tr").first).to_be_visible()
    video = page.locator("video.clip-video")
    expect(video).to_be_visible()
    page.wait_for_function(
        "() => { const v = document.querySelector('video.clip-video');"
        " return v && v.readyState >= 1 && v.duration > 0; }",
        timeout=30_000,
    )
    shots.take(page, "clip-phone", keep=True)
    desktop = new_page(browser, server, DESKTOP)
    sign_in(desktop, TRAINEE.email, TRAINEE.password)
    desktop.goto(page.url)
    desktop.wait_for_function(
        "() => { const v = document.querySelector('video.clip-video');"
        " return v && v.readyState >= 2; }",
        timeout=30_000,
    )
    shots.take(desktop, "clip-desktop", keep=True)
    desktop.get_by_role("button", name="Log as a set").click()
    desktop.wait_for_load_state("networkidle")
    expect(desktop.get_by_role("status")).to_contain_text("Logged as a set")


def test_the_api_docs_run_from_the_vendored_swagger_ui(browser: Any, server: Server) -> None:
    """Swagger UI starts under the Content-Security-Policy, with nothing from a CDN."""
    from playwright.sync_api import expect

    page = new_page(browser, server, DESKTOP)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(server.base) else None,
    )
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("hingecoach")
    expect(page.locator(".opblock").first).to_be_visible()
    assert outside == [], outside
    page.context.close()


def test_a_clip_longer_than_the_limit_is_refused_with_what_to_do(
    browser: Any, server: Server, shots: Shots, tmp_path: Path
) -> None:
    import dataclasses

    from playwright.sync_api import expect

    from tests.e2e.web.test_uploads import blank_video

    clip = blank_video(tmp_path / "whole-workout.mp4", frames=30)  # 3 s
    settings = server.app.state.settings
    server.app.state.settings = dataclasses.replace(settings, clip_max_seconds=2.0)
    try:
        page = new_page(browser, server, PHONE)
        sign_in(page, TRAINEE.email, TRAINEE.password)
        page.get_by_role("link", name="Clips").click()
        expect(page.get_by_label(re.compile("^Video"))).to_be_visible()
        page.get_by_label("Exercise").select_option("kettlebell-deadlift")
        page.get_by_label(re.compile("^Video")).set_input_files(str(clip))
        page.get_by_role("button", name="Upload and analyse").click()
        expect(page.locator("body")).to_contain_text("trim the clip to one set")
        assert "whole-workout.mp4" not in page.content()  # nothing queued
        shots.take(page, "clip-too-long-phone", keep=True)
    finally:
        server.app.state.settings = settings
