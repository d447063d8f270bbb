"""Account -> Import in a real browser: choose a Hevy export, read the preview, import it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hingecoach.services.demo import DEMO_LOGINS
from tests.e2e.browser.conftest import DESKTOP, PHONE, Server, Shots, new_page, sign_in

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"
TRAINEE = next(login for login in DEMO_LOGINS if login.role == "trainee")


def test_a_trainee_previews_and_imports_a_hevy_history(
    browser: Any, server: Server, shots: Shots
) -> None:
    from playwright.sync_api import expect

    page = new_page(browser, server, PHONE)
    sign_in(page, TRAINEE.email, TRAINEE.password)
    page.goto("/account")
    page.get_by_role("link", name="Import a training history").click()
    expect(page.get_by_role("heading", name="Import your training history")).to_be_visible()
    page.get_by_label("The file (CSV)").set_input_files(str(FIXTURES / "hevy.csv"))
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("ul.import-preview")
    expect(preview).to_contain_text("Hevy export: 9 new sets in 5 sessions")
    expect(preview).to_contain_text("Deadlift (Barbell) -> Conventional deadlift: 4 sets")
    expect(preview).to_contain_text("Leg Press (Machine): 1 set")
    shots.take(page, "import-preview-phone", keep=True)

    page.get_by_role("button", name="Import 9 sets").click()
    expect(page.get_by_role("status")).to_contain_text("Imported 9 sets into")
    shots.take(page, "import-done-phone", keep=True)

    desktop = new_page(browser, server, DESKTOP)
    sign_in(desktop, TRAINEE.email, TRAINEE.password)
    desktop.goto("/account/import")
    desktop.get_by_label("The file (CSV)").set_input_files(str(FIXTURES / "hevy.csv"))
    desktop.get_by_role("button", name="Preview").click()
    expect(desktop.locator("ul.import-preview")).to_contain_text("Already imported before")
    expect(desktop.get_by_text("Nothing new in this file")).to_be_visible()
    shots.take(desktop, "import-again-desktop", keep=True)


def test_a_bad_file_shows_one_line_and_the_form_again(
    browser: Any, server: Server, shots: Shots, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    bad = tmp_path / "future.csv"
    text = (FIXTURES / "strong.csv").read_text().replace("2024-11-02", "2099-11-02")
    bad.write_text(text)
    page = new_page(browser, server, PHONE)
    sign_in(page, TRAINEE.email, TRAINEE.password)
    page.goto("/account/import")
    page.get_by_label("The file (CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("alert")).to_contain_text("in the future")
    expect(page.get_by_role("button", name="Preview")).to_be_visible()
    shots.take(page, "import-error-phone", keep=True)
