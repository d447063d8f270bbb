"""A clip is claimed by one worker at a time, on SQLite and PostgreSQL: a second claim
fails while the first is renewed, succeeds once it lapses, and only the holder stores."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine

from hingecoach.coach import demo_profile
from hingecoach.knowledge import load_catalogue
from hingecoach.services import clips
from hingecoach.services.trainees import add_trainee
from hingecoach.services.uow import UnitOfWork
from hingecoach.store.records import ClipRecord


def _queued(engine: Engine) -> int:
    add_trainee(engine, "Ana", demo_profile())
    clip = clips.create_clip(
        engine,
        "Ana",
        filename="set.mp4",
        stored_path="set.mp4",
        exercise_id="kettlebell-deadlift",
        catalogue=load_catalogue(None),
        now=dt.datetime.now(dt.UTC),
    )
    return clip.id


def _row(engine: Engine, clip_id: int) -> ClipRecord:
    with UnitOfWork(engine) as uow:
        record = uow.db.get(ClipRecord, clip_id)
        assert record is not None
        uow.db.expunge(record)
        return record


def test_one_worker_claims_a_clip_and_another_only_once_the_claim_lapses(engine: Engine) -> None:
    clip_id = _queued(engine)
    now = dt.datetime.now(dt.UTC)
    assert clips.claim_clip(engine, clip_id, "a", lease_s=10, now=now)
    assert not clips.claim_clip(engine, clip_id, "b", lease_s=10, now=now)
    assert clips.renew_claim(engine, clip_id, "a", lease_s=10)
    assert not clips.renew_claim(engine, clip_id, "b", lease_s=10)
    later = now + dt.timedelta(seconds=30)  # "a" stopped renewing (killed)
    assert clips.claim_clip(engine, clip_id, "b", lease_s=10, now=later)
    row = _row(engine, clip_id)
    assert (row.status, row.claimed_by, row.attempts) == ("running", "b", 2)
    assert not clips.renew_claim(engine, clip_id, "a", lease_s=10)  # "a" lost it


def test_a_lapsed_claim_is_queued_again_then_failed_after_the_attempts(engine: Engine) -> None:
    clip_id = _queued(engine)
    now = dt.datetime.now(dt.UTC)
    assert clips.claim_clip(engine, clip_id, "a", lease_s=5, max_attempts=2, now=now)
    assert clips.reap_stale_claims(engine, max_attempts=2, now=now) == []  # still held
    later = now + dt.timedelta(seconds=10)
    assert clips.reap_stale_claims(engine, max_attempts=2, now=later) == [clip_id]
    assert _row(engine, clip_id).status == "queued"
    assert clips.claim_clip(engine, clip_id, "b", lease_s=5, max_attempts=2, now=later)
    much_later = later + dt.timedelta(seconds=10)
    assert clips.reap_stale_claims(engine, max_attempts=2, now=much_later) == []
    row = _row(engine, clip_id)
    assert (row.status, row.error_code, row.attempts) == ("failed", "worker-lost", 2)
    assert "stopped 2 times" in (row.error_message or "")


def test_a_worker_stopping_hands_its_clip_back_uncounted(engine: Engine) -> None:
    clip_id = _queued(engine)
    assert clips.claim_clip(engine, clip_id, "a")
    assert not clips.release_claim(engine, clip_id, "b")
    assert clips.release_claim(engine, clip_id, "a")
    row = _row(engine, clip_id)
    assert (row.status, row.claimed_by, row.attempts) == ("queued", None, 0)


def test_a_job_for_a_clip_another_worker_holds_does_nothing(engine: Engine, tmp_path: Path) -> None:
    clip_id = _queued(engine)
    assert clips.claim_clip(engine, clip_id, "elsewhere", lease_s=60)
    status = clips.analyse_clip(engine, clip_id, load_catalogue(None), tmp_path)
    assert status == "busy"
    row = _row(engine, clip_id)
    assert (row.status, row.claimed_by, row.attempts, row.report) == (
        "running",
        "elsewhere",
        1,
        None,
    )
