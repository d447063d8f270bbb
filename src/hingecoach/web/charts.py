"""Progress charts as inline SVG, drawn on the server (R-TRACK-2).

Each chart is a small figure (about phone width at 1:1) with large type, written as SVG
with text kept as text and only a ``viewBox`` (no fixed width or height), so it scales to
the page. Nothing relies on colour alone: every series has its own marker, line style or
hatch and a label, and the page puts a data table under each chart.

The charts read only the progress series (one point per session or per week, already
aggregated), never the sets, and are written as SVG text directly: a two-year history
draws in milliseconds (matplotlib took about 0.1-0.3 s a chart, most of it laying out
text). Loads are shown in the trainee's unit (kg or lb), as everywhere else.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Sequence
from functools import lru_cache
from html import escape
from typing import Any

from hingecoach.coach.tracking import Progress
from hingecoach.units import Unit, format_load, to_unit

__all__ = ["CHARTS", "Chart", "charts_for"]

_W, _H = 340.0, 250.0  # the viewBox: about phone width at 1:1, so type stays 12-13 px
_FONT = 13
_SMALL = 12
_INK = "#1f2933"
_MUTED = "#5f6b7a"
_GRID = "#d9dee4"
_ACCENT = "#2f6f62"
_SECOND = "#8a5a00"
_THIRD = "#8c1d18"
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_DASHES = ("", "7 4", "9 3 2 3", "2 3")
_SHADES = (_ACCENT, _SECOND, _THIRD, "#3d5a80", "#6d597a", "#5f6b7a", "#2a9d8f", "#9c6644")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Chart:
    """One chart: its id, title, the SVG markup and the table under it."""

    def __init__(
        self, key: str, title: str, svg: str, head: Sequence[str], rows: Sequence[Sequence[str]]
    ) -> None:
        self.key = key
        self.title = title
        self.svg = svg
        self.head = list(head)
        self.rows = [list(r) for r in rows]


def _n(value: float) -> str:
    """A coordinate, short."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _short(name: str, most: int = 18) -> str:
    return name if len(name) <= most else name[: most - 1] + "…"


