"""The rule pages (/rules, /rules/<id>) are public, and rule ids on other pages link to them;
people read exercise names, never ids."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from hingecoach.knowledge import load_catalogue
from hingecoach.services.rulebook import rule_sections
from tests.e2e.web.conftest import login

RULE_LINK = re.compile(r'<a class="rule" href="/rules/(R-[A-Z]+-[0-9]+)">\1</a>')


def test_the_rule_list_is_public_and_grouped_by_section(client: TestClient) -> None:
    page = client.get("/rules", follow_redirects=False)
    assert page.status_code == 200
    for section in rule_sections():
        assert f">{section.title}</h2>" in page.text
        for rule in section.rules:
            assert f'href="/rules/{rule.id}"' in page.text
    assert page.text.index("Safety first") < page.text.index("Progressing")


def test_one_rule_is_explained_in_plain_words_without_signing_in(client: TestClient) -> None:
    page = client.get("/rules/R-PROG-1", follow_redirects=False)
    assert page.status_code == 200
    assert "Moving on to the next exercise" in page.text
    assert "two sessions in a row where every work set" in page.text
    assert 'href="/rules"' in page.text


def test_an_unknown_rule_is_a_404_with_a_plain_message(client: TestClient) -> None:
    page = client.get("/rules/R-NOPE-7")
    assert page.status_code == 404
    assert "There is no rule called “R-NOPE-7”" in page.text
    assert 'href="/rules"' in page.text
    assert "Traceback" not in page.text


def test_an_unknown_rule_id_is_escaped_on_the_404_page(client: TestClient) -> None:
    page = client.get("/rules/<b>x</b>")
    assert page.status_code == 404
    assert "<b>x</b>" not in page.text


def test_decisions_show_the_reason_with_rule_ids_as_links(client: TestClient) -> None:
    login(client, "ana")
    page = client.get("/decisions")
    assert page.status_code == 200
    linked = set(RULE_LINK.findall(page.text))
    assert linked, "no rule id on Decisions is a link"
    assert '<span class="rule">' not in page.text
    assert '<a href="/rules">what each rule means</a>' in page.text
    for rule_id in sorted(linked)[:3]:
        assert client.get(f"/rules/{rule_id}").status_code == 200


def test_today_links_the_rule_ids_beside_its_reasons(client: TestClient) -> None:
    login(client, "ana")
    page = client.get("/today")
    assert page.status_code == 200
    assert RULE_LINK.search(page.text), "no rule id on Today is a link"
    assert '<span class="rule">' not in page.text


def test_clients_name_each_clients_exercise_not_its_id(client: TestClient) -> None:
    login(client, "coach-a")
    page = client.get("/clients").text
    catalogue = load_catalogue(None)
    shown = re.findall(r" · ([^<·]+)</span>", page)
    assert shown, "no exercise on Clients"
    names = {ex.name for ex in catalogue.exercises.values()}
    assert set(shown) <= names, shown
