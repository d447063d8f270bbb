"""Login attempts, rate-limited per email and address, and per address alone (``limits``)."""

from __future__ import annotations

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

__all__ = ["LoginLimiter"]


class LoginLimiter:
    """In memory: one process (the embedded default). Behind several workers, give each
    the same storage (``limits`` speaks Redis) by swapping the storage here."""

    def __init__(self, per_email: str, per_address: str) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._per_email = parse(per_email)
        self._per_address = parse(per_address)

    def allow(self, address: str, email: str) -> bool:
        """Count this attempt; False once either limit is reached."""
        by_address = self._limiter.hit(self._per_address, "login-address", address)
        by_email = self._limiter.hit(self._per_email, "login", address, email)
        return by_address and by_email
