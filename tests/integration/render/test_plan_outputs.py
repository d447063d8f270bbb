"""The plan's outputs (R-PLAN-5): the calendar parses back with icalendar, one event per
session; the printable HTML has one page per week (and prints so in Chromium, if here)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from icalendar import Calendar

from hingecoach.coach import demo_history, demo_profile
from hingecoach.knowledge import load_catalogue
from hingecoach.plan import Plan, SessionStatus, build_plan, replan
from hingecoach.render import find_chromium, plan_html, plan_ics, print_pdf


@pytest.fixture(scope="module")
def plan() -> Plan:
    catalogue = load_catalogue([])
    history = demo_history(weeks=12)
    who = demo_profile()
    start = history.sessions[-1].date - dt.timedelta(days=6)  # the last week of the history
    built = build_plan(who, history, catalogue, weeks=6, start=start)
    return replan(built, who, history, catalogue, as_of=history.sessions[-1].date + dt.timedelta(1))


def test_ics_parses_back_with_one_event_per_session(plan: Plan) -> None:
    calendar = Calendar.from_ical(plan_ics(plan, at=dt.time(7, 30)))
    events = list(calendar.walk("VEVENT"))
    sessions = [(w, s) for w, s in plan.sessions()]
    assert len(events) == len(sessions) > 0
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    for event, (week, session) in zip(events, sessions, strict=True):
        start = event.decoded("DTSTART")
        assert start == dt.datetime.combine(session.date, dt.time(7, 30))
        assert event.decoded("DURATION") == dt.timedelta(minutes=session.minutes)
        description = str(event["DESCRIPTION"])
        assert f"Week {week.number}" in description
        if session.blocks:
            assert session.blocks[1].exercises[0].name in description
        cancelled = session.status in (SessionStatus.MISSED, SessionStatus.DROPPED)
        assert (str(event["STATUS"]) == "CANCELLED") == cancelled
    assert str(calendar["VERSION"]) == "2.0" and "hingecoach" in str(calendar["PRODID"])


def test_ics_uids_are_stable_across_replans(plan: Plan) -> None:
    catalogue = load_catalogue([])
    later = replan(plan, demo_profile(), demo_history(weeks=12), catalogue, as_of=plan.as_of)
    first = [str(e["UID"]) for e in Calendar.from_ical(plan_ics(plan)).walk("VEVENT")]
    again = [str(e["UID"]) for e in Calendar.from_ical(plan_ics(later)).walk("VEVENT")]
    assert first == again


def test_html_has_one_page_per_week(plan: Plan) -> None:
    html = plan_html(plan)
    assert html.count('<section class="week"') == len(plan.plan_weeks)
    assert "@page" in html and "page-break-after: always" in html
    assert len(re.findall(r'class="session"', html)) == sum(1 for _ in plan.sessions())
    assert "R-PLAN-1" in html and "deload" in html.lower()


def test_html_escapes_text() -> None:
    catalogue = load_catalogue([])
    who = demo_profile().model_copy(update={"name": "<b>Kim</b>"})
    built = build_plan(who, demo_history(weeks=4), catalogue, weeks=4, start=dt.date(2024, 2, 1))
    html = plan_html(built)
    assert "<b>Kim</b>" not in html and "&lt;b&gt;Kim&lt;/b&gt;" in html


@pytest.mark.skipif(find_chromium() is None, reason="Chromium is not installed here")
def test_pdf_prints_a_page_per_week(plan: Plan, tmp_path: Path) -> None:
    source = tmp_path / "plan.html"
    source.write_text(plan_html(plan), encoding="utf-8")
    pdf = tmp_path / "plan.pdf"
    print_pdf(source, pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages == len(plan.plan_weeks)
