"""Hardening (issue 16 item 12): names that become web addresses are checked; the live
socket's Origin check includes the scheme."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from hingecoach.coach import demo_profile
from hingecoach.errors import InputError
from hingecoach.services.trainees import add_trainee
from tests.e2e.cli_runner import run
from tests.e2e.web.conftest import World, login


@pytest.mark.parametrize("name", ["Ana/Bo", "a?b", "x#1", "50%", "tab\there"])
def test_a_name_that_cannot_be_a_web_address_is_refused(world: World, name: str) -> None:
    with pytest.raises(InputError, match="cannot hold"):
        add_trainee(world.app.state.engine, name, demo_profile())


def test_the_cli_refuses_it_in_one_line(tmp_path: object) -> None:
    result = run("--db", f"sqlite:///{tmp_path}/c.db", "trainee", "add", "Ana/Bo")
    assert result.code == 2
    assert "cannot hold" in result.err and "Traceback" not in result.err


def test_a_socket_from_this_host_over_another_scheme_is_refused(client: TestClient) -> None:
    login(client, "ana")
    with pytest.raises(WebSocketDisconnect) as refused:  # noqa: SIM117
        with client.websocket_connect("/live/ws", headers={"origin": "https://testserver"}):
            pass
    assert refused.value.code == 1008
    with client.websocket_connect("/live/ws", headers={"origin": "http://testserver"}) as ws:
        ws.send_json({"type": "start", "width": 640, "height": 480})
        assert ws.receive_json()["type"] == "ready"


def test_trainee_add_without_a_terminal_says_what_to_give(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    result = run("--db", f"sqlite:///{tmp_path}/c.db", "trainee", "add", "Kim")
    assert result.code == 2, result.err
    assert "give --profile FILE" in result.err and "Aborted" not in result.err
