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

__all__ = ["filtered_native_stderr", "is_chatter"]

_CHATTER = re.compile(
    rb"^(?:[IW]\d{4} \d\d:\d\d:\d+\.\d+\s+\d+ \S+:\d+\] "
    rb"|WARNING: All log messages before absl::InitializeLog\(\) is called"
    rb"|INFO: Created TensorFlow Lite )"
)
#: A partial line starting with one of these may still turn out to be chatter: it is held
#: until its end; anything else (a progress bar's redraw) passes at once.
_MAYBE = (b"I", b"W")
#: How long the end of the analysis waits for the last lines to pass.
_DRAIN_S = 2.0


def is_chatter(line: bytes) -> bool:
    """A native info or warning line no person needs to read."""
    return _CHATTER.match(line) is not None


def _pump(source: int, sink: int) -> None:
    """Copy ``source`` to ``sink`` until end of file, leaving out the chatter lines."""
    pending = b""
    with contextlib.suppress(OSError):
        while chunk := os.read(source, 65536):
            pending += chunk
            *lines, pending = pending.split(b"\n")
            kept = b"".join(line + b"\n" for line in lines if not is_chatter(line))
            if pending and not pending.startswith(_MAYBE):
                kept, pending = kept + pending, b""
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
