"""kg or lb (issue 14) on the progress page and where equipment is entered: an lb trainee
reads pounds in the charts and the records, and types the weights they own in pounds
(kept in kg)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from hingecoach.services.trainees import get_trainee
from hingecoach.units import KG_PER_LB
from tests.e2e.web.conftest import World, csrf_from
from tests.e2e.web.logsheet import add_barbell_trainee
from tests.e2e.web.test_accounts import CLEAR, SCREENS, _signup, _step

PASSWORD = "units-test-password"


def _sign_in(client: TestClient, email: str) -> None:
    page = client.get("/login").text
    response = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrftoken": csrf_from(page)},
        follow_redirects=False,
    )
    assert response.status_code == 303


def _choose(client: TestClient, unit: str) -> None:
    token = csrf_from(client.get("/account").text)
    response = client.post("/account/unit", data={"unit": unit, "csrftoken": token})
    assert response.status_code == 200


def test_an_lb_trainee_reads_progress_and_records_in_pounds(world: World) -> None:
    add_barbell_trainee(world.url, "Pat", "pat@example.com", PASSWORD)  # 60 kg x 8, twice
    with TestClient(world.app) as client:
        _sign_in(client, "pat@example.com")
        in_kg = client.get("/progress").text
        assert "60 kg x 8" in in_kg and "e1RM kg (band)" in in_kg
        _choose(client, "lb")
        page = client.get("/progress").text
    records = page.split('id="records"')[1]
    assert "132.25 lb x 8" in records  # the heaviest set: 60 kg is 132.25 lb
    best = re.search(r"<td>(\d+) lb<br>", records)
    assert best, records
    e1rm_kg = float(re.findall(r"(\d+) \(\d+-\d+\)", in_kg)[0])
    assert abs(int(best.group(1)) - e1rm_kg / KG_PER_LB) <= 1.5  # the estimate, in lb
    assert "e1RM lb (band)" in page and "Tonnage lb" in page
    assert ">lb</text>" in page  # the e1RM chart's axis
    assert "132.25 x 8" in page  # the set each estimate came from, in the table
    assert " kg" not in page.split("<main", 1)[-1]


def test_equipment_typed_in_pounds_on_the_start_page_is_kept_in_kg(world: World) -> None:
    with TestClient(world.app) as client:
        _signup(client, "lou@example.com", name="Lou")
        html = client.get("/start").text
        assert 'name="unit" value="lb"' in html
        about = {
            "age": "38",
            "unit": "lb",
            "body_mass": "176",
            "goal": "strength",
            "training_history": "novice",
            "kettlebells": "35, 53",
            "days": "monday",
        }
        html = _step(client, html, about)
        html = _step(client, html, CLEAR | {"current_pain": "0"})
        for answer in SCREENS:
            html = _step(client, html, answer)
        assert "Where you start" in html
    profile = get_trainee(world.app.state.engine, "Lou").profile
    assert profile.unit == "lb"
    assert [round(k, 2) for k in profile.equipment.kettlebells_kg] == [15.88, 24.04]
    assert round(profile.body_mass_kg, 1) == 79.8


def test_a_load_that_is_not_one_is_refused_plainly(world: World) -> None:
    with TestClient(world.app) as client:
        _signup(client, "max@example.com", name="Max")
        html = client.get("/start").text
        state = re.search(r'name="state" value="([^"]*)"', html)
        assert state
        response = client.post(
            "/start",
            data={
                "age": "30",
                "unit": "lb",
                "body_mass": "170",
                "kettlebells": "35, heavy",
                "state": state.group(1),
                "step": "about",
                "csrftoken": csrf_from(html),
            },
        )
    assert response.status_code == 422
    assert "heavy" in response.text and "Traceback" not in response.text
