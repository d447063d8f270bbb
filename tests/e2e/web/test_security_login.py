"""Hardening (issue 16 item 6): the login throttle also counts per account across every
address, and `serve` believes X-Forwarded-For only from proxies named in
HINGECOACH_TRUSTED_PROXIES (never loopback by default)."""

from __future__ import annotations

from hingecoach.cli.web_cmds import proxy_options
from hingecoach.web.ratelimit import LoginLimiter


def test_a_new_address_per_attempt_still_meets_the_per_account_limit() -> None:
    limiter = LoginLimiter("5/minute", "20/minute", per_account="8/hour")
    allowed = sum(limiter.allow(f"10.0.{i // 250}.{i % 250}", "ana@example.com") for i in range(50))
    assert allowed == 8
    assert limiter.allow("10.9.9.9", "bo@example.com"), "another account is not held up"


def test_no_proxy_is_trusted_unless_named() -> None:
    assert proxy_options("") == (False, "")
    assert proxy_options("  ") == (False, "")
    assert proxy_options("10.0.0.5, 10.1.0.0/16") == (True, "10.0.0.5,10.1.0.0/16")
