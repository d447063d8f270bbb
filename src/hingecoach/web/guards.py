"""What stands in front of every route: the body-size limit, CSRF and security headers.

Order (outermost first): security headers on every answer, the body-size limit before
anything reads a body, then the CSRF check (which may read a form's token).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.types import Receive, Scope, Send

from hingecoach.web.bodylimit import (
    BodyLimit,
    BodyTooLargeError,
    handle_body_too_large,
    handle_invalid_request,
)
from hingecoach.web.csrf import CsrfMiddleware
from hingecoach.web.headers import SecurityHeaders
from hingecoach.web.settings import WebSettings

__all__ = ["install_guards"]


async def _csrf_failed(scope: Scope, receive: Receive, send: Send) -> None:
    body = (
        b"<!doctype html><meta charset=utf-8><title>Form expired</title>"
        b"<p style='font-family:sans-serif;margin:2rem'>This form has expired or did not come "
        b"from this site. Go back, reload the page and try again.</p>"
    )
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [(b"content-type", b"text/html; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _skip_csrf(scope: Scope) -> bool:
    """The JSON API takes bearer tokens only, never cookies: nothing to forge there."""
    path: str = scope.get("path", "")
    return path.startswith("/api/")


def install_guards(app: FastAPI, settings: WebSettings) -> None:
    """Add the middleware (call after every other ``add_middleware``: these run first)."""
    app.add_exception_handler(BodyTooLargeError, handle_body_too_large)
    app.add_exception_handler(RequestValidationError, handle_invalid_request)
    app.add_middleware(
        CsrfMiddleware,
        secret=settings.secret_key,
        cookie_secure=settings.cookie_secure,
        skip=_skip_csrf,
        failed=_csrf_failed,
    )
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)
