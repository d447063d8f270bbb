"""Outputs of a plan: a printable HTML page per week, a calendar file, a PDF (adapters).

Not part of the pure core: these import Jinja2, icalendar and run Chromium. Each function
takes a :class:`hingecoach.plan.Plan` and returns text or bytes (or writes a file).

    plan_html(plan) -> str               one page per week (R-PLAN-5)
    plan_ics(plan, *, at=18:00) -> bytes  RFC 5545, one event per session (R-PLAN-5)
    print_pdf(html_path, pdf_path)        headless Chromium, when it is installed
"""

from hingecoach.render.pdf import find_chromium, print_pdf
from hingecoach.render.plan_html import plan_html
from hingecoach.render.plan_ics import plan_ics, session_uid

__all__ = ["find_chromium", "plan_html", "plan_ics", "print_pdf", "session_uid"]
