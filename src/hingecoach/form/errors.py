"""Errors of the form analysis, under the project's one tree (see :mod:`hingecoach.errors`).

::

    HingecoachError
    └── FormError                   a clip or track that cannot be analysed (exit status 3)
        ├── ViewRefusedError        the view is wrong: no person, several people, not a side
        │                           view, body cut off or hidden, a pose that cannot be
        │                           trusted (R-FORM-5); says what to re-film
        └── UnreadableVideoError    the file is not a video (or track) we can decode

Every error carries a stable ``code`` (kebab-case) that scripts can rely on.
"""

from __future__ import annotations

from hingecoach.errors import HingecoachError

__all__ = [
    "REFUSAL_CODES",
    "FormError",
    "MissingVideoError",
    "UnreadableVideoError",
    "ViewRefusedError",
]

#: The stable error codes of ``hingecoach analyze`` (R-FORM-5).
REFUSAL_CODES = (
    "no-person",
    "several-people",
    "not-side-view",
    "body-cut-off",
    "body-occluded",
    "pose-unreliable",
)


class FormError(HingecoachError):
    """A clip or pose track that cannot be analysed."""

    exit_code = 3
    code = "form-error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class ViewRefusedError(FormError):
    """R-FORM-5: the view does not allow a side-view analysis; the message says what to re-film."""

    def __init__(self, code: str, message: str) -> None:
        if code not in REFUSAL_CODES:
            raise ValueError(f"unknown refusal code {code!r}; expected one of {REFUSAL_CODES}")
        super().__init__(message, code=code)


class UnreadableVideoError(FormError):
    """The file cannot be decoded as a video or read as a pose track."""

    code = "unreadable-video"


class MissingVideoError(UnreadableVideoError):
    """The clip named is not there: bad input, exit 2 like any other (README)."""

    exit_code = 2  # its JSON error code stays "unreadable-video"
