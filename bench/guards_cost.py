"""What the request limits and security headers cost per request (issue 16: "the limits
cost nothing measurable").

The two guards every request passes (``web/bodylimit.BodyLimit`` and
``web/headers.SecurityHeaders``) are run around a plain ASGI page, and the same page without
them, alternately in one process: the difference is their CPU per request, put beside what a
whole page costs (``bench/web_load.py --cpu``, about 10-15 ms).

Run: ``python bench/guards_cost.py``.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from types import SimpleNamespace

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hingecoach.web.bodylimit import BodyLimit
from hingecoach.web.headers import SecurityHeaders
from hingecoach.web.settings import WebSettings

# the app object the guards read their settings from (as FastAPI puts it in the scope)
_APP = SimpleNamespace(state=SimpleNamespace(settings=WebSettings()))

_PAGE = b"<!doctype html><title>Today</title>" + b"<p>x</p>" * 256
_FORM = b"csrf=abc&reps=5&load=16+kg&rpe=7&" * 20


async def _page(scope: Scope, receive: Receive, send: Send) -> None:
    while True:  # read the whole body, as a form handler does
        got = await receive()
        if not got.get("more_body"):
            break
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/html; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": _PAGE})


def _scope(method: str, path: str, body: bytes) -> Scope:
    headers = [(b"host", b"127.0.0.1"), (b"cookie", b"hingecoach_session=x")]
    if body:
        headers.append((b"content-length", str(len(body)).encode()))
        headers.append((b"content-type", b"application/x-www-form-urlencoded"))
    return {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": headers,
        "http_version": "1.1",
        "scheme": "http",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "root_path": "",
        "app": _APP,
    }


async def _requests(app: ASGIApp, method: str, path: str, body: bytes, n: int) -> float:
    """CPU seconds for ``n`` requests through ``app``."""

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        return None

    scope = _scope(method, path, body)
    start = time.process_time()
    for _ in range(n):
        await app(dict(scope), receive, send)
    return time.process_time() - start


def measure(n: int = 20_000, rounds: int = 7) -> str:
    guarded: ASGIApp = SecurityHeaders(BodyLimit(_page))
    lines = []
    for method, path, body in (("GET", "/today", b""), ("POST", "/log/save", _FORM)):
        extra = []
        for _ in range(rounds):
            bare = asyncio.run(_requests(_page, method, path, body, n))
            with_guards = asyncio.run(_requests(guarded, method, path, body, n))
            extra.append((with_guards - bare) / n * 1e6)
        lines.append(
            f"{method} {path}: the guards add {statistics.median(extra):.1f} µs CPU a request "
            f"(median of {rounds} alternating rounds of {n:,})"
        )
    return "; ".join(lines)


if __name__ == "__main__":
    print(measure())
