"""Read the CSV exports of Strong, Hevy and FitNotes into :class:`SourceSet` rows.

The formats, as the apps write them:

* **Strong**, today: comma-separated, ``Date,Workout Name,Duration,Exercise Name,Set
  Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE``; the weight is in the unit
  the app was set to (``--unit``). ``Set Order`` is a number, ``W`` (warm-up), ``D`` (drop
  set), ``F`` (failure) or ``Rest Timer`` (a rest, not a set: skipped). Dates are
  ``2024-11-02 18:30:00`` or, on phones set to 12 hours, ``2024-11-02 6:30:00 PM``.
* **Strong**, older: semicolon-separated with ``Weight Unit`` (``kg``/``lbs``) and
  ``Distance Unit`` columns and ``Workout Duration`` at the end.
* **Hevy**: ``title,start_time,end_time,description,exercise_title,superset_id,
  exercise_notes,set_index,set_type,weight_kg,reps,distance_km,duration_seconds,rpe``
  (``weight_lbs``/``distance_miles`` for pounds), dates like ``2 Nov 2024, 18:30``,
  ``set_type`` one of ``normal``, ``warmup``, ``dropset``, ``failure``.
* **FitNotes**: ``Date,Exercise,Category,Weight (kgs),Reps,Distance,Distance Unit,Time,
  Comment`` (``Weight (lbs)``, or ``Weight`` with a ``Weight Unit`` column), dates only,
  ``Time`` as ``h:mm:ss``.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from hingecoach.errors import InputError
from hingecoach.importers.rows import LB_TO_KG, RowProblem, SetKind, SourceSet, Unit

__all__ = ["HistoryFormat", "detect_format", "read_rows"]


class HistoryFormat(StrEnum):
    STRONG = "strong"
    HEVY = "hevy"
    FITNOTES = "fitnotes"

    @property
    def label(self) -> str:
        return {"strong": "Strong", "hevy": "Hevy", "fitnotes": "FitNotes"}[self.value]


# The columns each format cannot do without (any one of a tuple will do).
_REQUIRED: dict[HistoryFormat, tuple[tuple[str, ...], ...]] = {
    HistoryFormat.STRONG: (("Date",), ("Exercise Name",), ("Set Order",), ("Weight",), ("Reps",)),
    HistoryFormat.HEVY: (
        ("start_time",),
        ("exercise_title",),
        ("set_index",),
        ("set_type",),
        ("weight_kg", "weight_lbs"),
        ("reps",),
    ),
    HistoryFormat.FITNOTES: (
        ("Date",),
        ("Exercise",),
        ("Reps",),
        ("Weight (kgs)", "Weight (lbs)", "Weight (kg)", "Weight"),
    ),
}


def _missing(fmt: HistoryFormat, header: list[str]) -> list[str]:
    have = set(header)
    return [" or ".join(need) for need in _REQUIRED[fmt] if not have.intersection(need)]


def detect_format(header: list[str]) -> HistoryFormat | None:
    """The format whose columns the header has (Strong before FitNotes: both have Date)."""
    for fmt in (HistoryFormat.STRONG, HistoryFormat.HEVY, HistoryFormat.FITNOTES):
        if not _missing(fmt, header):
            return fmt
    return None


def _split(text: str) -> tuple[list[str], list[list[str]], str]:
    """Header, rows and delimiter (comma, or the older Strong semicolon)."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(text.splitlines(), delimiter=delimiter, strict=True))
    if not rows:
        raise InputError("the file is empty")
    header = [h.strip().lstrip("\ufeff") for h in rows[0]]
    return header, rows[1:], delimiter


