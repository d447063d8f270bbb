"""In a real browser (Debian's Chromium): a rule id beside a decision on Today is a small
link to the rule's page, which explains it in plain words; the rule pages need no sign-in.
Screenshots at phone (390 px) and desktop (1280 px) widths, copied to /tmp/shots.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from hingecoach.services.demo import DEMO_LOGINS
from tests.e2e.browser.conftest import DESKTOP, PHONE, Server, Shots, new_page, sign_in

pytestmark = pytest.mark.slow

TRAINEE = next(x for x in DEMO_LOGINS if x.role == "trainee")


def test_a_rule_page_reads_well_on_a_phone_without_signing_in(
    browser: Any, server: Server, shots: Shots
) -> None:
    from playwright.sync_api import expect

    page = new_page(browser, server, PHONE)
    response = page.goto("/rules/R-PROG-1")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Moving on to the next exercise")
    expect(page.locator("p.lead")).to_contain_text("two sessions in a row")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the rule page scrolls sideways on a phone"
    shots.take(page, "rule-prog-1-phone", keep=True)

    page.get_by_role("link", name="All the coaching rules").click()
    expect(page.get_by_role("heading", name="Safety first")).to_be_visible()
    shots.take(page, "rules-phone", keep=True)


def test_a_rule_id_on_today_opens_its_explanation(
    browser: Any, server: Server, shots: Shots
) -> None:
    from playwright.sync_api import expect

    page = new_page(browser, server, DESKTOP)
    sign_in(page, TRAINEE.email, TRAINEE.password)
    link = page.locator("a.rule").first
    expect(link).to_be_visible()
    rule_id = link.inner_text()
    assert re.fullmatch(r"R-[A-Z]+-\d+", rule_id)
    shots.take(page, "today-rule-links-desktop", keep=True)
    link.click()
    expect(page).to_have_url(re.compile(f"/rules/{rule_id}$"))
    expect(page.locator(".eyebrow")).to_contain_text(rule_id)
    shots.take(page, "rule-desktop", keep=True)
