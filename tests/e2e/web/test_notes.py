"""A trainer's notes on a client: dated entries (who, when, what), newest first; add, and
delete one's own; form token and redirect after each post; nobody else's to read or edit."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from hingecoach.services.accounts import account_by_token
from hingecoach.services.trainees import add_note, list_notes
from tests.e2e.web.conftest import World, csrf_from, login


def _add(client: TestClient, name: str, text: str) -> str:
    page = client.get(f"/clients/{name}").text
    response = client.post(
        f"/clients/{name}/notes",
        data={"csrftoken": csrf_from(page), "notes": text},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text  # redirect after post
    assert response.headers["location"] == f"/clients/{name}?saved=notes#notes"
    return client.get(response.headers["location"]).text


def _entries(page: str) -> list[tuple[str, str, str]]:
    """(author, time, text) of each note shown, top to bottom."""
    return re.findall(
        r'<li class="note-entry" id="note-\d+">\s*<p class="note-meta small muted">'
        r'<strong>([^<]*)</strong> · <time datetime="([^"]+)">[^<]*</time></p>\s*'
        r'<p class="note-text">([^<]*)</p>',
        page,
    )


def test_notes_are_dated_entries_newest_first(client: TestClient) -> None:
    login(client, "coach-a")
    _add(client, "Bo", "First session: hinge from the wall.")
    page = _add(client, "Bo", "Second: ready for the dowel.")
    entries = _entries(page)
    assert [text for _, _, text in entries[:2]] == [
        "Second: ready for the dowel.",
        "First session: hinge from the wall.",
    ]
    assert all(author == "Coach-A" for author, _, _ in entries[:2])
    assert entries[0][1] >= entries[1][1], "newest first"
    assert "Notes saved." in page
    assert '<textarea id="notes-text" name="notes" rows="3" maxlength="4000" required>' in page
    assert "</textarea>" in page and "ready for the dowel.</textarea>" not in page


def test_a_note_is_shown_as_text(client: TestClient) -> None:
    login(client, "coach-a")
    page = _add(client, "Bo", "<script>alert(1)</script> knee & hip")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; knee &amp; hip" in page
    assert "<script>alert(1)</script>" not in page


def test_an_empty_note_is_refused_on_the_page(client: TestClient) -> None:
    login(client, "coach-a")
    page = client.get("/clients/Bo").text
    before = _entries(page)
    response = client.post("/clients/Bo/notes", data={"csrftoken": csrf_from(page), "notes": " "})
    assert response.status_code == 422
    assert "A note needs some text." in response.text
    assert _entries(client.get("/clients/Bo").text) == before


def test_a_trainer_deletes_their_own_note_and_no_one_elses(
    client: TestClient, world: World
) -> None:
    engine = world.app.state.engine
    coach_b = account_by_token(engine, world.tokens["coach-b"])
    theirs = add_note(  # as if Bo had been coach B's client before
        engine, "Bo", "Notes from before the move.", author_id=coach_b.id, author_name="Coach-B"
    )
    login(client, "coach-a")
    page = _add(client, "Bo", "Mine to delete.")
    mine = next(n for n in list_notes(engine, "Bo") if n.text == "Mine to delete.")
    assert f'action="/clients/Bo/notes/{mine.id}/delete"' in page
    assert f'action="/clients/Bo/notes/{theirs.id}/delete"' not in page, "no button for it"
    refused = client.post(
        f"/clients/Bo/notes/{theirs.id}/delete", data={"csrftoken": csrf_from(page)}
    )
    assert refused.status_code == 403
    assert "Only the trainer who wrote a note can delete it" in refused.text
    done = client.post(
        f"/clients/Bo/notes/{mine.id}/delete",
        data={"csrftoken": csrf_from(page)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/clients/Bo?saved=note-deleted#notes"
    after = client.get(done.headers["location"]).text
    assert "Note deleted." in after
    texts = [text for _, _, text in _entries(after)]
    assert "Mine to delete." not in texts and "Notes from before the move." in texts


def test_a_note_of_another_client_is_not_found_through_this_one(
    client: TestClient, world: World
) -> None:
    login(client, "coach-a")
    _add(client, "Ana", "Ana's own note.")
    ana_note = list_notes(world.app.state.engine, "Ana")[0]
    page = client.get("/clients/Bo").text
    response = client.post(
        f"/clients/Bo/notes/{ana_note.id}/delete", data={"csrftoken": csrf_from(page)}
    )
    assert response.status_code == 404
    assert list_notes(world.app.state.engine, "Ana")[0].id == ana_note.id


def test_another_trainer_can_neither_read_add_nor_delete(client: TestClient, world: World) -> None:
    engine = world.app.state.engine
    coach_a = account_by_token(engine, world.tokens["coach-a"])
    note = add_note(engine, "Bo", "Private to coach A.", author_id=coach_a.id, author_name="A")
    login(client, "coach-b")
    token = csrf_from(client.get("/clients/Cy").text)
    assert client.get("/clients/Bo").status_code == 404
    added = client.post("/clients/Bo/notes", data={"csrftoken": token, "notes": "mine now"})
    assert added.status_code == 404
    deleted = client.post(f"/clients/Bo/notes/{note.id}/delete", data={"csrftoken": token})
    assert deleted.status_code == 404
    assert "Private to coach A." not in deleted.text
    assert all(n.text != "mine now" for n in list_notes(engine, "Bo"))
    assert note.id in {n.id for n in list_notes(engine, "Bo")}


@pytest.mark.parametrize("path", ["/today", "/history", "/decisions", "/progress", "/plan"])
def test_a_trainee_never_sees_their_trainers_notes(
    client: TestClient, world: World, path: str
) -> None:
    engine = world.app.state.engine
    coach_a = account_by_token(engine, world.tokens["coach-a"])
    add_note(engine, "Ana", "Trainer-only remark.", author_id=coach_a.id, author_name="A")
    login(client, "ana")
    assert "Trainer-only remark." not in client.get(path).text


def _coach_a_note(world: World, name: str) -> int:
    engine = world.app.state.engine
    coach_a = account_by_token(engine, world.tokens["coach-a"])
    return add_note(engine, name, "A note.", author_id=coach_a.id, author_name="A").id


def test_a_trainee_cannot_add_or_delete_notes(client: TestClient, world: World) -> None:
    note_id = _coach_a_note(world, "Ana")
    before = list_notes(world.app.state.engine, "Ana")
    login(client, "ana")
    token = csrf_from(client.get("/today").text)
    added = client.post("/clients/Ana/notes", data={"csrftoken": token, "notes": "x"})
    assert added.status_code == 403
    gone = client.post(f"/clients/Ana/notes/{note_id}/delete", data={"csrftoken": token})
    assert gone.status_code == 403
    assert list_notes(world.app.state.engine, "Ana") == before


def test_notes_need_the_forms_token(client: TestClient, world: World) -> None:
    note_id = _coach_a_note(world, "Bo")
    before = list_notes(world.app.state.engine, "Bo")
    login(client, "coach-a")
    assert client.post("/clients/Bo/notes", data={"notes": "forged"}).status_code == 403
    assert client.post(f"/clients/Bo/notes/{note_id}/delete", data={}).status_code == 403
    assert list_notes(world.app.state.engine, "Bo") == before


def test_anonymous_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    response = client.get("/clients/Bo", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
