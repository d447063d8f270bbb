"""Printing for the command line: Rich consoles, JSON output and the one-line error."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["console", "err_console", "print_error", "print_json"]


def console() -> Console:
    """A console on the current stdout (looked up at call time, so tests can capture it)."""
    from rich.console import Console

    # A pipe or a file gets a fixed, roomy width instead of 80 columns.
    width = None if sys.stdout.isatty() else 120
    return Console(file=sys.stdout, highlight=False, soft_wrap=False, width=width)


def err_console(file: TextIO | None = None) -> Console:
    """A console on standard error (or on ``file``, another stream onto it)."""
    from rich.console import Console

    return Console(file=file or sys.stderr, highlight=False)


def print_error(message: str) -> None:
    """One clear line (the first line in red; detail lines, if any, follow plainly)."""
    first, _, rest = message.partition("\n")
    stream = err_console()
    stream.print(f"[bold red]error:[/] {first}", markup=True, soft_wrap=True)
    if rest:
        stream.print(rest, markup=False, soft_wrap=True)


def print_json(data: Any) -> None:
    """Machine-readable output for scripts: stable keys, UTF-8, a trailing newline."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
