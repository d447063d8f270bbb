"""The app factory: ``uvicorn --factory hingecoach.web.app:create_app`` or ``hingecoach serve``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from hingecoach.web.settings import WebSettings

__all__ = ["create_app"]

_STATIC = Path(__file__).parent / "static"


async def _csrf_failed(scope: dict[str, Any], send: Any, message_id: Any) -> None:
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


def _skip_csrf(scope: dict[str, Any]) -> bool:
    """The API takes bearer tokens only, never cookies: nothing to forge there. A clip
    upload (multipart, which asgi_csrf cannot read) checks its token in its handler."""
    path: str = scope.get("path", "")
    return path.startswith("/api/") or (scope.get("method") == "POST" and path == "/clips")


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.clip_jobs.start()  # the in-process worker for uploaded clips
    try:
        yield
    finally:
        app.state.clip_jobs.stop()
        app.state.live.close()
        app.state.engine.dispose()


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """Open (and migrate) the database, load the catalogue, wire pages and API."""
    from asgi_csrf import asgi_csrf
    from fastapi.staticfiles import StaticFiles
    from itsdangerous import URLSafeSerializer
    from starlette.middleware.sessions import SessionMiddleware

    from hingecoach import __version__
    from hingecoach.errors import HingecoachError
    from hingecoach.knowledge import load_catalogue
    from hingecoach.services.views import ViewCache
    from hingecoach.store.migrate import open_database
    from hingecoach.web import api, pages
    from hingecoach.web.deps import LoginRequiredError
    from hingecoach.web.errors import handle_error, handle_login_required
    from hingecoach.web.jobs import ClipJobs
    from hingecoach.web.live_page import router as live_page_router
    from hingecoach.web.live_ws import LiveHub
    from hingecoach.web.live_ws import router as live_ws_router
    from hingecoach.web.log_page import router as log_router
    from hingecoach.web.progress import router as progress_router
    from hingecoach.web.ratelimit import LoginLimiter
    from hingecoach.web.uploads import router as uploads_router

    settings = settings or WebSettings.from_env()
    if not settings.secret_key:
        raise ValueError("the web app needs a secret key")
    app = FastAPI(
        title="hingecoach",
        version=__version__,
        summary="A coach for the hip hinge: today's session, logging, decisions and overrides.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.engine = open_database(settings.database_url)
    app.state.catalogue = load_catalogue(list(settings.catalogue_dirs) or None)
    app.state.signer = URLSafeSerializer(settings.secret_key)
    app.state.login_limiter = LoginLimiter(
        settings.login_rate,
        settings.login_rate_per_address,
        storage_url=settings.redis_url,
        processes=settings.server_processes,
    )
    app.state.clip_jobs = ClipJobs(settings, app.state.engine, app.state.catalogue)
    app.state.views = ViewCache()  # today's cards and progress, per trainee and revision
    app.state.live = LiveHub(settings)  # live coaching connections (the /live/ws socket)

    app.add_exception_handler(HingecoachError, handle_error)
    app.add_exception_handler(LoginRequiredError, handle_login_required)
    app.include_router(pages.router)
    app.include_router(log_router)
    app.include_router(api.router)
    app.include_router(uploads_router)
    app.include_router(progress_router)
    app.include_router(live_ws_router)
    app.include_router(live_page_router)
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")

    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="hingecoach_session",
        max_age=settings.session_days * 24 * 3600,
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    app.add_middleware(
        asgi_csrf,
        signing_secret=settings.secret_key,
        always_protect={"/login"},
        skip_if_scope=_skip_csrf,
        cookie_secure=settings.cookie_secure,
        send_csrf_failed=_csrf_failed,
    )
    return app
