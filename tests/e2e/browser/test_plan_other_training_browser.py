"""A Strong history with leg days, imported in the browser, shows on the Plan page: each
week's load with its reason, rule ids as links, and no light accessory hinge (R-PLAN-4,
R-PLAN-2), at phone and desktop size."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from hingecoach.coach import demo_profile, demo_screen_answers
from hingecoach.coach.models import OwnedEquipment
from hingecoach.knowledge import load_catalogue
from hingecoach.services.accounts import create_account
from hingecoach.services.coaching import assess_trainee
from hingecoach.services.trainees import add_trainee
from tests.e2e.browser.conftest import DESKTOP, PHONE, Server, Shots, new_page, sign_in

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "imports"
LAST_DAY = dt.date(2025, 3, 2)  # the fixture's last day, a Sunday
EMAIL, PASSWORD = "flo@example.com", "legs and hinges 2026"


def _recent_csv(folder: Path) -> Path:
    """The fixture moved by whole weeks so that it ends on the Sunday before this Monday."""
    today = dt.date.today()
    shift = (today - dt.timedelta(days=today.weekday() + 1)) - LAST_DAY
    text = (FIXTURE / "strong_other_training.csv").read_text(encoding="utf-8")
    moved = re.sub(
        r"\d{4}-\d{2}-\d{2}", lambda m: str(dt.date.fromisoformat(m.group(0)) + shift), text
    )
    path = folder / "strong.csv"
    path.write_text(moved, encoding="utf-8")
    return path


def _flo(server: Server) -> None:
    """A trainee who squats and leg-presses three days a week besides deadlifting."""
    engine = server.app.state.engine
    kit = OwnedEquipment(
        barbell_kg=20, plates_kg=[25, 20, 10, 5, 2.5, 1.25], kettlebells_kg=[16, 24],
    )  # fmt: skip
    add_trainee(engine, "Flo", demo_profile().model_copy(update={"equipment": kit}))
    today = dt.date.today()
    assess_trainee(engine, "Flo", demo_screen_answers(), load_catalogue(None), today)
    create_account(
        engine, email=EMAIL, password=PASSWORD, display_name="Flo", role="trainee",
        trainee_name="Flo",
    )  # fmt: skip


def test_the_plan_shows_and_counts_imported_leg_days(
    browser: Any, server: Server, shots: Shots, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    _flo(server)
    page = new_page(browser, server, PHONE)
    sign_in(page, EMAIL, PASSWORD)
    page.goto("/account/import")
    page.get_by_label("The file (CSV)").set_input_files(str(_recent_csv(tmp_path)))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("ul.import-preview")).to_contain_text("Leg Press")
    page.get_by_role("button", name=re.compile(r"^Import \d+ sets$")).click()
    expect(page.get_by_role("status")).to_contain_text("Imported")

    page.goto("/plan")
    load = page.locator("p.week-load").nth(1)
    expect(load).to_contain_text("Squat (Barbell)")
    expect(load).to_contain_text("Leg Press")
    expect(load.get_by_role("link", name="R-PLAN-4")).to_have_attribute(
        "href", re.compile(r"/rules/R-PLAN-4$")
    )
    shots.take(page, "plan-other-training-phone", keep=True)

    desktop = new_page(browser, server, DESKTOP)
    sign_in(desktop, EMAIL, PASSWORD)
    desktop.goto("/plan")
    expect(desktop.locator("p.week-load").first).to_be_visible()
    shots.take(desktop, "plan-other-training-desktop", keep=True)
