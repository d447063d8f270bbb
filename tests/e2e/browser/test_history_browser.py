"""In a real browser: History and Decisions read well on a phone (plain names, newest
first, paged, each entry opening its detail), and a trainee fixes a mistake in a logged
set and sees Today change. Screenshots at phone (390 px) and desktop (1280 px) widths;
the ones kept are copied to /tmp/shots."""

from __future__ import annotations

import re
from typing import Any

import pytest

from hingecoach.services.demo import DEMO_LOGINS
from tests.e2e.browser.conftest import DESKTOP, PHONE, Server, Shots, new_page, sign_in

pytestmark = pytest.mark.slow

TRAINEE = next(x for x in DEMO_LOGINS if x.role == "trainee")
TRAINER = DEMO_LOGINS[0]
PHONE_PAGE_MAX_PX = 4000  # a page of either list on a phone (they were 7,000-11,000 px)


def _height(page: Any) -> int:
    height: int = page.evaluate("document.documentElement.scrollHeight")
    return height


def test_history_and_decisions_are_short_readable_pages(
    browser: Any, server: Server, shots: Shots
) -> None:
    from playwright.sync_api import expect

    page = new_page(browser, server, PHONE)
    sign_in(page, TRAINEE.email, TRAINEE.password)
    page.goto("/history")
    entries = page.locator("ul.history > li")
    expect(entries.first).to_be_visible()
    assert entries.count() <= 20
    text = page.locator("ul.history").inner_text()
    assert "wall-hip-hinge" not in text and "kettlebell-deadlift" not in text  # names, not ids
    dates = page.locator("ul.history .when").all_inner_texts()
    assert len(dates) >= 2
    assert _height(page) < PHONE_PAGE_MAX_PX
    shots.take(page, "history-phone", keep=True)
    if page.get_by_role("link", name="Older →").count():
        page.get_by_role("link", name="Older →").click()
        expect(page.locator("nav.pager")).to_contain_text("Page 2")
        page.go_back()
    entries.first.locator("a").click()
    expect(page.get_by_role("heading", name="Fix a mistake")).to_be_visible()
    shots.take(page, "session-detail-phone", keep=True)

    page.goto("/decisions")
    items = page.locator("ol.decisions > li")
    expect(items.first).to_be_visible()
    assert items.count() <= 20
    assert _height(page) < PHONE_PAGE_MAX_PX
    second = items.nth(1)
    expect(second.locator("p.rules")).to_be_hidden()  # one line until opened
    second.locator("summary.head").click()
    expect(second.locator("p.rules")).to_be_visible()
    shots.take(page, "decisions-phone", keep=True)

    desktop = new_page(browser, server, DESKTOP)
    sign_in(desktop, TRAINEE.email, TRAINEE.password)
    desktop.goto("/history")
    shots.take(desktop, "history-desktop", keep=True)
    desktop.goto("/decisions")
    shots.take(desktop, "decisions-desktop", keep=True)


def test_a_trainee_edits_a_sets_reps_and_today_changes(
    browser: Any, server: Server, shots: Shots
) -> None:
    from playwright.sync_api import expect

    page = new_page(browser, server, PHONE)
    sign_in(page, TRAINEE.email, TRAINEE.password)
    page.goto("/today")
    page.locator("section.decision details summary").first.click()
    today_before = page.locator("main").inner_text()
    page.goto("/history")
    hinge = page.locator("ul.history > li").filter(has_not_text="Push-up").first
    hinge.locator("a").click()
    sets = page.locator("fieldset.set-edit")
    last = sets.count()
    amount = page.locator(f'input[name="amount-{last}"]')
    old = amount.input_value()
    new = "1" if old != "1" else "2"  # a real change, whatever the session held
    amount.fill(new)
    page.get_by_label("What was wrong").fill("I typed the wrong number")
    shots.take(page, "session-edit-phone", keep=True)
    page.get_by_role("button", name="Save the correction").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    expect(page.locator("ol.notes")).to_contain_text(f"set {last}: reps {old} -> {new}")
    expect(page.locator("ol.notes")).to_contain_text("Replaced decision #")
    shots.take(page, "session-corrected-phone", keep=True)
    page.goto("/today")
    page.locator("section.decision details summary").first.click()
    assert page.locator("main").inner_text() != today_before
    # the evidence quotes the corrected reps ("3 sets of 12/12/1", "1 set of 1")
    details = page.locator("section.decision details")
    expect(details).to_contain_text(re.compile(rf"(/| of ){new}\b"))
    page.goto("/decisions")
    expect(page.locator("ol.decisions > li").first).to_contain_text("after a correction")
    shots.take(page, "decisions-after-correction-phone", keep=True)


def test_an_lb_trainee_sees_and_types_lb(browser: Any, server: Server, shots: Shots) -> None:
    from playwright.sync_api import expect

    page = new_page(browser, server, PHONE)
    sign_in(page, TRAINEE.email, TRAINEE.password)
    try:
        page.goto("/account")
        page.get_by_label("lb").check()
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text("your unit")
        page.goto("/today")
        load = page.locator("dl.dose").inner_text()
        assert " lb" in load and " kg" not in load
        shots.take(page, "today-lb-phone", keep=True)
        page.goto("/history")
        loaded = page.locator("ul.history > li").filter(has_text=" lb").first
        expect(loaded).to_be_visible()
        loaded.locator("a").click()
        expect(page.get_by_text("Load (lb)").first).to_be_visible()
        field = page.locator("fieldset.set-edit input[name^=load-]").last
        shown = field.input_value()
        assert shown and float(shown) > 0
        field.fill(f"{shown} lb")  # typed with its unit: the same owned load
        page.get_by_role("button", name="Save the correction").click()
        expect(page.get_by_role("status")).to_contain_text("Saved")
        assert page.locator("fieldset.set-edit input[name^=load-]").last.input_value() == shown
        shots.take(page, "session-lb-phone", keep=True)
    finally:
        page.goto("/account")
        page.get_by_label("kg").check()
        page.get_by_role("button", name="Save", exact=True).click()
