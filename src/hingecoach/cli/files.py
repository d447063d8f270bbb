"""Read the coach's inputs (profile, answers, history, a set) from JSON or YAML files.

Every problem becomes one :class:`InputError` line naming the file, the field and what is
wrong, e.g. ``profile.yaml: equipment.kettlebells_kg.0: Input should be greater than 0``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from hingecoach.errors import InputError, format_validation_error

__all__ = ["read_data", "read_model"]

M = TypeVar("M", bound=BaseModel)


def read_data(path: Path) -> Any:
    """Parse a ``.json``, ``.yaml`` or ``.yml`` file (by its suffix; JSON is tried first)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc})") from None
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark is not None else ""
            raise InputError(f"{path}: not valid YAML{where}; check the indentation") from None
        except ValueError as exc:  # a date that is not a real one, e.g. 2026-13-45
            raise InputError(
                f"{path}: {_first_bad_date(text)} is not a real date ({exc}); "
                "write dates as YYYY-MM-DD"
            ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None


def _first_bad_date(text: str) -> str:
    """Where the first date-like value that is not a real date is (for the message)."""
    import datetime as dt
    import re

    for number, line in enumerate(text.splitlines(), start=1):
        for found in re.findall(r"\b\d{4}-\d{1,2}-\d{1,2}\b", line):
            year, month, day = (int(part) for part in found.split("-"))
            try:
                dt.date(year, month, day)
            except ValueError:
                return f"{found!r} at line {number}"
    return "a date"


def read_model(path: Path, model: type[M]) -> M:
    """Parse and validate a file as ``model``; raise one clear :class:`InputError`."""
    data = read_data(path)
    if data is None:
        raise InputError(f"{path}: the file is empty")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(format_validation_error(str(path), exc)) from None
