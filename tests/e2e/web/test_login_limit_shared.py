"""Login limits hold for the whole server, not per process (serve runs several)."""

from __future__ import annotations

import os
import uuid

import pytest

from hingecoach.web.ratelimit import LoginLimiter

REDIS_URL = os.environ.get("HINGECOACH_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def attempts_allowed(
    limiters: list[LoginLimiter], email: str, address: str = "10.0.0.1", tries: int = 20
) -> int:
    """Tries spread over the processes, as the kernel spreads connections."""
    return sum(limiters[i % len(limiters)].allow(address, email) for i in range(tries))


def test_one_process_allows_the_whole_limit() -> None:
    assert attempts_allowed([LoginLimiter("5/minute", "20/minute")], "a@example.com") == 5


def test_two_processes_in_memory_never_allow_more_than_the_limit_together() -> None:
    pair = [LoginLimiter("5/minute", "20/minute", processes=2) for _ in range(2)]
    allowed = attempts_allowed(pair, "a@example.com")
    assert 2 <= allowed <= 5, allowed
    assert pair[0].per_email.amount == 2


def test_processes_sharing_redis_count_together() -> None:
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:
        if os.environ.get("HINGECOACH_REQUIRE_REDIS"):  # set by .ci/run: never skip there
            raise
        pytest.skip(f"no Redis at {REDIS_URL} (set HINGECOACH_TEST_REDIS_URL)")
    key = uuid.uuid4().hex  # fresh keys: runs never see each other
    pair = [
        LoginLimiter("5/minute", "20/minute", storage_url=REDIS_URL, processes=2) for _ in range(2)
    ]
    assert attempts_allowed(pair, f"{key}@example.com", address=key) == 5
