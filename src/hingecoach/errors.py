"""The project's exceptions: one tree, so callers can catch what they mean.

::

    HingecoachError                 anything the project raises on purpose
    ├── InputError                  a value or file from the user is malformed or out of range
    │   ├── UnknownIdError          an id (exercise, fault, trainee ...) that does not exist
    │   ├── ConflictError           the thing already exists (a trainee's name is taken)
    │   └── ScheduleRefusedError    the days given cannot hold the sessions wanted (R-PLAN-1)
    ├── AuthenticationError         wrong email or password, a bad or missing API token
    ├── PermissionDeniedError       signed in, but this role may not do that
    ├── CatalogueError              the catalogue data breaks the schema or the graph (R-CAT-3)
    └── StoreError                  the database cannot be used as it is
        └── NewerSchemaError        the database was made by a newer hingecoach

Every error's message is one line a person can act on. The CLI prints it and exits
non-zero; the web layer maps it to a 4xx (a store error to 503). Nothing here imports
anything heavy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = [
    "AuthenticationError",
    "CatalogueError",
    "CatalogueProblem",
    "ConflictError",
    "HingecoachError",
    "InputError",
    "NewerSchemaError",
    "PermissionDeniedError",
    "StoreError",
    "UnknownIdError",
    "format_validation_error",
]


class HingecoachError(Exception):
    """Base of every error the project raises on purpose."""

    exit_code = 1


class InputError(HingecoachError):
    """A value or file from the user is malformed or out of range."""

    exit_code = 2


class UnknownIdError(InputError):
    """An id that does not exist; carries the closest known ids as suggestions."""

    def __init__(
        self, kind: str, wanted: str, suggestions: Sequence[str] = (), hint: str | None = None
    ) -> None:
        self.kind = kind
        self.wanted = wanted
        self.suggestions = list(suggestions)
        message = f"unknown {kind} {wanted!r}"
        if self.suggestions:
            message += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        else:
            message += "; " + (hint or "see `hingecoach catalogue list` for the known ids")
        super().__init__(message)


class AuthenticationError(HingecoachError):
    """Who is asking is not known: a wrong email or password, a bad or missing API token."""

    exit_code = 5


class PermissionDeniedError(HingecoachError):
    """The person is signed in but their role may not do this (a trainee overriding)."""

    exit_code = 6


@dataclass(frozen=True)
class CatalogueProblem:
    """One problem found in the catalogue: which file, which field, what is wrong."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}"


class CatalogueError(HingecoachError):
    """The catalogue data is invalid. Lists every problem at once (R-CAT-3)."""

    exit_code = 3

    def __init__(self, problems: Sequence[CatalogueProblem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"the catalogue has {count} {noun}:\n{lines}")


class ConflictError(InputError):
    """The thing to create already exists."""


class ScheduleRefusedError(InputError):
    """The days given cannot hold the hinge sessions wanted (R-PLAN-1). ``refusal`` (a
    :class:`hingecoach.plan.ScheduleRefusal`) holds the reason and the nearest valid week."""

    def __init__(self, refusal: Any) -> None:
        self.refusal = refusal
        super().__init__(refusal.message())


class StoreError(HingecoachError):
    """The database cannot be opened or used as it is."""

    exit_code = 4


class NewerSchemaError(StoreError):
    """The database's schema is newer than this release knows; nothing is changed."""


def format_validation_error(source: str, exc: ValidationError, limit: int = 5) -> str:
    """``source: field.path: problem`` for the first few errors, and how many more."""
    lines = []
    for err in exc.errors()[:limit]:
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        lines.append(f"{source}: {loc}: {err['msg']}")
    more = exc.error_count() - limit
    if more > 0:
        lines.append(f"... and {more} more")
    return "\n".join(lines)