def read_rows(
    text: str, fmt: HistoryFormat | None, *, unit: Unit = Unit.KG
) -> tuple[HistoryFormat, list[SourceSet]]:
    """Every set in the file, in file order; one clear :class:`InputError` otherwise.

    ``unit`` is the weight unit of a file that does not say (today's Strong export).
    """
    try:
        header, rows, _ = _split(text)
    except csv.Error as exc:
        raise InputError(f"not a readable CSV file ({exc})") from None
    found = detect_format(header)
    if fmt is None:
        if found is None:
            shown = ", ".join(header[:6]) + (", ..." if len(header) > 6 else "")
            raise InputError(
                f"the columns ({shown}) are not those of a Strong, Hevy or FitNotes export; "
                "export the file again from the app, or say which it is with --from"
            )
        fmt = found
    missing = _missing(fmt, header)
    if missing:
        raise InputError(
            f"not a {fmt.label} export: the column(s) {', '.join(missing)} are missing; "
            "export the file again from the app (CSV), or check --from"
        )
    reader = _READERS[fmt]
    out: list[SourceSet] = []
    for number, cells in enumerate(rows, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise InputError(
                f"line {number}: {len(cells)} cells for {len(header)} columns; the file is cut "
                "or edited by hand: export it again"
            )
        row = _Row(dict(zip(header, cells, strict=True)), number)
        try:
            item = reader(row, unit)
        except RowProblem as exc:
            raise InputError(f"line {number}: {exc}") from None
        if item is not None:
            out.append(item)
    return fmt, _keyed(fmt, out)


def _keyed(fmt: HistoryFormat, sets: list[SourceSet]) -> list[SourceSet]:
    """Key each set by source, workout time, exercise and its place in that exercise."""
    seen: Counter[tuple[dt.datetime, str]] = Counter()
    keyed = []
    for s in sets:
        group = (s.started, s.exercise_name)
        seen[group] += 1
        key = f"{fmt.value}|{s.started.isoformat()}|{s.exercise_name}|{seen[group]}"
        keyed.append(_replace_key(s, key))
    return keyed


def _replace_key(s: SourceSet, key: str) -> SourceSet:
    from dataclasses import replace

    return replace(s, key=key)


@dataclass(frozen=True)
class _Row:
    cells: dict[str, str]
    line: int

    def text(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def number(self, column: str) -> float | None:
        raw = self.text(column)
        if not raw:
            return None
        try:
            return (
                float(raw.replace(",", "."))
                if raw.count(",") == 1 and "." not in raw
                else float(raw)
            )
        except ValueError:
            raise RowProblem(f"{column} is {raw!r}, not a number") from None

    def whole(self, column: str) -> int | None:
        value = self.number(column)
        if value is None:
            return None
        if value != int(value):
            raise RowProblem(f"{column} is {value:g}, not a whole number")
        return int(value)


def _kg(weight: float | None, unit: Unit) -> float | None:
    if weight is None:
        return None
    return round(weight * LB_TO_KG, 2) if unit is Unit.LB else weight


def _unit_named(raw: str, fallback: Unit) -> Unit:
    word = raw.strip().lower()
    if not word:
        return fallback
    if word in ("kg", "kgs", "kilograms"):
        return Unit.KG
    if word in ("lb", "lbs", "pounds"):
        return Unit.LB
    raise RowProblem(f"the weight unit {raw!r} is neither kg nor lbs")


def _parse_time(raw: str, formats: tuple[str, ...], column: str) -> dt.datetime:
    text = " ".join(raw.replace("\u202f", " ").split())
    for pattern in formats:
        try:
            return dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise RowProblem(f"{column} {raw!r} is not a date this importer knows")


_STRONG_DATES = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %I:%M:%S %p", "%Y-%m-%d %H:%M", "%Y-%m-%d")
_STRONG_KINDS = {"w": SetKind.WARM_UP, "d": SetKind.DROP, "f": SetKind.FAILURE}


def _strong(row: _Row, unit: Unit) -> SourceSet | None:
    order = row.text("Set Order")
    if order.lower().replace(" ", "") == "resttimer":
        return None  # a rest between sets, not a set
    kind = SetKind.WORK
    if order and not order.isdigit():
        kind = _STRONG_KINDS.get(order[0].lower(), SetKind.WORK)
        if kind is SetKind.WORK or (not order[1:].isdigit() and order[1:]):
            raise RowProblem(f"Set Order {order!r} is not a set number, W, D, F or Rest Timer")
    unit = _unit_named(row.text("Weight Unit"), unit)
    return _source(
        row,
        started=_parse_time(row.text("Date"), _STRONG_DATES, "Date"),
        name=row.text("Exercise Name"),
        kind=kind,
        reps=row.whole("Reps"),
        seconds=row.number("Seconds"),
        weight_kg=_kg(row.number("Weight"), unit),
        rpe=row.number("RPE"),
    )


_HEVY_DATES = (
    "%d %b %Y, %H:%M",
    "%d %B %Y, %H:%M",
    "%b %d, %Y, %I:%M %p",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
)
_HEVY_KINDS = {
    "normal": SetKind.WORK,
    "": SetKind.WORK,
    "warmup": SetKind.WARM_UP,
    "dropset": SetKind.DROP,
    "failure": SetKind.FAILURE,
}


def _hevy(row: _Row, unit: Unit) -> SourceSet | None:
    set_type = row.text("set_type").lower()
    if set_type not in _HEVY_KINDS:
        raise RowProblem(f"set_type {set_type!r} is not normal, warmup, dropset or failure")
    if "weight_lbs" in row.cells:
        weight = _kg(row.number("weight_lbs"), Unit.LB)
    else:
        weight = row.number("weight_kg")
    return _source(
        row,
        started=_parse_time(row.text("start_time"), _HEVY_DATES, "start_time"),
        name=row.text("exercise_title"),
        kind=_HEVY_KINDS[set_type],
        reps=row.whole("reps"),
        seconds=row.number("duration_seconds"),
        weight_kg=weight,
        rpe=row.number("rpe"),
    )


def _fitnotes_seconds(raw: str) -> float | None:
    if not raw:
        return None
    try:
        parts = [float(p) for p in raw.split(":")]
    except ValueError:
        raise RowProblem(f"Time {raw!r} is not h:mm:ss") from None
    total = 0.0
    for part in parts:
        total = total * 60 + part
    return total


def _fitnotes(row: _Row, unit: Unit) -> SourceSet | None:
    if "Weight (lbs)" in row.cells:
        weight = _kg(row.number("Weight (lbs)"), Unit.LB)
    elif "Weight (kgs)" in row.cells or "Weight (kg)" in row.cells:
        weight = row.number("Weight (kgs)" if "Weight (kgs)" in row.cells else "Weight (kg)")
    else:
        weight = _kg(row.number("Weight"), _unit_named(row.text("Weight Unit"), unit))
    warm = row.text("Is Warmup").lower() in ("true", "yes", "1")
    return _source(
        row,
        started=_parse_time(row.text("Date"), ("%Y-%m-%d",), "Date"),
        name=row.text("Exercise"),
        kind=SetKind.WARM_UP if warm else SetKind.WORK,
        reps=row.whole("Reps"),
        seconds=_fitnotes_seconds(row.text("Time")),
        weight_kg=weight,
        rpe=row.number("RPE"),
    )


def _source(
    row: _Row,
    *,
    started: dt.datetime,
    name: str,
    kind: SetKind,
    reps: int | None,
    seconds: float | None,
    weight_kg: float | None,
    rpe: float | None,
) -> SourceSet:
    if not name:
        raise RowProblem("the exercise name is empty")
    for label, value in (("reps", reps), ("seconds", seconds), ("weight", weight_kg)):
        if value is not None and value < 0:
            raise RowProblem(f"{label} is negative ({value:g})")
    return SourceSet(
        line=row.line,
        started=started,
        exercise_name=name,
        kind=kind,
        reps=reps or None,
        seconds=seconds or None,
        weight_kg=weight_kg,
        rpe=rpe or None,
        key="",
    )


_READERS: dict[HistoryFormat, Callable[[_Row, Unit], SourceSet | None]] = {
    HistoryFormat.STRONG: _strong,
    HistoryFormat.HEVY: _hevy,
    HistoryFormat.FITNOTES: _fitnotes,
}
