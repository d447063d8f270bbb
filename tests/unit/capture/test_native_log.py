"""MediaPipe's native chatter kept off the terminal (capture/native_log.py): the filter runs
on the real descriptor 2 of a child process, as ``hingecoach analyze`` runs it."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hingecoach.capture.native_log import is_chatter, split_chatter

CHATTER = [
    b"W0000 00:00:1796627099.060567   27837 inference_feedback_manager.cc:114] Feedback "
    b"manager requires a model with a single signature inference.",
    b"I0000 00:00:1796627099.060567   27837 gl_context.cc:369] GL version: 3.2",
    b"WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
    b"INFO: Created TensorFlow Lite XNNPACK delegate for CPU.",
]
KEPT = [
    b"E0000 00:00:1796627099.060567   27837 graph.cc:1] the graph failed",
    b"error: clip.mp4: no such file",
    b"Warning: a word a person wrote",
    b"\r\x1b[2Kanalysing clip.mp4  40 %",
]


@pytest.mark.parametrize("line", CHATTER)
def test_native_info_and_warning_lines_are_chatter(line: bytes) -> None:
    assert is_chatter(line)


@pytest.mark.parametrize("line", KEPT)
def test_errors_messages_and_progress_are_not(line: bytes) -> None:
    assert not is_chatter(line)


def _through_the_filter(chunks: list[bytes]) -> bytes:
    """What the pump writes for ``chunks`` read one after another, then end of file."""
    out, pending = b"", b""
    for chunk in chunks:
        kept, pending = split_chatter(pending + chunk)
        out += kept
    return out + (b"" if is_chatter(pending) else pending)


# A progress redraw (no newline), native lines landing in the middle of it, and text a
# person must see, some of it beginning like chatter does.
_STREAM_PARTS = [
    (b"\r\x1b[2Kanalysing 10 %", True),
    (CHATTER[0] + b"\n", False),
    (b"\r\x1b[2Kanalysing 20 %", True),
    (CHATTER[3] + b"\n", False),
    (b"Warning: a word a person wrote\n", True),
    (CHATTER[2] + b"\n", False),
    (b"I0 is not a log line\n", True),
    (KEPT[0] + b"\n", True),
    (CHATTER[1] + b"\n", False),
    (b"INFO: Created a plan\n", True),
    (b"the end without a newline W", True),
]
_STREAM = b"".join(part for part, _ in _STREAM_PARTS)
_SEEN = b"".join(part for part, kept in _STREAM_PARTS if kept)


def test_chatter_written_into_a_progress_redraw_is_left_out() -> None:
    redraw_then_a_native_line = [
        b"\r\x1b[2Kbar 10 %INFO: Created TensorFlow Lite XNNPACK del",
        b"egate for CPU.\nafter\n",
    ]
    assert _through_the_filter(redraw_then_a_native_line) == b"\r\x1b[2Kbar 10 %after\n"


@given(st.lists(st.integers(0, len(_STREAM)), max_size=12))
def test_however_the_reads_cut_the_stream_only_the_chatter_is_left_out(cuts: list[int]) -> None:
    edges = [0, *sorted(cuts), len(_STREAM)]
    chunks = [_STREAM[a:b] for a, b in itertools.pairwise(edges)]
    assert _through_the_filter(chunks) == _SEEN


def test_text_that_cannot_become_chatter_is_not_held_back() -> None:
    kept, held = split_chatter(b"\r\x1b[2Kanalysing 40 %")
    assert (kept, held) == (b"\r\x1b[2Kanalysing 40 %", b"")
    kept, held = split_chatter(b"\r\x1b[2Kanalysing 40 % I00")
    assert (kept, held) == (b"\r\x1b[2Kanalysing 40 % ", b"I00")


_CHILD = r"""
import os, sys, time
from hingecoach.capture.native_log import filtered_native_stderr
os.write(2, b"before\n")
with filtered_native_stderr() as real:
    os.write(2, b"W0000 00:00:1.5   27 inference_feedback_manager.cc:114] Feedback\n")
    os.write(2, b"\r\x1b[2Kbar 10 %")  # a progress redraw: no newline, passes at once
    os.write(2, b"INFO: Created TensorFlow Lite XNNPACK del")  # a line in two writes
    time.sleep(0.05)
    os.write(2, b"egate for CPU.\n")
    print("a python message", file=sys.stderr, flush=True)
    real.write("on the real stderr\n")
    real.flush()
    os.write(2, b"E0000 00:00:1.5   27 graph.cc:1] kept\n")
    os.write(2, b"the end without a newline")
os.write(2, b"\nafter\n")
"""


def test_the_filter_drops_only_the_chatter_and_restores_stderr() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD], capture_output=True, timeout=60, check=True
    )
    err = done.stderr.decode()
    assert "W0000" not in err and "XNNPACK" not in err
    for text in ("before", "\r\x1b[2Kbar 10 %", "a python message", "on the real stderr",
                 "E0000 00:00:1.5   27 graph.cc:1] kept", "the end without a newline",
                 "after"):  # fmt: skip
        assert text in err, (text, err)
    assert err.index("before") < err.index("bar 10 %") < err.index("a python message")
    assert err.index("the end without a newline") < err.index("after")
