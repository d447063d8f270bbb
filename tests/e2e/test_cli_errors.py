"""CLI errors (issue 16 item 11): a missing clip is bad input, exit 2, in one line."""

from __future__ import annotations

from tests.e2e.cli_runner import run


def test_a_missing_clip_is_bad_input() -> None:
    for args in (("analyze", "/nonexistent/set.mp4"), ("live", "--video", "/nonexistent/set.mp4")):
        result = run(*args)
        assert result.code == 2, (args, result.err)
        assert "no such file" in result.err and "Traceback" not in result.err
