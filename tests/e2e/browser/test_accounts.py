"""From nothing to a first session, in Chromium: a fresh database (no demo), the first
trainer from `hingecoach account add`, an invitation read from the page and from a real
SMTP server, the client's password, the red-flag questions, the movement checks, the
placement, Today and the first logged session; and a trainee who signs up alone, stopped
by a red flag first, then through on a clear run."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.browser.conftest import (
    DESKTOP,
    PHONE,
    Server,
    Shots,
    _need_chromium,
    new_page,
    serve_app,
    sign_in,
)
from tests.e2e.cli_runner import run
from tests.e2e.mailbox import Mailbox, smtp_server

TRAINER_EMAIL, PASSWORD = "cleo@gym.example", "correct horse battery"


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory, mailbox: Mailbox) -> Iterator[Server]:
    _need_chromium()
    from hingecoach.web.app import create_app
    from hingecoach.web.settings import WebSettings

    tmp = tmp_path_factory.mktemp("accounts")
    url = f"sqlite:///{tmp / 'fresh.db'}"
    stdin = io.StringIO(PASSWORD + "\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stdin", stdin)
        made = run(
            "--db",
            url,
            "account",
            "add",
            TRAINER_EMAIL,
            "--role",
            "trainer",
            "--name",
            "Cleo",
            "--password-stdin",
        )
    assert made.code == 0, made.err
    settings = WebSettings(
        database_url=url,
        secret_key="browser-accounts-" + "x" * 32,
        media_dir=tmp / "media",
        jobs_file=tmp / "jobs.db",
        login_rate="1000/minute",
        login_rate_per_address="1000/minute",
        smtp_url=mailbox.url,
    )
    with serve_app(create_app(settings)) as served:
        yield served


def _about_you(page: Any) -> None:
    page.get_by_label("Age").fill("52")
    page.get_by_label(re.compile("^Body mass")).fill("81")
    page.get_by_label(re.compile("^Kettlebells you own")).fill("12,16")
    page.get_by_role("button", name="Next: safety questions").click()


def _safety(page: Any, yes: tuple[str, ...] = ()) -> None:
    for legend in page.locator("fieldset.yesno legend").all_inner_texts():
        group = page.locator("fieldset.yesno", has_text=legend)
        group.get_by_label("Yes" if legend in yes else "No", exact=True).check()
    page.get_by_label(re.compile("^Pain right now")).fill("1")
    page.get_by_role("button", name="Next: movement checks").click()


def _screens(page: Any, shots: Shots, name: str) -> None:
    from playwright.sync_api import expect

    for number in range(1, 7):
        expect(page.get_by_text(f"check {number} of 6")).to_be_visible()
        expect(page.locator("svg.screen-art")).to_be_visible()
        if number == 1:
            shots.take(page, f"{name}-screen", keep=True)
        if page.get_by_label("Yes", exact=True).count():
            page.get_by_label("Yes", exact=True).check()
        elif page.get_by_role("radio", name=re.compile("^Between the other knee")).count():
            page.get_by_role("radio", name=re.compile("^Between the other knee")).check()
        button = "See where I start" if number == 6 else "Next check"
        page.get_by_role("button", name=button).click()


def _log_first_session(page: Any) -> int:
    from playwright.sync_api import expect

    page.get_by_role("link", name="Log", exact=True).click()
    expect(page.get_by_role("heading", name="Primary")).to_be_visible()
    ticks = page.locator('.sheet-set[data-primary="1"] button.tick')
    logged: int = ticks.count()
    for number in range(logged):
        ticks.nth(number).click()
    expect(page.locator(".sheet-set.done")).to_have_count(logged)
    page.get_by_role("button", name=re.compile(r"Save the session")).click()
    expect(page.get_by_role("status").first).to_contain_text(f"Saved: {logged} sets")
    return logged


def test_invited_client_from_nothing_to_a_first_session(
    browser: Any, fresh: Server, mailbox: Mailbox, shots: Shots
) -> None:
    from playwright.sync_api import expect

    trainer = new_page(browser, fresh, DESKTOP)
    sign_in(trainer, TRAINER_EMAIL, PASSWORD)
    assert trainer.url.endswith("/clients")
    trainer.get_by_label("Their name").fill("Una")
    trainer.get_by_label("Their email").fill("una@example.com")
    trainer.get_by_role("button", name="Invite").click()
    expect(trainer.get_by_role("status")).to_contain_text("We emailed the link")
    shown = trainer.get_by_label("Invitation link").input_value()
    assert shown == mailbox.link("una@example.com", "/invite/")
    expect(trainer.locator("li.pending")).to_contain_text("Invited")
    shots.take(trainer, "clients-invited-desktop", keep=True)

    client = new_page(browser, fresh, PHONE)
    client.goto(shown)
    expect(client.get_by_role("heading", name="Welcome, Una")).to_be_visible()
    shots.take(client, "invitation-phone", keep=True)
    client.get_by_label(re.compile("^Password \\(")).fill(PASSWORD)
    client.get_by_label("Password again").fill(PASSWORD)
    client.get_by_role("button", name="Set my password and start").click()
    expect(client.get_by_role("heading", name="First assessment")).to_be_visible()
    shots.take(client, "about-you-phone", keep=True)
    _about_you(client)
    shots.take(client, "safety-phone", keep=True)
    _safety(client)
    _screens(client, shots, "invited-phone")
    expect(client.get_by_role("heading", name="Where you start")).to_be_visible()
    placed = client.locator("h2.exercise").inner_text()
    assert placed and "-" not in placed.split()[0]  # a name, not an id
    shots.take(client, "placement-phone", keep=True)
    client.get_by_role("link", name="See today's session").click()
    expect(client.locator("h2.exercise")).to_be_visible()
    logged = _log_first_session(client)
    client.goto("/history")
    expect(client.locator("ul.history > li").first).to_contain_text(f"{logged} work")

    trainer.goto("/clients")
    expect(trainer.locator("ul.clients")).to_contain_text("Una")
    expect(trainer.locator("li.pending")).to_have_count(0)
    shots.take(trainer, "clients-after-desktop", keep=True)
    used = new_page(browser, fresh, PHONE)
    used.goto(shown)
    expect(used.get_by_role("alert")).to_contain_text("used already")


def test_a_trainee_signs_up_alone_a_red_flag_stops_then_a_clear_run(
    browser: Any, fresh: Server, shots: Shots
) -> None:
    from playwright.sync_api import expect

    page = new_page(browser, fresh, PHONE)
    page.goto("/login")
    page.get_by_role("link", name="Start training").click()
    page.get_by_label("Your name").fill("Vic")
    page.get_by_label("Email").fill("vic@example.com")
    page.get_by_label(re.compile("^Password \\(")).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    shots.take(page, "signup-phone", keep=True)
    page.get_by_role("button", name="Make my account").click()
    _about_you(page)
    _safety(page, yes=("Numbness in the saddle area (between the legs, buttocks)?",))
    expect(page.get_by_role("heading", name="Stop here for now")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("emergency")
    shots.take(page, "red-flag-stop-phone", keep=True)

    page.goto("/today")  # not placed: back to the assessment (records now exist)
    expect(page.get_by_role("heading", name="First assessment")).to_be_visible()
    _safety(page)
    _screens(page, shots, "signup-desktop")
    expect(page.get_by_role("heading", name="Where you start")).to_be_visible()
    page.get_by_role("link", name="See today's session").click()
    expect(page.locator("h2.exercise")).to_be_visible()
    desktop = new_page(browser, fresh, DESKTOP)
    sign_in(desktop, "vic@example.com", PASSWORD)
    assert desktop.url.endswith("/today")
    shots.take(desktop, "today-after-signup-desktop", keep=True)
