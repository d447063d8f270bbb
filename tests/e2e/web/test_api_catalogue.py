"""The catalogue through the API: the list, one exercise, its rung and the whole ladder,
the same data as ``hingecoach catalogue``, for any valid token."""

from __future__ import annotations

import itertools

import pytest
from fastapi.testclient import TestClient

from hingecoach.knowledge import load_catalogue
from tests.e2e.web.conftest import World


def _auth(world: World, who: str = "ana") -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[who]}"}


def test_the_list_has_every_exercise_hinges_by_stage_then_pushes(
    client: TestClient, world: World
) -> None:
    got = client.get("/api/v1/catalogue", headers=_auth(world))
    assert got.status_code == 200
    rows = got.json()
    assert {r["id"] for r in rows} == set(load_catalogue(None).exercises)
    stages = [r["stage"] for r in rows]
    hinges = [s for s in stages if s is not None]
    assert hinges == sorted(hinges) and stages[len(hinges) :] == [None] * (len(rows) - len(hinges))
    deadlift = next(r for r in rows if r["id"] == "conventional-deadlift")
    assert deadlift["stage_label"] == "lift" and "barbell" in deadlift["load_modes"]


def test_the_list_filters_by_stage_and_pattern(client: TestClient, world: World) -> None:
    floor = client.get("/api/v1/catalogue?stage=0", headers=_auth(world)).json()
    assert floor and {r["stage"] for r in floor} == {0}
    pushes = client.get("/api/v1/catalogue?pattern=push", headers=_auth(world)).json()
    assert {"push-up", "bench-press", "overhead-press"} <= {r["id"] for r in pushes}
    assert all(r["pattern"] == "push" and r["stage"] is None for r in pushes)
    bad = client.get("/api/v1/catalogue?stage=9", headers=_auth(world))
    assert bad.status_code == 422


def test_one_exercise_with_its_faults_and_modifiers(client: TestClient, world: World) -> None:
    catalogue = load_catalogue(None)
    got = client.get("/api/v1/catalogue/kettlebell-deadlift", headers=_auth(world))
    assert got.status_code == 200
    ex = got.json()
    want = catalogue.exercises["kettlebell-deadlift"]
    assert ex["cues"] == want.cues and ex["setup"] == want.setup
    assert [f["id"] for f in ex["faults"]] == want.faults
    assert all(f["cue"] and f["drill"] for f in ex["faults"])
    assert [m["id"] for m in ex["modifiers"]] == want.modifiers
    assert ex["tempo"]["down_s"] == want.tempo.down_s


def test_an_alias_finds_the_exercise_and_a_typo_names_the_nearest(
    client: TestClient, world: World
) -> None:
    by_alias = client.get("/api/v1/catalogue/deadlift", headers=_auth(world))
    assert by_alias.status_code == 200 and by_alias.json()["id"] == "conventional-deadlift"
    typo = client.get("/api/v1/catalogue/deadlfit", headers=_auth(world))
    assert typo.status_code == 404
    assert "did you mean" in typo.json()["detail"]
    assert client.get("/api/v1/catalogue/deadlfit/ladder", headers=_auth(world)).status_code == 404


def test_a_rung_knows_its_neighbours_and_the_way_up_from_the_floor(
    client: TestClient, world: World
) -> None:
    catalogue = load_catalogue(None)
    got = client.get("/api/v1/catalogue/trap-bar-deadlift/ladder", headers=_auth(world))
    assert got.status_code == 200
    rung = got.json()
    want = catalogue.exercises["trap-bar-deadlift"]
    assert [r["id"] for r in rung["progresses_to"]] == want.progresses_to
    assert [r["id"] for r in rung["regresses_to"]] == want.regresses_to
    path = [r["id"] for r in rung["path_from_floor"]]
    assert path[-1] == "trap-bar-deadlift"
    assert not catalogue.exercises[path[0]].regresses_to  # starts on a floor exercise
    for lower, upper in itertools.pairwise(path):  # each step is one rung up
        assert lower in catalogue.exercises[upper].regresses_to
    stages = [r["stage"] for r in rung["path_from_floor"]]
    assert stages == sorted(stages)  # never down a stage on the way up

    push = client.get("/api/v1/catalogue/push-up/ladder", headers=_auth(world)).json()
    assert push["exercise"]["stage"] is None and push["path_from_floor"] == []


def test_the_ladder_stage_by_stage_floor_first(client: TestClient, world: World) -> None:
    got = client.get("/api/v1/ladder", headers=_auth(world, "coach-b"))
    assert got.status_code == 200
    ladder = got.json()
    assert [s["stage"] for s in ladder["stages"]] == sorted(s["stage"] for s in ladder["stages"])
    first = ladder["stages"][0]["exercises"][0]
    assert first["regresses_to"] == []
    listed = {e["id"] for s in ladder["stages"] for e in s["exercises"]}
    listed |= {e["id"] for e in ladder["pushes"]}
    assert listed == set(load_catalogue(None).exercises)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/catalogue",
        "/api/v1/catalogue/push-up",
        "/api/v1/catalogue/push-up/ladder",
        "/api/v1/ladder",
    ],
)
def test_the_catalogue_needs_a_valid_token(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 401
    bad = client.get(path, headers={"Authorization": "Bearer hc_not-a-token"})
    assert bad.status_code == 401
