"""Jinja2 templates from the package, with the helpers every page uses."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

if TYPE_CHECKING:
    from hingecoach.knowledge import Catalogue

__all__ = ["render", "render_fragment", "render_string"]


def _action_title(action: object) -> str:
    from hingecoach.coach.decisions import Action

    try:
        return Action(str(action)).heading
    except ValueError:
        return str(action)


def _rest(seconds: int, most: int | None = None) -> str:
    label = f"{seconds // 60}:{seconds % 60:02d}"
    if most is not None and most > seconds:
        label += f"-{most // 60}:{most % 60:02d}"
    return label + " min"


def _load(kg: float | None, unit: str = "kg", *, with_unit: bool = True) -> str:
    """A load stored in kg, shown in the person's unit: ``{{ s.load_kg | load(unit) }}``."""
    from hingecoach.units import format_load

    return format_load(kg, "lb" if unit == "lb" else "kg", with_unit=with_unit)


def _whole_load(kg: float, unit: str = "kg") -> str:
    """An estimate (e1RM and its band) to the whole kg or lb, without the unit."""
    from hingecoach.units import to_unit

    return f"{to_unit(kg, 'lb' if unit == 'lb' else 'kg'):.0f}"


_RULE_ID = re.compile(r"R-[A-Z]+-[0-9]+")


def _rule_link(rule_id: object) -> Markup:
    """A rule id as a small link to its explanation: ``{{ "R-PROG-1" | rule_link }}``."""
    text = str(rule_id).strip()
    if not _RULE_ID.fullmatch(text):
        return Markup('<span class="rule">{}</span>').format(text)
    return Markup('<a class="rule" href="/rules/{}">{}</a>').format(text, text)


def _rule_links(text: object) -> Markup:
    """A sentence with the rule ids in it as links (``(R-PROG-1)`` -> a small link), the
    rest escaped: ``{{ report.next_session | rule_links }}``."""
    plain = str(text)
    out = Markup("")
    last = 0
    for found in _RULE_ID.finditer(plain):
        out += plain[last : found.start()]
        out += _rule_link(found.group(0))
        last = found.end()
    return out + plain[last:]


@pass_context
def _exercise_name(context: Context, exercise_id: object) -> str:
    """An exercise id as the name people read: ``{{ row.exercise_id | exercise_name }}``
    (the app's catalogue; the id itself only when the catalogue has no such exercise)."""
    request = context.get("request")
    if not isinstance(request, Request):
        return str(exercise_id)
    catalogue: Catalogue = request.app.state.catalogue
    found = catalogue.exercises.get(str(exercise_id))
    return found.name if found is not None else str(exercise_id)


def _sentence(text: object) -> str:
    """A message shown on its own as a sentence: its first word capitalised when it is a
    plain word (messages are written to follow "error: " on a command line); a message that
    opens with a file name, an address or a number is left as it is, and so is the rest."""
    plain = str(text)
    return plain[:1].upper() + plain[1:] if _PLAIN_WORD.match(plain) else plain


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


#: A message's first word, when it is an ordinary lowercase word ("the", "say", "don't").
_PLAIN_WORD = re.compile(r"[a-z]+(?:['-][a-z]+)*(?=[ ,;]|$)")


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("hingecoach.web", "templates"),
        autoescape=select_autoescape(["html"]),
        auto_reload=False,  # package data: never changes under a running app (no stat per page)
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["action_title"] = _action_title
    env.filters["rest"] = _rest
    env.filters["num"] = _num
    env.filters["sentence"] = _sentence
    env.filters["load"] = _load
    env.filters["whole_load"] = _whole_load
    env.filters["rule_link"] = _rule_link
    env.filters["rule_links"] = _rule_links
    env.filters["exercise_name"] = _exercise_name
    return env


def _context(request: Request, values: dict[str, Any]) -> dict[str, Any]:
    get_token = request.scope.get("csrftoken")
    return {
        "request": request,
        "csrf_token": get_token() if callable(get_token) else "",
        "account": getattr(request.state, "account", None),
        **values,
    }


def render_fragment(name: str, values: dict[str, Any]) -> Markup:
    """A part of a page that does not depend on the request (no form token, no account):
    rendered once, it can be cached and put into pages as it is."""
    return Markup(_environment().get_template(name).render(values))


def render_string(request: Request, name: str, values: dict[str, Any]) -> str:
    return _environment().get_template(name).render(_context(request, values))


def render(request: Request, name: str, values: dict[str, Any], status: int = 200) -> HTMLResponse:
    return HTMLResponse(render_string(request, name, values), status_code=status)
