"""Progress charts as inline SVG, drawn on the server with matplotlib (R-TRACK-2).

Each chart is a small figure (about phone width at 1:1) with large type, saved as SVG with
text kept as text, then made responsive: no fixed width or height, only a ``viewBox``, so
it scales to the page. Nothing relies on colour alone: every series has its own marker,
line style or hatch and a label, and the page puts a data table under each chart.

matplotlib is imported inside the functions (never at import time) and only through its
object API (``Figure``, no pyplot state), so requests can draw in parallel threads.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from hingecoach.coach.tracking import Progress

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["CHARTS", "Chart", "charts_for"]

_WIDTH_IN = 4.6  # about 350 px at 72 dpi: the SVG is drawn near the size a phone shows it
_HEIGHT_IN = 3.4
_FONT_PT = 13
_INK = "#1f2933"
_MUTED = "#5f6b7a"
_ACCENT = "#2f6f62"
_SECOND = "#8a5a00"
_THIRD = "#8c1d18"
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_LINES = ("-", "--", "-.", ":")
_SHADES = (_ACCENT, _SECOND, _THIRD, "#3d5a80", "#6d597a", "#5f6b7a", "#2a9d8f", "#9c6644")
_STYLE_LOCK = threading.Lock()
_styled = False


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


def _style() -> None:
    """Set matplotlib's defaults once (rcParams are global; set before any drawing)."""
    global _styled
    with _STYLE_LOCK:
        if _styled:
            return
        import matplotlib

        matplotlib.use("Agg")
        matplotlib.rcParams.update(
            {
                "svg.fonttype": "none",  # text stays text: the page's font, crisp, searchable
                "svg.hashsalt": "hingecoach",  # stable element ids, so pages are reproducible
                "font.size": _FONT_PT,
                "axes.titlesize": _FONT_PT,
                "axes.labelsize": _FONT_PT,
                "xtick.labelsize": _FONT_PT - 1,
                "ytick.labelsize": _FONT_PT - 1,
                "legend.fontsize": _FONT_PT - 1,
                "font.family": "sans-serif",
                "axes.edgecolor": _MUTED,
                "axes.labelcolor": _INK,
                "xtick.color": _INK,
                "ytick.color": _INK,
                "text.color": _INK,
                "axes.spines.top": False,
                "axes.spines.right": False,
                "axes.grid": True,
                "grid.color": "#d9dee4",
                "grid.linewidth": 0.8,
                "lines.linewidth": 2.2,
                "lines.markersize": 7,
                "legend.frameon": False,
                "date.epoch": "1970-01-01T00:00:00",  # _x() counts days from here
            }
        )
        _styled = True


def _figure() -> tuple[Figure, Axes]:
    _style()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(_WIDTH_IN, _HEIGHT_IN), layout="constrained")
    return fig, fig.add_subplot()


_EPOCH = dt.date(1970, 1, 1)


def _x(days: Sequence[dt.date]) -> list[float]:
    """Dates as matplotlib's day numbers (the epoch is set in ``_style``)."""
    return [float((d - _EPOCH).days) for d in days]


def _dates(ax: Axes, days: Sequence[dt.date]) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(minticks=2, maxticks=5)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    if len(set(days)) == 1:
        (only,) = _x(days[:1])
        ax.set_xlim(only - 3, only + 3)


