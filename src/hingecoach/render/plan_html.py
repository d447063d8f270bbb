"""A plan as a printable HTML page: one A4 page per week (R-PLAN-5).

Rendered with Jinja2 from ``templates/plan.html.j2`` (shipped in the package, autoescaped).
Each week is a ``<section class="week">`` with ``page-break-after`` (and ``break-after``),
so printing from a browser, or :func:`hingecoach.render.print_pdf`, gives a page a week.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from hingecoach.knowledge import Tempo
from hingecoach.plan import Plan
from hingecoach.plan.models import day_label

__all__ = ["plan_html"]


def _date_range(start: dt.date, end: dt.date) -> str:
    if start.month == end.month:
        return f"{start.day}-{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} - {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} - {end.day} {end:%B %Y}"


def _tempo(tempo: Tempo) -> str:
    """``3 / 2``, ``3 / fast``, ``3 / 1 p / 2`` (a pause at the bottom): seconds down / up."""
    up = "fast" if tempo.up_s == 0 else f"{tempo.up_s:g}"
    pause = f" / {tempo.bottom_s:g} p" if tempo.bottom_s else ""
    return f"{tempo.down_s:g}{pause} / {up}"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("hingecoach.render", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = day_label
    env.filters["date_range"] = _date_range
    env.filters["tempo"] = _tempo
    env.filters["rules"] = lambda rules: ", ".join(rules)
    return env


def plan_html(plan: Plan, *, title: str | None = None) -> str:
    """The whole printable page as one HTML string (no external files)."""
    template = _environment().get_template("plan.html.j2")
    return template.render(
        plan=plan,
        title=title or (f"Hinge plan for {plan.name}" if plan.name else "Your hinge plan"),
    )
