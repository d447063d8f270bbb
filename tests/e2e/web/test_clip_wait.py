"""The clip page says how long a clip waiting for analysis should take: the clips ahead
of it in the queue, times the analysis time measured on the clips finished lately."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from sqlalchemy import update

from hingecoach.services import clips as clip_service
from hingecoach.services.uow import UnitOfWork
from hingecoach.store.records import ClipRecord
from tests.e2e.web.conftest import World, login

EXERCISE = "kettlebell-deadlift"


def _clip(world: World, name: str = "Ana") -> int:
    engine = world.app.state.engine
    clip = clip_service.create_clip(
        engine,
        name,
        filename="set.mp4",
        stored_path=f"missing-{name}.mp4",
        exercise_id=EXERCISE,
        catalogue=world.app.state.catalogue,
        now=dt.datetime.now(dt.UTC),
    )
    return clip.id


def _set(world: World, clip_id: int, **values: object) -> None:
    with UnitOfWork(world.app.state.engine) as uow:
        uow.db.execute(update(ClipRecord).where(ClipRecord.id == clip_id).values(**values))
        uow.commit()


def _wait_text(client: TestClient, clip_id: int) -> str:
    html = client.get(f"/clips/{clip_id}/status").text
    found = re.search(r'<p class="clip-wait">([^<]*)</p>', html)
    assert found, html
    return found.group(1).replace("&#39;", "'")


def test_the_wait_is_the_clips_ahead_times_the_measured_analysis_time(
    world: World, client: TestClient
) -> None:
    login(client, "ana")
    now = dt.datetime.now(dt.UTC)
    # nothing measured yet: a minute is assumed, and said so
    first = _clip(world)
    assert _wait_text(client, first) == (
        "Your clip is next in the queue; a clip of a set usually takes about a minute to "
        "analyse, so expect yours in about 1 minute."
    )
    # three clips finished, in 100, 120 and 140 s: 120 s each, measured
    for seconds in (100, 120, 140):
        done = _clip(world, "Bo")
        started = now - dt.timedelta(seconds=seconds + 5)
        _set(
            world,
            done,
            status="done",
            started_at=started,
            finished_at=started + dt.timedelta(seconds=seconds),
        )
    # Ana's first clip and two more of Bo's wait ahead of Ana's new one
    _clip(world, "Bo")
    _clip(world, "Bo")
    mine = _clip(world)
    assert _wait_text(client, mine) == (
        "3 clips are ahead of yours in the queue; a clip takes about 120 s to analyse "
        "here, so expect yours in about 8 minutes."
    )
    # one of them is taken by a worker: 2 ahead, 1 half done, then this one
    _set(world, first, status="running", started_at=now - dt.timedelta(seconds=30))
    assert _wait_text(client, mine) == (
        "2 clips are ahead of yours in the queue; a clip takes about 120 s to analyse "
        "here, so expect yours in about 7 minutes."
    )
    # a clip being analysed for 30 s of its typical 120: about 90 s left
    assert _wait_text(client, first) == (
        "Expect it in about 2 minutes (a clip takes about 120 s to analyse here)."
    )
    _set(world, first, started_at=now - dt.timedelta(seconds=300))
    assert _wait_text(client, first).startswith("It should be done any moment")


def test_two_workers_busy_share_the_clips_ahead(world: World, client: TestClient) -> None:
    login(client, "ana")
    engine = world.app.state.engine
    with UnitOfWork(engine) as uow:  # a fresh queue: the previous test's clips finished
        uow.db.execute(
            update(ClipRecord)
            .where(ClipRecord.status.in_(("queued", "running")))
            .values(status="failed")
        )
        uow.commit()
    now = dt.datetime.now(dt.UTC)
    busy = [_clip(world, "Bo") for _ in range(2)]
    for clip_id in busy:
        _set(world, clip_id, status="running", started_at=now)
    ahead = [_clip(world, "Bo") for _ in range(4)]
    mine = _clip(world)
    wait = clip_service.queue_wait(engine, clip_service.list_clips(engine, "Ana", last=1)[0])
    assert (wait.ahead, wait.running) == (len(ahead), 2)
    # 2 workers: the 2 running half done (0.5), the 4 ahead in 2 rounds, then this one
    assert wait.wait_s == wait.typical_s * (1 + (4 + 0.5 * 2) / 2)
    assert "4 clips are ahead of yours" in _wait_text(client, mine)
