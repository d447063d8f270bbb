"""Progress and plan pages, for the trainee and for their trainer, and progress as JSON.

- ``/progress``, ``/clients/{name}/progress``: charts of R-TRACK-2 (inline SVG) with a data
  table under each, personal records, and the insights of R-TRACK-3 as sentences;
- ``/plan``, ``/clients/{name}/plan``: the weeks of the plan (R-PLAN-1..5), with the
  printable page (``.../plan/print``) and the calendar (``.../plan.ics``);
- ``GET /api/v1/trainees/{name}/progress``: the same numbers as JSON (bearer token).

Access is the same as every other route: a trainee sees only their own pages, a trainer
only their clients' (anyone else's name is 404, exactly like a name that does not exist).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy import Engine

from hingecoach.coach.tracking import Progress
from hingecoach.knowledge import Catalogue
from hingecoach.plan import Plan
from hingecoach.render import plan_html
from hingecoach.services.calendar_feed import feed_calendar
from hingecoach.services.plans import plan_for
from hingecoach.services.progress import cached_progress
from hingecoach.services.views import ViewCache
from hingecoach.web.charts import charts_for
from hingecoach.web.deps import (
    ApiAccount,
    CatalogueDep,
    ClientName,
    EngineDep,
    OwnTrainee,
    TodayDep,
    TraineeAccount,
    TrainerAccount,
    ViewsDep,
    VisibleTrainee,
    cached_view,
)
from hingecoach.web.templating import render, render_fragment

__all__ = ["router"]

router = APIRouter()

PLAN_WEEKS = 8  # R-PLAN-4: a cycle of 4-16 weeks; the CLI's default length
SPANS = {"12": 12, "26": 26, "52": 52, "all": None}  # weeks shown in the charts
DEFAULT_SPAN = "26"

Span = Annotated[str, Query(max_length=8, description="Weeks to chart: 12, 26, 52 or all")]


# ---------------------------------------------------------------- progress


def _client_base(name: str) -> str:
    return "/clients/" + quote(name, safe="")


async def _progress(
    views: ViewCache, engine: EngineDep, catalogue: CatalogueDep, name: str, today: dt.date
) -> Progress:
    return await cached_view(
        views,
        engine,
        name,
        ("progress", today),
        lambda: cached_progress(engine, name, catalogue, as_of=today),
    )


async def _progress_page(
    request: Request,
    engine: EngineDep,
    catalogue: CatalogueDep,
    name: str,
    today: dt.date,
    span: str,
    base: str,
) -> Response:
    """async: a repeat view is one small query and a render; progress and its charts
    are computed (in a thread) once per change to the trainee's records."""
    span = span if span in SPANS else DEFAULT_SPAN
    views: ViewCache = request.app.state.views
    trainer_view = base.startswith("/clients/")

    def compute() -> Markup:
        from hingecoach.services.trainees import get_trainee

        result = views.get(
            engine,
            name,
            ("progress", today),
            lambda: cached_progress(engine, name, catalogue, as_of=today),
        )
        unit = get_trainee(engine, name).profile.unit  # loads in the trainee's own unit
        values = {
            "name": name,
            "progress": result,
            "charts": charts_for(result, SPANS[span], unit),
            "unit": unit,
            "span": span,
            "spans": list(SPANS),
            "base": base,
            "trainer_view": trainer_view,
        }
        return render_fragment("_progress_body.html", values)

    # The page body (charts, tables, insights) is drawn once per change to the records.
    body = await cached_view(views, engine, name, ("progress-page", today, span, base), compute)
    return render(
        request,
        "progress.html",
        {"name": name, "body": body, "trainer_view": trainer_view},
    )


@router.get("/progress", response_class=HTMLResponse, include_in_schema=False)
async def my_progress(
    request: Request,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TraineeAccount,
    name: OwnTrainee,
    today: TodayDep,
    span: Span = DEFAULT_SPAN,
) -> Response:
    return await _progress_page(request, engine, catalogue, name, today, span, "")


@router.get("/clients/{name}/progress", response_class=HTMLResponse, include_in_schema=False)
async def client_progress(
    request: Request,
    name: ClientName,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TrainerAccount,
    today: TodayDep,
    span: Span = DEFAULT_SPAN,
) -> Response:
    return await _progress_page(request, engine, catalogue, name, today, span, _client_base(name))


@router.get(
    "/api/v1/trainees/{name}/progress",
    response_model=Progress,
    tags=["api"],
    responses={
        401: {"description": "No API token, or not a valid one"},
        404: {"description": "No such trainee among the ones you can see"},
        422: {"description": "The input is not valid"},
    },
)
async def progress_api(
    name: VisibleTrainee,
    engine: EngineDep,
    views: ViewsDep,
    catalogue: CatalogueDep,
    account: ApiAccount,
    today: TodayDep,
) -> Progress:
    """Progress (R-TRACK-2) and insights (R-TRACK-3): rung, e1RM with bands, weekly volume
    and hard sets, faults per week, pain, adherence, personal records."""
    return await _progress(views, engine, catalogue, name, today)


# ---------------------------------------------------------------- the plan


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _plan(engine: EngineDep, catalogue: CatalogueDep, name: str, today: dt.date) -> Plan:
    """The plan from this week's Monday, as it stands today (past days marked)."""
    return plan_for(engine, name, catalogue, weeks=PLAN_WEEKS, as_of=today, start=_monday(today))


def _plan_page(request: Request, plan: Plan, name: str, base: str) -> Response:
    return render(
        request,
        "plan.html",
        {"name": name, "plan": plan, "base": base, "trainer_view": bool(base)},
    )


def _ics(engine: Engine, catalogue: Catalogue, name: str, today: dt.date) -> Response:
    """The plan as a calendar file to download, at the trainee's time in their zone."""
    return Response(
        content=feed_calendar(engine, name, catalogue, today=today, weeks=PLAN_WEEKS),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="hinge-plan.ics"'},
    )


@router.get("/plan", response_class=HTMLResponse, include_in_schema=False)
def my_plan(
    request: Request,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TraineeAccount,
    name: OwnTrainee,
    today: TodayDep,
) -> Response:
    return _plan_page(request, _plan(engine, catalogue, name, today), name, "")


@router.get("/plan/print", response_class=HTMLResponse, include_in_schema=False)
def my_plan_print(
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TraineeAccount,
    name: OwnTrainee,
    today: TodayDep,
) -> Response:
    return HTMLResponse(plan_html(_plan(engine, catalogue, name, today)))


@router.get("/plan.ics", include_in_schema=False)
def my_plan_ics(
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TraineeAccount,
    name: OwnTrainee,
    today: TodayDep,
) -> Response:
    return _ics(engine, catalogue, name, today)


@router.get("/clients/{name}/plan", response_class=HTMLResponse, include_in_schema=False)
def client_plan(
    request: Request,
    name: ClientName,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TrainerAccount,
    today: TodayDep,
) -> Response:
    return _plan_page(request, _plan(engine, catalogue, name, today), name, _client_base(name))


@router.get("/clients/{name}/plan/print", response_class=HTMLResponse, include_in_schema=False)
def client_plan_print(
    name: ClientName,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TrainerAccount,
    today: TodayDep,
) -> Response:
    return HTMLResponse(plan_html(_plan(engine, catalogue, name, today)))


@router.get("/clients/{name}/plan.ics", include_in_schema=False)
def client_plan_ics(
    name: ClientName,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: TrainerAccount,
    today: TodayDep,
) -> Response:
    return _ics(engine, catalogue, name, today)
