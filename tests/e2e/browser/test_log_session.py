"""Logging a whole prescribed session in a real browser (Debian's Chromium), at phone and
desktop size: ramp-up sets and a superset, the rest timer (wall-clock, through a
background tab), a reload that resumes, a refresh after Save that stores nothing more,
and sets logged offline that arrive once when the connection returns.
"""

from __future__ import annotations

import re
from itertools import count
from typing import Any

import pytest

from tests.e2e.browser.conftest import DESKTOP, PHONE, Server, Shots, new_page, sign_in
from tests.e2e.web.logsheet import add_barbell_trainee

pytestmark = pytest.mark.slow

PASSWORD = "log-test-password"
_numbers = count(1)


def _trainee(server: Server) -> tuple[str, str]:
    """A trainee of their own on a barbell (the tests here each log sessions)."""
    n = next(_numbers)
    name, email = f"Lifter{n}", f"lifter{n}@example.com"
    add_barbell_trainee(server.app.state.settings.database_url, name, email, PASSWORD)
    return name, email


def _sessions(server: Server, name: str) -> list[Any]:
    from hingecoach.services.coaching import list_sessions

    return list_sessions(server.app.state.engine, name)


def _open_log(browser: Any, server: Server, viewport: dict[str, int]) -> tuple[Any, str]:
    name, email = _trainee(server)
    page = new_page(browser, server, viewport)
    sign_in(page, email, PASSWORD)
    page.goto("/log")
    return page, name