def _svg(fig: Figure, label: str) -> str:
    """The figure as responsive inline SVG with an accessible name."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.S)
    text = re.sub(r'\s(width|height)="[^"]*"', "", text, count=2)
    safe = label.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    text = text.replace(
        "<svg",
        f'<svg role="img" aria-label="{safe}" class="chart" preserveAspectRatio="xMidYMid meet"',
        1,
    )
    return text


def _legend(ax: Axes, count: int) -> None:
    """Below the plot, never over the data."""
    fig = ax.get_figure()
    assert fig is not None
    fig.legend(loc="outside lower center", ncols=2 if count > 1 else 1, handlelength=2.4)


def _short(name: str, most: int = 18) -> str:
    return name if len(name) <= most else name[: most - 1] + "…"


# ---------------------------------------------------------------- the charts


def _rung(p: Progress) -> Chart:
    fig, ax = _figure()
    days = [r.date for r in p.rung]
    ax.step(
        _x(days),
        [r.position for r in p.rung],
        where="post",
        color=_ACCENT,
        marker="o",
        markevery=max(1, len(days) // 15),
    )
    seen: dict[int, str] = {}
    for r in p.rung:
        seen.setdefault(r.position, r.name)
    ticks = sorted(seen)
    if len(ticks) > 6:  # keep the labels readable on a phone: first, last and a few between
        step = max(1, len(ticks) // 5)
        ticks = sorted({*ticks[::step], ticks[-1]})
    ax.set_yticks(ticks, [_short(seen[t]) for t in ticks])
    ax.set_ylabel("")
    _dates(ax, days)
    rows = []
    last = None
    for r in p.rung:
        if r.exercise_id != last:
            rows.append([f"{r.date:%Y-%m-%d}", r.name, f"{r.stage} ({r.stage_label})"])
            last = r.exercise_id
    return Chart(
        "rung",
        "Rung over time",
        _svg(fig, "Step chart of the ladder rung per session"),
        ["From", "Exercise", "Stage"],
        rows,
    )


def _e1rm(p: Progress) -> Chart:
    fig, ax = _figure()
    by_ex: dict[str, list[Any]] = {}
    for point in p.e1rm:
        by_ex.setdefault(point.exercise_id, []).append(point)
    names = {r.exercise_id: r.name for r in p.records}
    for i, (ex_id, points) in enumerate(by_ex.items()):
        days = [q.date for q in points]
        shade = _SHADES[i % len(_SHADES)]
        ax.fill_between(
            _x(days),
            [q.low_kg for q in points],
            [q.high_kg for q in points],
            color=shade,
            alpha=0.15,
        )
        ax.plot(
            _x(days),
            [q.e1rm_kg for q in points],
            color=shade,
            marker=_MARKERS[i % len(_MARKERS)],
            linestyle=_LINES[i % len(_LINES)],
            label=_short(names.get(ex_id, ex_id)),
            markevery=max(1, len(points) // 12),
        )
    ax.set_ylabel("kg")
    if by_ex:
        _legend(ax, len(by_ex))
        _dates(ax, [q.date for q in p.e1rm])
    rows = [
        [
            f"{q.date:%Y-%m-%d}",
            names.get(q.exercise_id, q.exercise_id),
            f"{q.e1rm_kg:.0f} ({q.low_kg:.0f}-{q.high_kg:.0f})",
            f"{q.load_kg:g} x {q.reps}" + (f" @ {q.rpe:g}" if q.rpe is not None else ""),
        ]
        for q in p.e1rm
    ]
    return Chart(
        "e1rm",
        "Estimated 1RM, with its band",
        _svg(fig, "Line chart of estimated one-rep max per session, one line per exercise"),
        ["Date", "Exercise", "e1RM kg (band)", "From set"],
        rows,
    )


def _volume(p: Progress) -> Chart:
    fig, ax = _figure()
    weeks = [v.week for v in p.volume]
    width = 3.0
    ax.bar(
        [x - 1.5 for x in _x(weeks)],
        [v.work_sets for v in p.volume],
        width=width,
        color="white",
        edgecolor=_ACCENT,
        linewidth=1.2,
        label="work sets",
    )
    ax.bar(
        [x + 1.5 for x in _x(weeks)],
        [v.hard_sets for v in p.volume],
        width=width,
        color=_ACCENT,
        edgecolor="white",
        hatch="///",
        linewidth=1.2,
        label="hard sets (RPE 7+)",
    )
    ax.set_ylabel("sets a week")
    _legend(ax, 2)
    _dates(ax, weeks)
    rows = [
        [f"{v.week:%Y-%m-%d}", str(v.work_sets), str(v.hard_sets), str(v.reps), f"{v.tonnage_kg:g}"]
        for v in p.volume
    ]
    return Chart(
        "volume",
        "Volume and hard sets per week",
        _svg(fig, "Bar chart of hinge work sets and hard sets per week"),
        ["Week of", "Work sets", "Hard sets", "Reps", "Tonnage kg"],
        rows,
    )


def _faults(p: Progress) -> Chart:
    """A timeline: one row per fault id (labelled), a dot per week it was flagged, the dot's
    size the number of sets. Readable without colour or a legend."""
    fig, ax = _figure()
    totals: dict[str, int] = {}
    for w in p.faults:
        for k, v in w.counts.items():
            totals[k] = totals.get(k, 0) + v
    ids = sorted(totals, key=lambda k: (-totals[k], k))[:6]
    weeks = [w.week for w in p.faults]
    for row, fault_id in enumerate(ids):
        hits = [(w.week, w.counts[fault_id]) for w in p.faults if w.counts.get(fault_id)]
        ax.scatter(
            _x([d for d, _ in hits]),
            [row] * len(hits),
            s=[30 + 40 * (n - 1) for _, n in hits],
            color=_SHADES[row % len(_SHADES)],
            marker=_MARKERS[row % len(_MARKERS)],
            zorder=3,
        )
    if ids:
        ax.set_yticks(range(len(ids)), [_short(i, 16) for i in ids])
        ax.set_ylim(len(ids) - 0.5, -0.5)
    else:
        ax.set_yticks([])
        ax.text(0.5, 0.5, "no faults flagged", transform=ax.transAxes, ha="center")
    ax.grid(axis="x")
    _dates(ax, weeks)
    rows = [
        [f"{w.week:%Y-%m-%d}", ", ".join(f"{k} {v}" for k, v in w.counts.items()) or "none"]
        for w in p.faults
    ]
    return Chart(
        "faults",
        "Form faults per week",
        _svg(fig, "Timeline of flagged faults: one labelled row per fault, a dot per week"),
        ["Week of", "Faults (sets flagged)"],
        rows,
    )


def _pain(p: Progress) -> Chart:
    fig, ax = _figure()
    days = [q.date for q in p.pain]
    every = max(1, len(days) // 15)
    ax.plot(
        _x(days),
        [q.worst_set_pain for q in p.pain],
        color=_THIRD,
        marker="o",
        label="worst set",
        markevery=every,
    )
    morning = [(q.date, q.next_morning_pain) for q in p.pain if q.next_morning_pain is not None]
    if morning:
        ax.plot(
            _x([d for d, _ in morning]),
            [v for _, v in morning],
            color=_MUTED,
            linestyle="--",
            marker="^",
            label="next morning",
            markevery=every,
        )
    ax.axhline(3, color=_SECOND, linestyle=":", linewidth=1.4)
    ax.axhline(6, color=_THIRD, linestyle=":", linewidth=1.4)
    ax.text(1.0, 3.15, "3 hold", transform=ax.get_yaxis_transform(), ha="right", va="bottom")
    ax.text(1.0, 6.15, "6 stop", transform=ax.get_yaxis_transform(), ha="right", va="bottom")
    ax.set_ylim(0, 10)
    ax.set_yticks([0, 2, 4, 6, 8, 10])
    ax.set_ylabel("pain 0-10")
    _legend(ax, 2)
    _dates(ax, days)
    rows = [
        [
            f"{q.date:%Y-%m-%d}",
            str(q.worst_set_pain),
            "" if q.next_morning_pain is None else str(q.next_morning_pain),
        ]
        for q in p.pain
    ]
    return Chart(
        "pain",
        "Pain over time",
        _svg(fig, "Line chart of worst pain during sets and next-morning pain per session"),
        ["Date", "Worst set", "Next morning"],
        rows,
    )


def _adherence(p: Progress) -> Chart:
    fig, ax = _figure()
    weeks = [a.week for a in p.adherence]
    ax.bar(
        _x(weeks),
        [a.done for a in p.adherence],
        width=5.0,
        color=_ACCENT,
        label="done",
    )
    ax.axhline(p.planned_per_week, color=_INK, linestyle="--", linewidth=1.6, label="planned")
    ax.set_ylabel("sessions a week")
    top = max([a.done for a in p.adherence] + [p.planned_per_week])
    ax.set_ylim(0, top + 0.5)
    ax.set_yticks(range(top + 1))
    _legend(ax, 2)
    _dates(ax, weeks)
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
        _svg(fig, "Bar chart of hinge sessions done per week against a dashed planned line"),
        ["Week of", "Done", "Of plan"],
        rows,
    )


CHARTS: tuple[tuple[str, Callable[[Progress], Chart]], ...] = (
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
def _cached(data: str, weeks: int | None) -> tuple[Chart, ...]:
    p = Progress.model_validate_json(data)
    if weeks is not None and p.as_of is not None:
        monday = p.as_of - dt.timedelta(days=p.as_of.weekday())
        p = _since(p, monday - dt.timedelta(weeks=weeks - 1))
    if p.empty:
        return ()
    return tuple(draw(p) for _, draw in CHARTS)


def charts_for(p: Progress, weeks: int | None = None) -> tuple[Chart, ...]:
    """Every chart of R-TRACK-2 for the last ``weeks`` weeks (None: the whole history).

    Drawn once per distinct progress (cached on its JSON), so reloading a page is cheap.
    """
    return _cached(p.model_dump_json(), weeks)
