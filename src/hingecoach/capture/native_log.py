"""MediaPipe's native log lines kept off a person's terminal.

MediaPipe and TensorFlow Lite write start-up notes straight to file descriptor 2 from their
own threads ("W0000 00:00:... inference_feedback_manager.cc:114] Feedback manager requires
...", "INFO: Created TensorFlow Lite XNNPACK delegate for CPU."), sometimes well after the
call that caused them, so silencing the descriptor around that call misses some of them.
:func:`filtered_native_stderr` routes descriptor 2 through a pipe for the whole analysis and
passes on every line but those (info and warning lines in absl's format and TFLite's two
start-up notes); errors, Python's own messages and progress bars pass through unchanged.
Processes started inside it (a clip split over two) inherit the filtered descriptor.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
from collections.abc import Iterator
from typing import TextIO

__all__ = ["filtered_native_stderr", "is_chatter", "split_chatter"]

#: The two start-up notes (absl's and TFLite's), as they begin.
_LITERAL_STARTS = (
    b"WARNING: All log messages before absl::InitializeLog() is called",
    b"INFO: Created TensorFlow Lite ",
)
#: Where a chatter line starts: absl's info and warning lines and TFLite's start-up notes. It
#: is looked for anywhere in the text, not only at a line's start: a native line written
#: while a progress bar's redraw (no newline) is on the line lands in the middle of it.
_CHATTER_START = re.compile(
    rb"|".join([rb"[IW]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ \S+:\d+\] ", *map(re.escape, _LITERAL_STARTS)])
)
#: The end of a chunk that may be the first bytes of an absl line (its letter and digits,
#: then anything up to the newline): held until the rest arrives.
_ABSL_BEGUN = re.compile(rb"[IW]\d{0,4}\Z|[IW]\d{4} [^\n]*\Z")
#: How long the end of the analysis waits for the last lines to pass.
_DRAIN_S = 2.0


def is_chatter(line: bytes) -> bool:
    """A native info or warning line no person needs to read."""
    return _CHATTER_START.match(line) is not None


def _may_become_chatter(tail: bytes) -> bool:
    """Whether ``tail``, the unfinished end of what was read, could still be a chatter line."""
    return _ABSL_BEGUN.match(tail) is not None or any(
        start.startswith(tail) for start in _LITERAL_STARTS
    )


def _held_from(tail: bytes) -> int:
    """Where the part of ``tail`` that may still become chatter begins (its length if none)."""
    for at, byte in enumerate(tail):
        if byte in b"IW" and _may_become_chatter(tail[at:]):
            return at
    return len(tail)


def split_chatter(text: bytes) -> tuple[bytes, bytes]:
    """What of ``text`` passes now, without its chatter lines, and the end held back until
    more arrives because it may be the beginning of one."""
    kept: list[bytes] = []
    at = 0
    for found in _CHATTER_START.finditer(text):
        if found.start() < at:  # inside a chatter line already left out
            continue
        end = text.find(b"\n", found.start())
        kept.append(text[at : found.start()])
        if end < 0:
            return b"".join(kept), text[found.start() :]
        at = end + 1
    rest = text[at:]
    line_start = rest.rfind(b"\n") + 1  # only the unfinished last line may be held
    hold = line_start + _held_from(rest[line_start:])
    return b"".join(kept) + rest[:hold], rest[hold:]


def _pump(source: int, sink: int) -> None:
    """Copy ``source`` to ``sink`` until end of file, leaving out the chatter lines."""
    pending = b""
    with contextlib.suppress(OSError):
        while chunk := os.read(source, 65536):
            kept, pending = split_chatter(pending + chunk)
            if kept:
                os.write(sink, kept)
        if pending and not is_chatter(pending):
            os.write(sink, pending)
    os.close(source)


@contextlib.contextmanager
def filtered_native_stderr() -> Iterator[TextIO]:
    """Descriptor 2 without MediaPipe's chatter while inside; yields a text stream on the
    real standard error (for a progress bar that asks whether it is a terminal)."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # captured (pytest, a notebook)
        yield sys.stderr
        return
    sys.stderr.flush()
    saved = os.dup(fd)
    source, sink = os.pipe()
    os.dup2(sink, fd)
    os.close(sink)
    pump = threading.Thread(target=_pump, args=(source, saved), daemon=True)
    pump.start()
    real = os.fdopen(os.dup(saved), "w", encoding=sys.stderr.encoding or "utf-8")
    try:
        yield real
    finally:
        real.close()
        sys.stderr.flush()
        os.dup2(saved, fd)  # the pipe's last writer here goes: the pump reads its end
        pump.join(_DRAIN_S)
        if not pump.is_alive():
            os.close(saved)
