"""The coaching rulebook explained for a trainee: a title and two plain sentences a rule.

The texts live in ``services/data/rules.yaml`` (one entry for every rule id in the spec's
RULES.md); the web app shows them at ``/rules`` and ``/rules/<id>``, and every rule id on a
page links there.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["RULES_FILE", "Rule", "RuleSection", "find_rule", "rule_sections"]

RULES_FILE = Path(__file__).parent / "data" / "rules.yaml"


class Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^R-[A-Z]+-[0-9]+$")
    title: str = Field(min_length=3)
    text: str = Field(min_length=20)


class RuleSection(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=r"^[A-Z]+$")
    title: str = Field(min_length=3)
    rules: tuple[Rule, ...] = Field(min_length=1)


class _Rulebook(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    sections: tuple[RuleSection, ...]


@cache
def rule_sections() -> tuple[RuleSection, ...]:
    """The rulebook's sections in the spec's order, each with its rules."""
    import yaml

    raw = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    return _Rulebook.model_validate(raw).sections


@cache
def _rules_by_id() -> dict[str, Rule]:
    return {rule.id: rule for section in rule_sections() for rule in section.rules}


def find_rule(rule_id: str) -> Rule | None:
    """The rule with this id (``R-PROG-1``), or None when there is no such rule."""
    return _rules_by_id().get(rule_id.strip().upper())