def _tick(page: Any, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()


def test_log_a_whole_prescribed_session_with_ramp_ups_and_a_superset(
    browser: Any, server: Server, shots: Shots
) -> None:
    from playwright.sync_api import expect

    for viewport, size in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page, name = _open_log(browser, server, viewport)
        before = len(_sessions(server, name))
        expect(page.get_by_role("heading", name="Ramp-up")).to_be_visible()
        expect(page.get_by_role("heading", name="Secondary superset")).to_be_visible()
        expect(page.locator(".plates").first).to_contain_text("kg a side")
        shots.take(page, f"log-sheet-{size}", keep=True)
        buttons = page.locator("button.tick")
        total = buttons.count()
        for i in range(total):
            buttons.nth(i).click()
            if i == 6:
                expect(page.locator("#rest")).to_be_visible()
                shots.take(page, f"log-sheet-mid-{size}", keep=True)
        expect(page.locator(".sheet-set.done")).to_have_count(total)
        page.get_by_role("button", name=re.compile(r"Save the session")).click()
        expect(page.get_by_role("status").first).to_contain_text(f"Saved: {total} sets")
        shots.take(page, f"log-saved-{size}", keep=True)
        after = _sessions(server, name)
        assert len(after) == before + 2, "the primary and the push"
        primary = after[-1]
        assert primary.exercise_id == "romanian-deadlift"
        assert sum(not s.work_set for s in primary.sets) == 3, "the ramp-up sets"
        assert len(primary.work_sets) == 4
        page.context.close()


def test_the_rest_timer_keeps_wall_clock_time_in_a_background_tab(
    browser: Any, server: Server, shots: Shots
) -> None:
    from playwright.sync_api import expect

    _, email = _trainee(server)
    page = new_page(browser, server, PHONE)
    page.clock.install()
    sign_in(page, email, PASSWORD)
    page.goto("/log")
    _tick(page, "Done: Romanian deadlift set 1")
    timer = page.locator("#rest-time")
    expect(timer).to_have_text(re.compile(r"^[12]:\d\d$"))
    shots.take(page, "rest-timer-phone", keep=True)
    other = page.context.new_page()  # the trainee switches to another tab
    other.goto("/today")
    other.bring_to_front()
    page.clock.fast_forward("01:00")
    page.bring_to_front()
    page.clock.run_for(500)
    expect(timer).to_have_text(re.compile(r"^(0:5\d|1:0\d)$"))
    page.get_by_role("button", name="+30 s").click()
    expect(timer).to_have_text(re.compile(r"^1:[23]\d$"))
    page.clock.fast_forward("02:00")
    page.clock.run_for(500)
    expect(timer).to_have_text("Rest over: next set")
    shots.take(page, "rest-over-phone")
    page.get_by_role("button", name="Skip rest").click()
    expect(page.locator("#rest")).to_be_hidden()
    page.context.close()


def test_a_reload_mid_session_resumes_and_a_refresh_after_save_stores_nothing_more(
    browser: Any, server: Server, shots: Shots
) -> None:
    from playwright.sync_api import expect

    page, name = _open_log(browser, server, PHONE)
    before = len(_sessions(server, name))
    for label in ("ramp-up 1", "ramp-up 2", "set 1"):
        _tick(page, f"Done: Romanian deadlift {label}")
    page.locator(".sheet-set.done .amount").last.fill("5")
    page.locator(".sheet-set.done .amount").last.dispatch_event("change")
    expect(page.locator("#net")).to_be_hidden()  # the draft is on the server
    page.reload()
    expect(page.locator(".sheet-set.done")).to_have_count(3)
    expect(page.locator(".sheet-set.done .amount").last).to_have_value("5")
    shots.take(page, "log-resumed-phone", keep=True)
    page.get_by_role("button", name=re.compile(r"Save the session \(3 sets\)")).click()
    expect(page.get_by_role("status").first).to_contain_text("Saved: 3 sets")
    page.reload()  # the saved page is a GET: a refresh stores nothing
    expect(page.get_by_role("status").first).to_contain_text("Saved: 3 sets")
    # Back on Log (the old sheet from the back-forward cache, or a fresh one) and Save
    # again: the saved key stores nothing more, a fresh sheet has nothing ticked.
    page.go_back()
    page.get_by_role("button", name=re.compile(r"Save the session")).click()
    page.wait_for_load_state("networkidle")
    after = _sessions(server, name)
    assert len(after) == before + 1
    assert [s.reps for s in after[-1].work_sets] == [5]
    page.context.close()


def test_sets_logged_offline_arrive_once_when_the_connection_returns(
    browser: Any, server: Server, shots: Shots
) -> None:
    from playwright.sync_api import expect

    page, name = _open_log(browser, server, PHONE)
    before = len(_sessions(server, name))
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.reload()  # now through the service worker, which keeps the page
    page.wait_for_load_state("networkidle")
    page.context.set_offline(True)
    for n in (1, 2, 3):
        _tick(page, f"Done: Romanian deadlift set {n}")
    net = page.locator("#net")
    expect(net).to_contain_text("You are offline. 3 sets wait to be sent")
    shots.take(page, "log-offline-phone", keep=True)
    page.reload()  # offline: the page comes from the service worker, the sets from here
    expect(page.locator(".sheet-set.done")).to_have_count(3)
    expect(net).to_contain_text("3 sets wait")
    page.get_by_role("button", name=re.compile(r"Save the session")).click()
    expect(net).to_contain_text("saved here and will be sent")
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(page.get_by_role("status").first).to_contain_text("Saved: 3 sets", timeout=20_000)
    shots.take(page, "log-back-online-phone", keep=True)
    after = _sessions(server, name)
    assert len(after) == before + 1, "one session"
    assert len(after[-1].work_sets) == 3, "with all the sets"
    page.context.close()


def test_an_lb_trainee_reads_and_types_pounds_on_a_phone(
    browser: Any, server: Server, shots: Shots
) -> None:
    from playwright.sync_api import expect

    page, name = _open_log(browser, server, PHONE)
    page.goto("/account")
    page.get_by_label("lb", exact=True).check()
    page.locator("form[action='/account/unit']").get_by_role("button", name="Save").click()
    expect(page.get_by_text("Loads are shown and typed in your unit")).to_be_visible()
    page.goto("/log")
    before = len(_sessions(server, name))
    primary = page.locator(".sheet-set[data-primary='1']")
    expect(primary.first.locator(".set-rx")).to_contain_text("143.25 lb")
    expect(primary.first.locator(".plates")).to_have_text("44 + 5.5 lb a side")
    expect(page.locator("#log-sheet")).not_to_contain_text("kg")
    expect(primary.first.get_by_label("lb")).to_have_value("143.25")
    primary.first.get_by_label("lb").fill("132.25")  # 60 kg: the bar and a 20 each side
    _tick(page, "Done: Romanian deadlift set 1")
    _tick(page, "Done: Romanian deadlift set 2")
    shots.take(page, "log-sheet-lb-phone", keep=True)
    page.get_by_role("button", name=re.compile(r"Save the session")).click()
    expect(page.get_by_role("status").first).to_contain_text("Saved: 2 sets")
    after = _sessions(server, name)
    assert len(after) == before + 1
    assert [s.load_kg for s in after[-1].work_sets] == [60, 65], "the owned loads, in kg"
    page.context.close()
