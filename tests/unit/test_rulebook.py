"""Every rule id the code names is explained in the rulebook data (services/data/rules.yaml)."""

from __future__ import annotations

import re
from pathlib import Path

import hingecoach
from hingecoach.services.rulebook import find_rule, rule_sections

SRC = Path(hingecoach.__file__).parent
RULE_ID = re.compile(r"\bR-[A-Z]+-[0-9]+\b")
TEXT_SUFFIXES = {".py", ".html", ".yaml", ".md", ".js"}


def _ids_named_in_src() -> set[str]:
    found: set[str] = set()
    for path in SRC.rglob("*"):
        if path.suffix in TEXT_SUFFIXES and path.is_file():
            found.update(RULE_ID.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_rule_id_named_in_the_code_is_explained() -> None:
    named = _ids_named_in_src()
    assert len(named) >= 40, "the scan found too few rule ids to be looking in the right place"
    missing = sorted(rule_id for rule_id in named if find_rule(rule_id) is None)
    assert missing == [], f"rule ids with no entry in services/data/rules.yaml: {missing}"


def test_each_rule_has_a_title_and_two_plain_sentences() -> None:
    rules = [rule for section in rule_sections() for rule in section.rules]
    assert len({rule.id for rule in rules}) == len(rules), "a rule id is listed twice"
    for rule in rules:
        assert rule.title.strip() and rule.title[0].isupper(), rule.id
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", rule.text.strip()) if s]
        assert 2 <= len(sentences) <= 3, (rule.id, sentences)
        assert rule.text.rstrip().endswith("."), rule.id


def test_each_rule_sits_in_the_section_its_id_names() -> None:
    for section in rule_sections():
        for rule in section.rules:
            assert rule.id.startswith(f"R-{section.key}-"), (section.key, rule.id)


def test_rules_are_found_by_id_whatever_the_case_and_unknown_ids_are_none() -> None:
    rule = find_rule("r-prog-1")
    assert rule is not None and rule.id == "R-PROG-1"
    assert "two sessions in a row" in rule.text
    assert find_rule("R-PROG-99") is None
