"""The rest timer of ``hingecoach log``: a countdown after each work set, from the
prescribed rest, kept against the clock (a slow terminal or a suspended laptop does not
stretch it). Ctrl-C ends the rest early; the bell rings when it is over."""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable

__all__ = ["count_down", "rest_label", "show_rest"]


def rest_label(seconds_left: float) -> str:
    """``1:05`` for 65 s left (rounded up, never below 0:00)."""
    left = max(0, math.ceil(seconds_left))
    return f"{left // 60}:{left % 60:02d}"


def count_down(
    seconds: float,
    show: Callable[[str], None],
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    step_s: float = 0.25,
) -> bool:
    """Show the time left until ``seconds`` have passed on ``clock``; True when the rest
    ran out, False when it was skipped (Ctrl-C)."""
    end = clock() + seconds
    try:
        while (left := end - clock()) > 0:
            show(rest_label(left))
            sleep(min(step_s, left))
    except KeyboardInterrupt:
        show("skipped")
        return False
    show("0:00")
    return True


def show_rest(seconds: int) -> None:
    """The countdown in the terminal (Rich), only when a person is at it."""
    if seconds <= 0 or not sys.stdin.isatty():
        return
    from rich.live import Live
    from rich.text import Text

    from hingecoach.cli.output import console

    with Live(Text(""), console=console(), transient=True, refresh_per_second=8) as live:

        def show(label: str) -> None:
            live.update(Text(f"Rest {label}  (Ctrl-C to skip)", style="bold"))

        done = count_down(seconds, show)
    if done:
        console().print("[bold]Rest over:[/] next set.\a")
