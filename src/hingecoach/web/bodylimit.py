"""A size limit on every request body, checked before anything reads it.

The declared ``Content-Length`` is checked first; the body itself is then counted as it
arrives (also when no length is declared, as with chunked uploads), and the request is
stopped with a 413 as soon as the count passes the limit. Clip uploads have their own,
larger limit (``upload_max_bytes``); every other page and API route takes
``body_max_bytes``. Both are read from the app's settings on each request.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["FORM_OVERHEAD", "BodyLimit", "BodyTooLargeError", "handle_body_too_large"]

#: Room for the other fields and the multipart framing around an uploaded clip.
FORM_OVERHEAD = 64 * 1024
_UPLOAD_PATHS = re.compile(r"^(/clips|/api/v1/trainees/[^/]+/clips)$")


class BodyTooLargeError(HTTPException):
    """A request body over its limit: refused with 413 before (or while) it is read."""

    def __init__(self, message: str) -> None:
        super().__init__(413, message)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def _limit_for(scope: Scope) -> tuple[int, str]:
    """The byte limit for this request and the message given when it is passed."""
    settings: Any = scope["app"].state.settings
    if scope.get("method") == "POST" and _UPLOAD_PATHS.match(scope.get("path", "")):
        limit: int = settings.upload_max_bytes
        return limit + FORM_OVERHEAD, (
            f"the clip is larger than {_megabytes(limit)}; trim it to the set and try again"
        )
    limit = settings.body_max_bytes
    return limit, f"the request is larger than {_megabytes(limit)}; send less at a time"


def _response(path: str, message: str) -> Response:
    if path.startswith("/api/"):
        return JSONResponse({"detail": message, "error": "BodyTooLarge"}, status_code=413)
    page = (
        "<!doctype html><meta charset=utf-8><title>Too large</title>"
        f"<p style='font-family:sans-serif;margin:2rem'>This was too large: {message}.</p>"
    )
    return HTMLResponse(page, status_code=413)


async def handle_body_too_large(request: Request, exc: Exception) -> Response:
    """The app's handler: a body found too large while a route was reading it."""
    assert isinstance(exc, BodyTooLargeError)
    return _response(request.url.path, exc.detail)


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else -1
    return None


class BodyLimit:
    """ASGI middleware: 413 for a body over the route's limit, declared or counted."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, message = _limit_for(scope)
        declared = _declared_length(scope)
        if declared is not None and not 0 <= declared <= limit:
            await _response(scope["path"], message)(scope, receive, send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            got = await receive()
            if got["type"] == "http.request":
                received += len(got.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError(message)
            return got

        async def watched(reply: Message) -> None:
            nonlocal started
            started = started or reply["type"] == "http.response.start"
            await send(reply)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLargeError as exc:
            if started:
                raise
            await _response(scope["path"], exc.detail)(scope, receive, send)


_EXCERPT = 40  # characters of a refused value shown back


def _excerpt(value: object) -> object:
    """A short excerpt of what was sent: never the whole of it back."""
    if isinstance(value, str | bytes):
        text = value if isinstance(value, str) else value.decode("utf-8", "replace")
        return text if len(text) <= _EXCERPT else text[:_EXCERPT] + f"... ({len(text)} chars)"
    if isinstance(value, dict | list | tuple):
        return f"{type(value).__name__} of {len(value)} item(s)"
    return value


async def handle_invalid_request(request: Request, exc: Exception) -> Response:
    """A request that does not fit the schema (422): where and why, with a short excerpt
    of the value in place of FastAPI's copy of the whole input."""
    from fastapi.exceptions import RequestValidationError

    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "loc": list(error.get("loc", ())),
            "msg": str(error.get("msg", ""))[:200],
            "type": error.get("type", ""),
            "input": _excerpt(error.get("input")),
        }
        for error in exc.errors()[:20]
    ]
    return JSONResponse({"detail": errors}, status_code=422)
