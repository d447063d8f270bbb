"""One handler maps the project's errors to status codes, for pages and the API alike."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from hingecoach.errors import (
    AuthenticationError,
    ConflictError,
    HingecoachError,
    InputError,
    PermissionDeniedError,
    StoreError,
    UnknownIdError,
)
from hingecoach.web.deps import LoginRequiredError

__all__ = ["handle_error", "handle_login_required", "status_for"]

# Most specific first.
_STATUS: tuple[tuple[type[HingecoachError], int], ...] = (
    (UnknownIdError, 404),
    (ConflictError, 409),
    (InputError, 422),
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
    (StoreError, 503),
)


def status_for(exc: HingecoachError) -> int:
    for kind, status in _STATUS:
        if isinstance(exc, kind):
            return status
    return 500


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def handle_error(request: Request, exc: Exception) -> Response:
    """A HingecoachError as JSON (``{"detail": ...}``) or as a calm page with the message."""
    assert isinstance(exc, HingecoachError)
    status = status_for(exc)
    message = str(exc)
    if is_api(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(
            {"detail": message, "error": type(exc).__name__}, status_code=status, headers=headers
        )
    from hingecoach.web.templating import render

    if status == 404:
        message = "There is nothing here, or it is not yours to see."
    return render(request, "error.html", {"status": status, "message": message}, status=status)


async def handle_login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequiredError)
    target = "/start" if exc.to_start else "/login?next=" + quote(exc.next_path, safe="/")
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)
