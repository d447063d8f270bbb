"""A plan as an RFC 5545 calendar: one event per session (R-PLAN-5), with the icalendar
library (never hand-written text).

Each event starts on the session's day at ``at`` (18:00 unless asked), in ``time_zone``
when one is given (with its VTIMEZONE), else at a floating local time; it lasts the
session's estimated length and holds the session in its description. A subscribed feed
also says how often to fetch it again (``refresh``).
UIDs are stable across re-plans (trainee, plan start, week, slot), so importing the file
again updates the events instead of doubling them. Missed and dropped sessions are kept,
marked cancelled.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vDuration

from hingecoach.plan import Plan, PlanSession, PlanWeek, SessionStatus
from hingecoach.plan.defaults import SESSION_TIME
from hingecoach.render.text import session_text

__all__ = ["plan_ics", "session_uid"]

_CANCELLED = (SessionStatus.MISSED, SessionStatus.DROPPED)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "plan"


def session_uid(plan: Plan, week: PlanWeek, session: PlanSession) -> str:
    """Stable across re-plans: a moved session keeps its id, so calendars update it."""
    who = _slug(plan.name or "plan")
    return f"{who}-{plan.start:%Y%m%d}-w{week.number:02d}-s{session.slot}@hingecoach"


def _summary(week: PlanWeek, session: PlanSession) -> str:
    primary = session.primary
    what = primary.name if primary is not None else "Hinge session"
    title = f"Hinge {session.variant}: {what}"
    if week.is_deload:
        title += " (deload)"
    if session.status in _CANCELLED:
        title += f" ({session.status.value})"
    return title


def plan_ics(
    plan: Plan,
    *,
    at: dt.time = SESSION_TIME,
    time_zone: str | None = None,
    refresh: dt.timedelta | None = None,
) -> bytes:
    """The calendar file's bytes: a VCALENDAR with one VEVENT per session of the plan.

    ``time_zone`` (an IANA name) pins each start to that zone; ``refresh`` (a feed) asks
    calendar apps to fetch it again that often (RFC 7986 REFRESH-INTERVAL)."""
    zone = ZoneInfo(time_zone) if time_zone else None
    cal = Calendar()
    cal.add("prodid", "-//hingecoach//training plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Hinge plan{f' for {plan.name}' if plan.name else ''}")
    if time_zone:
        cal.add("x-wr-timezone", time_zone)
    if refresh is not None:
        cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(refresh))
    stamp = dt.datetime.combine(plan.as_of, dt.time(0, 0), tzinfo=dt.UTC)
    for week, session in plan.sessions():
        event = Event()
        event.add("uid", session_uid(plan, week, session))
        event.add("dtstamp", stamp)
        event.add("dtstart", dt.datetime.combine(session.date, at, tzinfo=zone))
        event.add("duration", dt.timedelta(minutes=session.minutes))
        event.add("summary", _summary(week, session))
        event.add("description", session_text(week, session))
        event.add("categories", ["Training"])
        event.add("status", "CANCELLED" if session.status in _CANCELLED else "CONFIRMED")
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    if zone is not None:  # the zone's rules around the plan's dates, not since 1970
        cal.add_missing_timezones(
            first_date=plan.start - dt.timedelta(days=366), last_date=plan.end + dt.timedelta(366)
        )
    data: bytes = cal.to_ical()
    return data
