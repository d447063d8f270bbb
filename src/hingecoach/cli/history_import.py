"""``hingecoach import FILE NAME --from strong|hevy|fitnotes``: history from another app.

The whole file is read and checked first; nothing is written unless all of it is good, and
sets imported before (same source, time, exercise and place) are left out.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from hingecoach.cli.output import console, print_json

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from hingecoach.importers import NameMap
    from hingecoach.knowledge import Catalogue

__all__ = ["import_history"]


def _names(catalogue: Catalogue, path: Path | None) -> NameMap:
    from hingecoach.cli.files import read_data
    from hingecoach.errors import InputError
    from hingecoach.importers import builtin_names

    names = builtin_names(catalogue)
    if path is None:
        return names
    data = read_data(path)
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise InputError(
            f'{path}: expected "Name in the app": exercise-id pairs, '
            'e.g. {"Deadlift (Deficit)": "conventional-deadlift"}'
        )
    return names.with_user_names(data, catalogue, str(path))


def _read(file: Path, max_mb: float) -> str:
    from hingecoach.errors import InputError
    from hingecoach.services.transfer import check_import_size, decode_export

    try:
        check_import_size(file.stat().st_size, max_mb, str(file))
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{file}: no such file") from None
    except OSError as exc:
        raise InputError(f"{file}: cannot be read ({exc.strerror})") from None
    return decode_export(data, str(file))


def import_history(
    engine: Engine,
    catalogue: Catalogue,
    *,
    file: Path,
    name: str,
    source: str | None,
    unit: str,
    names_file: Path | None,
    max_mb: float,
    preview: bool,
    as_json: bool,
) -> None:
    from hingecoach.errors import InputError
    from hingecoach.importers import HistoryFormat, Unit
    from hingecoach.services.transfer import import_history as run_import
    from hingecoach.services.transfer import import_summary

    formats = [f.value for f in HistoryFormat]
    if source is not None and source not in formats:
        raise InputError(f"--from must be one of {', '.join(formats)}, not {source!r}")
    if unit not in ("kg", "lb", "lbs"):
        raise InputError(f"--unit must be kg or lb, not {unit!r}")
    names = _names(catalogue, names_file)
    text = _read(file, max_mb)
    plan, written = run_import(
        engine,
        name,
        text,
        fmt=HistoryFormat(source) if source else None,
        names=names,
        catalogue=catalogue,
        today=dt.date.today(),
        unit=Unit.KG if unit == "kg" else Unit.LB,
        preview=preview,
        source=str(file),
    )
    summary = import_summary(plan, catalogue)
    summary["written"] = written
    if as_json:
        print_json(summary)
        return
    out = console()
    for line in summary["lines"]:
        out.print(line, highlight=False)
    if plan.unmapped:
        out.print("Map a name to an exercise with --names FILE.")
    if preview:
        out.print("Preview only: nothing written. Run again without --preview to import.")
    elif written:
        out.print(f"Imported {written} sets into {name}'s history.")
    else:
        out.print("Nothing new to import: every set in the file is already in the history.")