def _nice_ticks(low: float, high: float, most: int = 6, *, whole: bool = False) -> list[float]:
    """Round numbers from ``low`` to ``high`` (at most ``most``; ``whole``: counts)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(1, most - 1)
    power = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    step = next(m * power for m in steps if m * power >= raw)
    if whole:
        step = max(1.0, step)
    first = math.floor(low / step) * step
    ticks = [round(first, 6)]
    while ticks[-1] < high - step * 1e-6:  # the last tick at or above the highest value
        ticks.append(round(ticks[-1] + step, 6))
    return ticks


def _date_ticks(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    """2-5 month starts (or weeks, for a short span) between ``first`` and ``last``."""
    days = (last - first).days
    if days <= 45:
        step = max(7, (days // 4 // 7) * 7 or 7)
        start = first - dt.timedelta(days=first.weekday())
        ticks = []
        day = start
        while day <= last:
            if day >= first:
                ticks.append((day, f"{day.day} {_MONTHS[day.month - 1]}"))
            day += dt.timedelta(days=step)
        return ticks or [(first, f"{first.day} {_MONTHS[first.month - 1]}")]
    months = (last.year - first.year) * 12 + last.month - first.month
    every = next(m for m in (1, 2, 3, 4, 6, 12, 24, 36) if months / m <= 4)
    year, month = first.year, first.month + 1
    if month > 12:
        year, month = year + 1, 1
    ticks = []
    shown_year: int | None = None
    while dt.date(year, month, 1) <= last:
        if (month - 1) % every == 0 or every == 1:
            day = dt.date(year, month, 1)
            label = _MONTHS[month - 1]
            if shown_year != year:
                label = str(year) if month == 1 else f"{label} {year}"
                shown_year = year
            ticks.append((day, label))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return ticks


class _Plot:
    """A plot area mapping dates (x) and numbers (y) to the viewBox."""

    def __init__(
        self,
        key: str,
        label: str,
        x_range: tuple[dt.date, dt.date],
        y_range: tuple[float, float],
        *,
        left: float = 40,
        legend_rows: int = 0,
    ) -> None:
        self.key = key
        self.label = label
        first, last = x_range
        if first == last:
            first, last = first - dt.timedelta(days=3), last + dt.timedelta(days=3)
        self.x0, self.x1 = first, last
        self.y0, self.y1 = y_range
        if self.y1 <= self.y0:
            self.y1 = self.y0 + 1
        self.left, self.right = left, _W - 10
        self.top = 26.0  # room for the y axis's title above it
        self.bottom = _H - 26 - 20 * legend_rows
        self.parts: list[str] = []
        self.defs: list[str] = []
        self.legend: list[str] = []

    def x(self, day: dt.date) -> float:
        span = (self.x1 - self.x0).days or 1
        return self.left + (self.right - self.left) * (day - self.x0).days / span

    def y(self, value: float) -> float:
        return self.bottom - (self.bottom - self.top) * (value - self.y0) / (self.y1 - self.y0)

    # -- axes

    def y_axis(self, ticks: Sequence[float], labels: Sequence[str] | None = None) -> None:
        for i, value in enumerate(ticks):
            y = self.y(value)
            self.parts.append(
                f'<line x1="{_n(self.left)}" x2="{_n(self.right)}" y1="{_n(y)}" y2="{_n(y)}" '
                f'stroke="{_GRID}" stroke-width="0.8"/>'
            )
            text = labels[i] if labels is not None else f"{value:g}"
            self.parts.append(
                f'<text x="{_n(self.left - 6)}" y="{_n(y + 4)}" text-anchor="end" '
                f'font-size="{_SMALL}">{escape(text)}</text>'
            )

    def x_axis(self) -> None:
        self.parts.append(
            f'<line x1="{_n(self.left)}" x2="{_n(self.right)}" y1="{_n(self.bottom)}" '
            f'y2="{_n(self.bottom)}" stroke="{_MUTED}"/>'
        )
        for day, text in _date_ticks(self.x0, self.x1):
            x = self.x(day)
            half = 3.4 * len(text)  # about half the label's width at 12 px
            anchor, at = "middle", x
            if x + half > _W - 2:  # never cut at the edges
                anchor, at = "end", _W - 2
            elif x - half < 2:
                anchor, at = "start", 2.0
            self.parts.append(
                f'<line x1="{_n(x)}" x2="{_n(x)}" y1="{_n(self.bottom)}" '
                f'y2="{_n(self.bottom + 4)}" stroke="{_MUTED}"/>'
                f'<text x="{_n(at)}" y="{_n(self.bottom + 18)}" text-anchor="{anchor}" '
                f'font-size="{_SMALL}">{escape(text)}</text>'
            )

    def y_title(self, text: str) -> None:
        self.parts.append(
            f'<text x="4" y="{_n(self.top - 12)}" font-size="{_SMALL}" fill="{_MUTED}">'
            f"{escape(text)}</text>"
        )

    # -- marks

    def marker(self, kind: str, x: float, y: float, color: str, size: float = 4.0) -> str:
        s = size
        if kind == "s":
            return (
                f'<rect x="{_n(x - s)}" y="{_n(y - s)}" width="{_n(2 * s)}" '
                f'height="{_n(2 * s)}" fill="{color}"/>'
            )
        shapes = {
            "^": [(0, -s * 1.2), (s * 1.1, s * 0.8), (-s * 1.1, s * 0.8)],
            "v": [(0, s * 1.2), (s * 1.1, -s * 0.8), (-s * 1.1, -s * 0.8)],
            "D": [(0, -s * 1.3), (s * 1.1, 0), (0, s * 1.3), (-s * 1.1, 0)],
            "P": [
                (-s / 3, -s),
                (s / 3, -s),
                (s / 3, -s / 3),
                (s, -s / 3),
                (s, s / 3),
                (s / 3, s / 3),
                (s / 3, s),
                (-s / 3, s),
                (-s / 3, s / 3),
                (-s, s / 3),
                (-s, -s / 3),
                (-s / 3, -s / 3),
            ],
            "X": [
                (-s, -s * 0.6),
                (-s * 0.6, -s),
                (0, -s * 0.4),
                (s * 0.6, -s),
                (s, -s * 0.6),
                (s * 0.4, 0),
                (s, s * 0.6),
                (s * 0.6, s),
                (0, s * 0.4),
                (-s * 0.6, s),
                (-s, s * 0.6),
                (-s * 0.4, 0),
            ],
            "*": [
                (
                    s * 1.3 * math.sin(a * math.pi / 5) * (1 if a % 2 == 0 else 0.45),
                    -s * 1.3 * math.cos(a * math.pi / 5) * (1 if a % 2 == 0 else 0.45),
                )
                for a in range(10)
            ],
        }
        if kind in shapes:
            points = " ".join(f"{_n(x + dx)},{_n(y + dy)}" for dx, dy in shapes[kind])
            return f'<polygon points="{points}" fill="{color}"/>'
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(s)}" fill="{color}"/>'

    def line(
        self,
        points: Sequence[tuple[dt.date, float]],
        color: str,
        *,
        dash: str = "",
        marker: str | None = "o",
        every: int = 1,
        step: bool = False,
        width: float = 2.2,
    ) -> None:
        if not points:
            return
        xy = [(self.x(d), self.y(v)) for d, v in points]
        if step:
            path = [f"M{_n(xy[0][0])},{_n(xy[0][1])}"]
            for (_x0, y0), (x1, y1) in itertools.pairwise(xy):
                path.append(f"H{_n(x1)}" + (f"V{_n(y1)}" if y1 != y0 else ""))
            d = "".join(path)
        else:
            d = "M" + " L".join(f"{_n(x)},{_n(y)}" for x, y in xy)
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(
            f'<path d="{d}" fill="none" stroke="{color}" stroke-width="{width}" '
            f'stroke-linejoin="round"{dashed}/>'
        )
        if marker:
            self.parts.extend(self.marker(marker, x, y, color) for x, y in xy[:: max(1, every)])

    def band(self, low: Sequence[tuple[dt.date, float]], high: Sequence[float], color: str) -> None:
        if not low:
            return
        top = [f"{_n(self.x(d))},{_n(self.y(v))}" for (d, _), v in zip(low, high, strict=True)]
        bottom = [f"{_n(self.x(d))},{_n(self.y(v))}" for d, v in reversed(low)]
        self.parts.append(
            f'<polygon points="{" ".join(top + bottom)}" fill="{color}" fill-opacity="0.15"/>'
        )

    def hatch(self, color: str) -> str:
        pattern = f"hc-{self.key}-hatch"
        self.defs.append(
            f'<pattern id="{pattern}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{color}"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="white" stroke-width="2"/></pattern>'
        )
        return f"url(#{pattern})"

    def bar(
        self, day: dt.date, offset_days: float, width_days: float, value: float, **style: str
    ) -> None:
        span = (self.x1 - self.x0).days or 1
        px = (self.right - self.left) * width_days / span
        x = self.x(day) + (self.right - self.left) * offset_days / span - px / 2
        top, base = self.y(value), self.y(max(self.y0, 0.0))
        attrs = " ".join(f'{k.replace("_", "-")}="{v}"' for k, v in style.items())
        self.parts.append(
            f'<rect x="{_n(x)}" y="{_n(min(top, base))}" width="{_n(max(px, 1.0))}" '
            f'height="{_n(abs(base - top))}" {attrs}/>'
        )

    def hline(self, value: float, color: str, dash: str, text: str = "") -> None:
        y = self.y(value)
        self.parts.append(
            f'<line x1="{_n(self.left)}" x2="{_n(self.right)}" y1="{_n(y)}" y2="{_n(y)}" '
            f'stroke="{color}" stroke-width="1.6" stroke-dasharray="{dash}"/>'
        )
        if text:
            self.parts.append(
                f'<text x="{_n(self.right)}" y="{_n(y - 4)}" text-anchor="end" '
                f'font-size="{_SMALL}">{escape(text)}</text>'
            )

    def key_entry(self, text: str, color: str, *, dash: str = "", marker: str | None = None,
                  fill: str | None = None) -> None:  # fmt: skip
        """A legend entry (two a row, under the plot)."""
        i = len(self.legend)
        x = 8 + (i % 2) * (_W / 2)
        y = self.bottom + 38 + 20 * (i // 2)
        if fill is not None:
            swatch = (
                f'<rect x="{_n(x)}" y="{_n(y - 9)}" width="26" height="12" fill="{fill}" '
                f'stroke="{color}" stroke-width="1.2"/>'
            )
        else:
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            swatch = (
                f'<line x1="{_n(x)}" x2="{_n(x + 26)}" y1="{_n(y - 3)}" y2="{_n(y - 3)}" '
                f'stroke="{color}" stroke-width="2.2"{dashed}/>'
            )
            if marker:
                swatch += self.marker(marker, x + 13, y - 3, color)
        self.legend.append(
            swatch + f'<text x="{_n(x + 32)}" y="{_n(y + 1)}" font-size="{_SMALL}">'
            f"{escape(text)}</text>"
        )

    def note(self, text: str) -> None:
        self.parts.append(
            f'<text x="{_n((self.left + self.right) / 2)}" y="{_n((self.top + self.bottom) / 2)}"'
            f' text-anchor="middle" font-size="{_FONT}" fill="{_MUTED}">{escape(text)}</text>'
        )

    def svg(self) -> str:
        label = escape(self.label, quote=True)
        defs = f"<defs>{''.join(self.defs)}</defs>" if self.defs else ""
        return (
            f'<svg role="img" aria-label="{label}" class="chart" '
            f'preserveAspectRatio="xMidYMid meet" viewBox="0 0 {_n(_W)} {_n(_H)}" '
            f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" fill="{_INK}">'
            f"{defs}{''.join(self.parts)}{''.join(self.legend)}</svg>"
        )


def _every(count: int, most: int = 15) -> int:
    return max(1, math.ceil(count / most))


def _days(days: Sequence[dt.date], p: Progress, pad: int = 0) -> tuple[dt.date, dt.date]:
    """The dates a chart spans (``as_of`` alone when the series is empty)."""
    if not days:
        day = p.as_of or dt.date.today()
        return day, day
    return min(days) - dt.timedelta(days=pad), max(days) + dt.timedelta(days=pad)


def _label_width(labels: Sequence[str]) -> float:
    return min(130.0, 12 + 6.6 * max((len(t) for t in labels), default=2))


# ---------------------------------------------------------------- the charts


def _rung(p: Progress, unit: Unit) -> Chart:
    days = [r.date for r in p.rung]
    seen: dict[int, str] = {}
    for r in p.rung:
        seen.setdefault(r.position, r.name)
    ticks = sorted(seen)
    if len(ticks) > 6:  # keep the labels readable on a phone: first, last and a few between
        step = max(1, len(ticks) // 5)
        ticks = sorted({*ticks[::step], ticks[-1]})
    labels = [_short(seen[t], 16) for t in ticks]
    plot = _Plot(
        "rung",
        "Step chart of the ladder rung per session",
        _days(days, p),
        (min(ticks) - 0.5, max(ticks) + 0.5),
        left=_label_width(labels),
    )
    plot.y_axis(ticks, labels)
    plot.x_axis()
    plot.line([(r.date, r.position) for r in p.rung], _ACCENT, step=True, every=_every(len(days)))
    rows = []
    last = None
    for r in p.rung:
        if r.exercise_id != last:
            rows.append([f"{r.date:%Y-%m-%d}", r.name, f"{r.stage} ({r.stage_label})"])
            last = r.exercise_id
    return Chart("rung", "Rung over time", plot.svg(), ["From", "Exercise", "Stage"], rows)


def _e1rm(p: Progress, unit: Unit) -> Chart:
    by_ex: dict[str, list[Any]] = {}
    for point in p.e1rm:
        by_ex.setdefault(point.exercise_id, []).append(point)
    names = {r.exercise_id: r.name for r in p.records}
    label = "Line chart of estimated one-rep max per session, one line per exercise"
    if p.e1rm:
        days = [q.date for q in p.e1rm]
        low = min(to_unit(q.low_kg, unit) for q in p.e1rm)
        high = max(to_unit(q.high_kg, unit) for q in p.e1rm)
        ticks = _nice_ticks(low, high)
        plot = _Plot(
            "e1rm",
            label,
            _days(days, p),
            (ticks[0], ticks[-1]),
            legend_rows=math.ceil(len(by_ex) / 2),
        )
        plot.y_axis(ticks)
    else:
        day = p.as_of or dt.date.today()
        plot = _Plot("e1rm", label, (day, day), (0, 1))
        plot.note("no loaded sets yet")
    plot.y_title(unit)
    plot.x_axis()
    for i, (ex_id, points) in enumerate(by_ex.items()):
        shade = _SHADES[i % len(_SHADES)]
        plot.band(
            [(q.date, to_unit(q.low_kg, unit)) for q in points],
            [to_unit(q.high_kg, unit) for q in points],
            shade,
        )
        marker = _MARKERS[i % len(_MARKERS)]
        dash = _DASHES[i % len(_DASHES)]
        plot.line(
            [(q.date, to_unit(q.e1rm_kg, unit)) for q in points],
            shade,
            dash=dash,
            marker=marker,
            every=_every(len(points), 12),
        )
        plot.key_entry(_short(names.get(ex_id, ex_id)), shade, dash=dash, marker=marker)

    def whole(kg: float) -> str:
        return f"{to_unit(kg, unit):.0f}"

    rows = [
        [
            f"{q.date:%Y-%m-%d}",
            names.get(q.exercise_id, q.exercise_id),
            f"{whole(q.e1rm_kg)} ({whole(q.low_kg)}-{whole(q.high_kg)})",
            f"{format_load(q.load_kg, unit, with_unit=False)} x {q.reps}"
            + (f" @ {q.rpe:g}" if q.rpe is not None else ""),
        ]
        for q in p.e1rm
    ]
    return Chart(
        "e1rm",
        "Estimated 1RM, with its band",
        plot.svg(),
        ["Date", "Exercise", f"e1RM {unit} (band)", "From set"],
        rows,
    )


def _volume(p: Progress, unit: Unit) -> Chart:
    weeks = [v.week for v in p.volume]
    top = max([v.work_sets for v in p.volume] + [1])
    ticks = _nice_ticks(0, top, whole=True)
    plot = _Plot(
        "volume",
        "Bar chart of hinge work sets and hard sets per week",
        _days(weeks, p, pad=3),
        (0, ticks[-1]),
        legend_rows=1,
    )
    plot.y_axis(ticks)
    plot.y_title("sets a week")
    plot.x_axis()
    hatch = plot.hatch(_ACCENT)
    for v in p.volume:
        plot.bar(v.week, -1.5, 3.0, v.work_sets, fill="white", stroke=_ACCENT, stroke_width="1.2")
        plot.bar(v.week, 1.5, 3.0, v.hard_sets, fill=hatch, stroke=_ACCENT, stroke_width="0.6")
    plot.key_entry("work sets", _ACCENT, fill="white")
    plot.key_entry("hard sets (RPE 7+)", _ACCENT, fill=hatch)
    rows = [
        [
            f"{v.week:%Y-%m-%d}",
            str(v.work_sets),
            str(v.hard_sets),
            str(v.reps),
            f"{round(to_unit(v.tonnage_kg, unit)):g}",
        ]
        for v in p.volume
    ]
    return Chart(
        "volume",
        "Volume and hard sets per week",
        plot.svg(),
        ["Week of", "Work sets", "Hard sets", "Reps", f"Tonnage {unit}"],
        rows,
    )


def _faults(p: Progress, unit: Unit) -> Chart:
    """A timeline: one row per fault id (labelled), a dot per week it was flagged, the dot's
    size the number of sets. Readable without colour or a legend."""
    totals: dict[str, int] = {}
    for w in p.faults:
        for k, v in w.counts.items():
            totals[k] = totals.get(k, 0) + v
    ids = sorted(totals, key=lambda k: (-totals[k], k))[:6]
    weeks = [w.week for w in p.faults]
    labels = [_short(i, 16) for i in ids]
    plot = _Plot(
        "faults",
        "Timeline of flagged faults: one labelled row per fault, a dot per week",
        _days(weeks, p),
        (-0.5, max(len(ids), 1) - 0.5),
        left=_label_width(labels) if ids else 20,
    )
    # the first fault on top: rows count down from the top
    rows_y = {fault_id: len(ids) - 1 - row for row, fault_id in enumerate(ids)}
    if ids:
        plot.y_axis([rows_y[i] for i in ids], labels)
    else:
        plot.note("no faults flagged")
    plot.x_axis()
    for row, fault_id in enumerate(ids):
        shade = _SHADES[row % len(_SHADES)]
        for w in p.faults:
            n = w.counts.get(fault_id, 0)
            if n:
                size = min(12.0, 3.0 + 2.2 * (n - 1) ** 0.5 * 2)
                plot.parts.append(
                    plot.marker(
                        _MARKERS[row % len(_MARKERS)],
                        plot.x(w.week),
                        plot.y(rows_y[fault_id]),
                        shade,
                        size,
                    )
                )
    table = [
        [f"{w.week:%Y-%m-%d}", ", ".join(f"{k} {v}" for k, v in w.counts.items()) or "none"]
        for w in p.faults
    ]
    return Chart(
        "faults", "Form faults per week", plot.svg(), ["Week of", "Faults (sets flagged)"], table
    )


def _pain(p: Progress, unit: Unit) -> Chart:
    days = [q.date for q in p.pain]
    plot = _Plot(
        "pain",
        "Line chart of worst pain during sets and next-morning pain per session",
        _days(days, p),
        (0, 10),
        legend_rows=1,
    )
    plot.y_axis([0, 2, 4, 6, 8, 10])
    plot.y_title("pain 0-10")
    plot.x_axis()
    plot.hline(3, _SECOND, "2 3", "3 hold")
    plot.hline(6, _THIRD, "2 3", "6 stop")
    every = _every(len(days))
    plot.line([(q.date, q.worst_set_pain) for q in p.pain], _THIRD, marker="o", every=every)
    morning = [(q.date, q.next_morning_pain) for q in p.pain if q.next_morning_pain is not None]
    plot.line([(d, float(v)) for d, v in morning], _MUTED, dash="7 4", marker="^", every=every)
    plot.key_entry("worst set", _THIRD, marker="o")
    if morning:
        plot.key_entry("next morning", _MUTED, dash="7 4", marker="^")
    rows = [
        [
            f"{q.date:%Y-%m-%d}",
            str(q.worst_set_pain),
            "" if q.next_morning_pain is None else str(q.next_morning_pain),
        ]
        for q in p.pain
    ]
    return Chart("pain", "Pain over time", plot.svg(), ["Date", "Worst set", "Next morning"], rows)


def _adherence(p: Progress, unit: Unit) -> Chart:
    weeks = [a.week for a in p.adherence]
    top = max([a.done for a in p.adherence] + [p.planned_per_week])
    plot = _Plot(
        "adherence",
        "Bar chart of hinge sessions done per week against a dashed planned line",
        _days(weeks, p, pad=3),
        (0, top + 0.5),
        legend_rows=1,
    )
    plot.y_axis(list(range(top + 1)))
    plot.y_title("sessions a week")
    plot.x_axis()
    for a in p.adherence:
        plot.bar(a.week, 0, 5.0, a.done, fill=_ACCENT)
    plot.hline(p.planned_per_week, _INK, "7 4")
    plot.key_entry("done", _ACCENT, fill=_ACCENT)
    plot.key_entry("planned", _INK, dash="7 4")
    rows = [
        [
            f"{a.week:%Y-%m-%d}",
            f"{a.done} of {a.planned}" + (" (this week)" if a.partial else ""),
            f"{a.pct:.0f} %",
        ]
        for a in p.adherence
    ]
    return Chart(
        "adherence",
        "Adherence: sessions done against planned",
        plot.svg(),
        ["Week of", "Done", "Of plan"],
        rows,
    )


CHARTS: tuple[tuple[str, Callable[[Progress, Unit], Chart]], ...] = (
    ("rung", _rung),
    ("e1rm", _e1rm),
    ("volume", _volume),
    ("faults", _faults),
    ("pain", _pain),
    ("adherence", _adherence),
)


def _since(p: Progress, first: dt.date) -> Progress:
    return p.model_copy(
        update={
            "rung": tuple(x for x in p.rung if x.date >= first),
            "e1rm": tuple(x for x in p.e1rm if x.date >= first),
            "pain": tuple(x for x in p.pain if x.date >= first),
            "volume": tuple(x for x in p.volume if x.week >= first),
            "faults": tuple(x for x in p.faults if x.week >= first),
            "adherence": tuple(x for x in p.adherence if x.week >= first),
        }
    )


@lru_cache(maxsize=64)
def _cached(data: str, weeks: int | None, unit: Unit) -> tuple[Chart, ...]:
    p = Progress.model_validate_json(data)
    if weeks is not None and p.as_of is not None:
        monday = p.as_of - dt.timedelta(days=p.as_of.weekday())
        p = _since(p, monday - dt.timedelta(weeks=weeks - 1))
    if p.empty:
        return ()
    return tuple(draw(p, unit) for _, draw in CHARTS)


def charts_for(p: Progress, weeks: int | None = None, unit: Unit = "kg") -> tuple[Chart, ...]:
    """Every chart of R-TRACK-2 for the last ``weeks`` weeks (None: the whole history), with
    loads in ``unit``.

    Drawn once per distinct progress (cached on its JSON), so reloading a page is cheap.
    """
    return _cached(p.model_dump_json(), weeks, unit)
