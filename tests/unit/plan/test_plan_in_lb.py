"""An lb trainee's plan is in lb: every load, ramp-up, overload and deload note, on the
printed page and in the calendar (the plan itself stays in kg)."""

from __future__ import annotations

import re

from hingecoach.knowledge import Catalogue
from hingecoach.plan import Plan, build_plan
from hingecoach.render.plan_html import plan_html
from hingecoach.render.plan_ics import plan_ics
from tests.unit.coach.builders import DAY0, HOME_GYM, history, profile, run_of

LIFTER = {"equipment": HOME_GYM, "training_history": "intermediate", "goal": "hypertrophy"}
KG = re.compile(r"\d kg\b")


def _plan(catalogue: Catalogue, unit: str) -> Plan:
    past = history(*run_of("kettlebell-deadlift", 3, first_day=-9, reps=9, load=16, rpe=8))
    who = profile(**LIFTER, unit=unit)
    return build_plan(who, past, catalogue, weeks=12, start=DAY0, deload_every=5)


def test_an_lb_trainees_plan_page_and_calendar_say_lb(catalogue: Catalogue) -> None:
    in_kg, in_lb = _plan(catalogue, "kg"), _plan(catalogue, "lb")
    kg_page = plan_html(in_kg)
    assert KG.search(kg_page), "the kg plan says kg"
    page = plan_html(in_lb)
    calendar = plan_ics(in_lb).decode()
    assert not KG.search(page), KG.findall(page)[:5]
    assert not KG.search(calendar.replace("\r\n ", "")), "the calendar says lb too"
    assert re.search(r"\d lb\b", page) and re.search(r"\d lb\b", calendar.replace("\r\n ", ""))
    assert _loads(in_lb) == _loads(in_kg), "the same plan, stored in kg"


def _loads(plan: Plan) -> list[float | None]:
    return [e.load_kg for _, s in plan.sessions() for b in s.blocks for e in b.exercises]
