"""Account -> Calendar in a real browser: make the link, copy it, subscribe (fetch it),
set the training time to this device's time zone, revoke it."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from typing import Any

from hingecoach.services.demo import DEMO_LOGINS
from tests.e2e.browser.conftest import (
    DESKTOP,
    PHONE,
    Server,
    Shots,
    new_page,
    sign_in,
    watch_security,
)

TRAINEE = next(login for login in DEMO_LOGINS if login.role == "trainee")


def _fetch(url: str) -> tuple[int, str]:
    """What a calendar app gets: no cookies, no sign-in."""
    try:
        with urllib.request.urlopen(url, timeout=20) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_a_trainee_makes_copies_and_revokes_a_calendar_link(
    browser: Any, server: Server, shots: Shots
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, base_url=server.base, timezone_id="Europe/Lisbon")
    context.set_default_timeout(15_000)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base)
    page = watch_security(context.new_page())
    sign_in(page, TRAINEE.email, TRAINEE.password)
    page.goto("/account")
    page.get_by_role("link", name="Subscribe to your plan in your calendar app").click()
    expect(page.get_by_role("heading", name="Your plan in your calendar")).to_be_visible()
    expect(page.get_by_text("You have no calendar link.")).to_be_visible()

    page.get_by_role("button", name="Make a calendar link").click()
    expect(page.get_by_role("status").first).to_contain_text("shown only this once")
    url = page.get_by_label("Calendar link").input_value()
    assert re.fullmatch(re.escape(server.base) + r"/calendar/hcal_[A-Za-z0-9_-]{43}\.ics", url)
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#copied")).to_have_text("Copied. Paste it into your calendar app.")
    assert page.evaluate("navigator.clipboard.readText()") == url
    shots.take(page, "calendar-link-phone", keep=True)

    status, body = _fetch(url)
    assert status == 200 and "BEGIN:VEVENT" in body and "DTSTART:" in body  # 18:00, floating

    page.get_by_label("Training time").fill("06:30")
    page.get_by_role("button", name="Use this device's time zone (Europe/Lisbon)").click()
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Lisbon")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved.")
    expect(page.get_by_text("You have a calendar link, made")).to_be_visible()
    status, body = _fetch(url)  # the same link, now at 06:30 in Lisbon
    assert status == 200 and "X-WR-TIMEZONE:Europe/Lisbon" in body
    assert re.search(r"DTSTART;TZID=Europe/Lisbon:\d{8}T063000", body)
    shots.take(page, "calendar-saved-phone", keep=True)

    page.get_by_role("button", name="Revoke the link").click()
    expect(page.get_by_role("status").first).to_contain_text("The calendar link is revoked")
    expect(page.get_by_text("You have no calendar link.")).to_be_visible()
    status, body = _fetch(url)
    assert status == 404 and "revoked or replaced" in body
    shots.take(page, "calendar-revoked-phone", keep=True)
    context.close()

    desktop = new_page(browser, server, DESKTOP)
    sign_in(desktop, TRAINEE.email, TRAINEE.password)
    desktop.goto("/account/calendar")
    desktop.get_by_role("button", name="Make a calendar link").click()
    expect(desktop.get_by_label("Calendar link")).to_have_value(re.compile(r"/calendar/hcal_"))
    expect(desktop.get_by_label("Time zone")).to_have_value("Europe/Lisbon")
    shots.take(desktop, "calendar-link-desktop", keep=True)
    desktop.get_by_role("button", name="Revoke the link").click()
    expect(desktop.get_by_text("You have no calendar link.")).to_be_visible()
    desktop.context.close()
