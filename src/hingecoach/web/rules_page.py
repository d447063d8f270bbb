"""``/rules`` and ``/rules/<id>``: every coaching rule in two plain sentences, public.

Rule ids on the other pages are small links here (the ``rule_link`` template filter); the
texts come from ``services/data/rules.yaml`` (``hingecoach.services.rulebook``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from hingecoach.services.rulebook import find_rule, rule_sections
from hingecoach.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/rules", response_class=HTMLResponse)
def rules_list(request: Request) -> HTMLResponse:
    return render(request, "rules.html", {"sections": rule_sections()})


@router.get("/rules/{rule_id}", response_class=HTMLResponse)
def rule_page(request: Request, rule_id: str) -> HTMLResponse:
    rule = find_rule(rule_id)
    if rule is None:
        shown = rule_id if len(rule_id) <= 40 else rule_id[:40] + "…"
        return render(request, "rule.html", {"rule": None, "asked": shown}, status=404)
    section = next(s for s in rule_sections() if rule in s.rules)
    return render(request, "rule.html", {"rule": rule, "section": section})
