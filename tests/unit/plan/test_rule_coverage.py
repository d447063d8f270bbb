"""Every rule of RULES.md section 7 is named in the planner's code and in its tests, and
every default number in plan/defaults.py names its rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import hingecoach.plan

CODE = Path(hingecoach.plan.__file__).parent
TESTS = Path(__file__).parent
RULES = [f"R-PLAN-{i}" for i in range(1, 6)]


def _text(folder: Path, exclude: str = "") -> str:
    return "\n".join(
        p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.py")) if p.name != exclude
    )


@pytest.mark.parametrize("rule", RULES)
def test_rule_is_named_in_code_and_tests(rule: str) -> None:
    named = re.compile(rf"{re.escape(rule)}(?!\d)")
    assert named.search(_text(CODE)), f"{rule} is not named in hingecoach/plan"
    assert named.search(_text(TESTS, exclude=Path(__file__).name)), f"{rule} not in tests"


def test_every_default_number_names_its_rule() -> None:
    lines = (CODE / "defaults.py").read_text(encoding="utf-8").splitlines()
    finals = [line for line in lines if ": Final =" in line and not line.startswith(" ")]
    assert finals
    for line in finals:
        assert "R-" in line, line
