"""Login attempts, rate-limited per email and address, per address alone, and per account
across every address (``limits``): a new address per attempt (a botnet, or forged
``X-Forwarded-For`` headers) still meets the per-account limit.

With ``HINGECOACH_REDIS_URL`` set, every server process counts in the same Redis. Without
it, each process counts in memory, and ``hingecoach serve`` tells each of its N processes
to allow 1/N of each limit, so the whole server never allows more than the limit.
"""

from __future__ import annotations

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

__all__ = ["AddressLimiter", "LoginLimiter"]


def _share(item: RateLimitItem, processes: int) -> RateLimitItem:
    """This process's part of a limit shared by ``processes`` processes (at least 1)."""
    if processes <= 1:
        return item
    return type(item)(max(1, item.amount // processes), item.multiples)


def _storage(storage_url: str | None) -> Storage:
    storage = storage_from_string(storage_url) if storage_url else MemoryStorage()
    if not isinstance(storage, Storage):  # an asyncio storage: not for this limiter
        raise ValueError(f"rate limit storage: {storage_url!r} is not a blocking storage")
    return storage


class AddressLimiter:
    """Requests to one anonymous route (named ``scope``), counted per address, shared
    like the login limits (Redis, or 1/N of the limit in each of N processes)."""

    def __init__(
        self, scope: str, rate: str, *, storage_url: str | None = None, processes: int = 1
    ) -> None:
        self._scope = scope
        self._limiter = MovingWindowRateLimiter(_storage(storage_url))
        self._rate = _share(parse(rate), 1 if storage_url else processes)

    def allow(self, address: str) -> bool:
        """Count this request; False once the address has reached the limit."""
        return self._limiter.hit(self._rate, self._scope, address)


class LoginLimiter:
    def __init__(
        self,
        per_email: str,
        per_address: str,
        *,
        storage_url: str | None = None,
        processes: int = 1,
        per_account: str = "30/hour",
    ) -> None:
        share = 1 if storage_url else processes
        self._limiter = MovingWindowRateLimiter(_storage(storage_url))
        self._per_email = _share(parse(per_email), share)
        self._per_address = _share(parse(per_address), share)
        self._per_account = _share(parse(per_account), share)

    @property
    def per_email(self) -> RateLimitItem:
        return self._per_email

    def allow(self, address: str, email: str) -> bool:
        """Count this attempt; False once any of the three limits is reached."""
        by_address = self._limiter.hit(self._per_address, "login-address", address)
        by_email = self._limiter.hit(self._per_email, "login", address, email)
        by_account = self._limiter.hit(self._per_account, "login-account", email)
        return by_address and by_email and by_account
