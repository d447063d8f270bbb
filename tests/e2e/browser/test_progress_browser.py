"""The progress page in a real browser (Debian's Chromium), phone and desktop: the charts
drawn as SVG from the progress series, in the trainee's unit (an lb trainee reads lb in
the charts, their tables and the records)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.browser.conftest import DESKTOP, PHONE, Server, Shots, new_page, sign_in
from tests.e2e.web.logsheet import add_barbell_trainee

pytestmark = pytest.mark.slow

PASSWORD = "progress-test-password"


def test_an_lb_trainee_reads_progress_in_pounds_on_phone_and_desktop(
    browser: Any, server: Server, shots: Shots
) -> None:
    from playwright.sync_api import expect

    add_barbell_trainee(server.app.state.settings.database_url, "Rae", "rae@example.com", PASSWORD)
    for viewport, size in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page = new_page(browser, server, viewport)
        sign_in(page, "rae@example.com", PASSWORD)
        if size == "phone":
            page.goto("/account")
            page.get_by_label("lb", exact=True).check()
            page.locator("form[action='/account/unit']").get_by_role("button", name="Save").click()
            expect(page.get_by_text("Loads are shown and typed in your unit")).to_be_visible()
        page.goto("/progress")
        charts = page.locator("svg.chart")
        expect(charts).to_have_count(6)
        for i in range(6):
            box = charts.nth(i).bounding_box()
            assert box is not None and box["width"] <= viewport["width"], "fits the screen"
            assert box["height"] > 100, "drawn at a readable size"
        records = page.locator("#records")
        expect(records).to_contain_text("132.25 lb x 8")
        expect(records).not_to_contain_text("kg")
        page.locator("#e1rm summary").click()
        expect(page.locator("#e1rm table")).to_contain_text("e1RM lb (band)")
        expect(page.locator("#e1rm svg")).to_contain_text("lb")
        shots.take(page, f"progress-lb-{size}", keep=True)
        page.context.close()
