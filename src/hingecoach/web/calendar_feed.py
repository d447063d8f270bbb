"""The calendar feed: a private subscription URL per trainee that follows re-planning.

- ``GET /calendar/{token}.ics``: the feed. No sign-in (the secret token in the URL is the
  credential); an unknown, replaced or revoked token is 404. Built from the plan as it
  stands on each fetch, at the trainee's training time in their time zone. Fetches are
  limited per address; a fetched copy may be reused for ``calendar_feed_cache_s``.
- *Account* → *Calendar* (``/account/calendar``): make the URL (shown once, with a copy
  button), make a new one (the old one stops), revoke it, and set the time zone and
  training time.
- ``GET/POST/DELETE /api/v1/trainees/{name}/calendar-feed``: read, issue and revoke,
  ``PATCH`` sets the time zone and training time; the same access as every trainee route.

The one-off download (``/plan.ics``) stays as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine

from hingecoach.errors import InputError
from hingecoach.services import calendar_feed as feeds
from hingecoach.services.calendar_feed import CalendarSettings, FeedStatus
from hingecoach.web.account_pages import link_url
from hingecoach.web.api_router import json_router
from hingecoach.web.deps import (
    CatalogueDep,
    EngineDep,
    OwnTrainee,
    TodayDep,
    TraineeAccount,
    VisibleTrainee,
    in_writer,
)
from hingecoach.web.templating import render

__all__ = ["CalendarFeedPublic", "CalendarSettingsUpdate", "api_router", "router"]

router = APIRouter(include_in_schema=False)
api_router = json_router(
    {
        401: "No API token, or not a valid one",
        404: "No such trainee among the ones you can see",
        422: "The input is not valid",
    }
)

_GONE = (
    "This calendar link does not work any more: it was revoked or replaced. "
    "Make a new one on your Account page, under Calendar.\n"
)
_SLOW_DOWN = "Too many calendar requests from this address. Wait a minute, then try again.\n"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


# ---------------------------------------------------------------- the feed


@router.api_route("/calendar/{token}.ics", methods=["GET", "HEAD"])
def calendar(
    request: Request, token: str, engine: EngineDep, catalogue: CatalogueDep, today: TodayDep
) -> Response:
    settings = request.app.state.settings
    if not request.app.state.calendar_limiter.allow(_address(request)):
        return PlainTextResponse(
            _SLOW_DOWN, status_code=429, headers={"Retry-After": "60", "Cache-Control": "no-store"}
        )
    name = feeds.trainee_for_token(engine, token)
    if name is None:
        return PlainTextResponse(_GONE, status_code=404, headers={"Cache-Control": "no-store"})
    body = feeds.feed_calendar(
        engine,
        name,
        catalogue,
        today=today,
        weeks=settings.calendar_feed_weeks,
        refresh=dt.timedelta(seconds=settings.calendar_feed_refresh_s),
    )
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {
        # private: the URL is a secret, so no shared cache keeps a copy
        "Cache-Control": f"private, max-age={settings.calendar_feed_cache_s}",
        "ETag": etag,
        "X-Robots-Tag": "noindex",
        "Content-Disposition": 'inline; filename="hinge-plan.ics"',
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


# ---------------------------------------------------------------- Account -> Calendar


def _feed_url(request: Request, token: str) -> str:
    return link_url(request, feeds.feed_path(token))


def _page(
    request: Request,
    engine: EngineDep,
    name: str,
    *,
    url: str | None = None,
    error: str | None = None,
    message: str | None = None,
    status_code: int = 200,
) -> Response:
    import zoneinfo

    values = {
        "feed": feeds.feed_status(engine, name),
        "calendar": feeds.calendar_settings(engine, name),
        "url": url,
        "webcal": "webcal://" + url.split("://", 1)[1] if url else None,
        "error": error,
        "message": message,
        "zones": sorted(zoneinfo.available_timezones()),
    }
    return render(request, "calendar.html", values, status=status_code)


@router.get("/account/calendar", response_class=HTMLResponse)
def calendar_page(
    request: Request, engine: EngineDep, account: TraineeAccount, name: OwnTrainee
) -> Response:
    saved = request.query_params.get("saved")
    message = {
        "settings": "Saved. The calendar shows sessions at this time from its next fetch.",
        "revoked": "The calendar link is revoked: calendars subscribed to it get no more "
        "updates. Remove the calendar from your calendar app too.",
    }.get(saved or "")
    return _page(request, engine, name, message=message)


@router.post("/account/calendar", response_class=HTMLResponse)
async def issue_calendar(
    request: Request, engine: EngineDep, account: TraineeAccount, name: OwnTrainee
) -> Response:
    """A new subscription URL, shown once (a URL made before stops working)."""
    token = await in_writer(feeds.issue_feed, engine, name, _now())
    return _page(request, engine, name, url=_feed_url(request, token))


@router.post("/account/calendar/revoke")
async def revoke_calendar(engine: EngineDep, account: TraineeAccount, name: OwnTrainee) -> Response:
    await in_writer(feeds.revoke_feed, engine, name)
    return RedirectResponse("/account/calendar?saved=revoked", status_code=303)


@router.post("/account/calendar/settings", response_class=HTMLResponse)
async def calendar_settings(
    request: Request,
    engine: EngineDep,
    account: TraineeAccount,
    name: OwnTrainee,
    time_zone: Annotated[str, Form(max_length=64)] = "",
    training_time: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    try:
        await in_writer(_save_settings, engine, name, time_zone or None, training_time or None)
    except InputError as exc:
        message = str(exc)
        return _page(
            request, engine, name, error=message[:1].upper() + message[1:], status_code=422
        )
    return RedirectResponse("/account/calendar?saved=settings", status_code=303)


def _save_settings(
    engine: Engine, name: str, time_zone: str | None, training_time: str | None
) -> CalendarSettings:
    return feeds.set_calendar_settings(
        engine, name, time_zone=time_zone, training_time=training_time
    )


# ---------------------------------------------------------------- the API


class CalendarFeedPublic(BaseModel):
    """A trainee's calendar subscription. The URL is only known when it is made (only a
    digest of its secret is kept): ``url`` is null on every other answer."""

    active: bool = Field(description="a subscription URL works now")
    issued_at: dt.datetime | None = Field(description="when the working URL was made")
    url: str | None = Field(
        default=None, description="the subscription URL (an https ICS feed), only when made"
    )
    time_zone: str | None = Field(description="IANA time zone of the events (null: floating)")
    training_time: str = Field(description="when each session's event starts, HH:MM")
    weeks: int = Field(description="weeks the feed holds, from this week's Monday")


class CalendarSettingsUpdate(BaseModel):
    """The time zone and training time the calendar uses; a field left out stays as it is,
    a null clears it (floating time; 18:00)."""

    model_config = ConfigDict(extra="forbid")

    time_zone: str | None = Field(
        default=None, max_length=64, description="an IANA name such as Europe/Lisbon"
    )
    training_time: str | None = Field(
        default=None,
        pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
        description="HH:MM, 24-hour clock",
    )


def _public(
    request: Request, state: FeedStatus, calendar: CalendarSettings, token: str | None = None
) -> CalendarFeedPublic:
    return CalendarFeedPublic(
        active=state.active,
        issued_at=state.issued_at,
        url=_feed_url(request, token) if token else None,
        time_zone=calendar.time_zone,
        training_time=calendar.at.strftime("%H:%M"),
        weeks=request.app.state.settings.calendar_feed_weeks,
    )


@api_router.get("/trainees/{name}/calendar-feed", response_model=CalendarFeedPublic)
def read_feed(request: Request, name: VisibleTrainee, engine: EngineDep) -> CalendarFeedPublic:
    """Whether the trainee has a calendar subscription URL, and when its events start."""
    return _public(request, feeds.feed_status(engine, name), feeds.calendar_settings(engine, name))


@api_router.post(
    "/trainees/{name}/calendar-feed",
    response_model=CalendarFeedPublic,
    status_code=status.HTTP_201_CREATED,
)
async def issue_feed(
    request: Request, name: VisibleTrainee, engine: EngineDep
) -> CalendarFeedPublic:
    """Make a new subscription URL (shown in this answer only); one made before stops."""
    token = await in_writer(feeds.issue_feed, engine, name, _now())
    state = feeds.feed_status(engine, name)
    return _public(request, state, feeds.calendar_settings(engine, name), token)


@api_router.delete("/trainees/{name}/calendar-feed", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_feed(name: VisibleTrainee, engine: EngineDep) -> Response:
    """Revoke the subscription URL: it answers 404 from now on. Revoking none is fine."""
    await in_writer(feeds.revoke_feed, engine, name)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@api_router.patch("/trainees/{name}/calendar-feed", response_model=CalendarFeedPublic)
async def update_feed(
    request: Request, name: VisibleTrainee, body: CalendarSettingsUpdate, engine: EngineDep
) -> CalendarFeedPublic:
    """Set the time zone and training time of the events (kept in the trainee's profile)."""
    current = feeds.calendar_settings(engine, name)
    given = body.model_fields_set
    zone = body.time_zone if "time_zone" in given else current.time_zone
    if "training_time" in given:
        at = body.training_time
    else:
        at = current.training_time.strftime("%H:%M") if current.training_time else None
    calendar = await in_writer(_save_settings, engine, name, zone, at)
    return _public(request, feeds.feed_status(engine, name), calendar)
