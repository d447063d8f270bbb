"""Every rule of RULES.md sections 2-6 is named in the coach's code and in its tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import hingecoach.coach

CODE = Path(hingecoach.coach.__file__).parent
TESTS = Path(__file__).parent
RULES = (
    [f"R-SAFE-{i}" for i in range(1, 7)]
    + [f"R-ASSESS-{i}" for i in range(1, 5)]
    + [f"R-RX-{i}" for i in range(1, 7)]
    + [f"R-PROG-{i}" for i in range(1, 7)]
    + [f"R-REG-{i}" for i in range(1, 9)]
)


def _text(folder: Path, exclude: str = "") -> str:
    return "\n".join(
        p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.py")) if p.name != exclude
    )


@pytest.mark.parametrize("rule", RULES)
def test_rule_is_named_in_code_and_tests(rule: str) -> None:
    code = _text(CODE)
    tests = _text(TESTS, exclude=Path(__file__).name)
    named = re.compile(rf"{re.escape(rule)}(?!\d)")
    assert named.search(code), f"{rule} is not named in hingecoach/coach"
    assert named.search(tests), f"{rule} is not named in tests/unit/coach"


def test_every_default_number_names_its_rule() -> None:
    """defaults.py holds the numbers; each assignment line carries a rule id or says why."""
    lines = (CODE / "defaults.py").read_text(encoding="utf-8").splitlines()
    for line in lines:
        if ": Final =" in line and not line.startswith(" "):
            assert "R-" in line or "default" in line, line
