"""The app factory: ``uvicorn --factory hingecoach.web.app:create_app`` or ``hingecoach serve``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from hingecoach.web.settings import WebSettings

__all__ = ["create_app"]

_STATIC = Path(__file__).parent / "static"


def _build_routes(app: FastAPI) -> None:
    """FastAPI builds an included router's routes (their dependencies and models) when a
    request first reaches it: 100 ms and more on the first page of a fresh process. A
    request path no route has walks every router once, at start-up instead."""
    scope = {"type": "http", "method": "GET", "path": "/\x00", "root_path": "", "headers": []}
    for route in app.router.routes:
        route.matches(dict(scope))


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    _build_routes(app)
    app.state.clip_jobs.start()  # the in-process worker for uploaded clips
    try:
        yield
    finally:
        app.state.clip_jobs.stop()
        app.state.live.close()
        from hingecoach.services.progress import wait_for_stores

        wait_for_stores()  # progress kept for other processes: written before the pool goes
        app.state.engine.dispose()


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """Open (and migrate) the database, load the catalogue, wire pages and API."""
    from fastapi.staticfiles import StaticFiles
    from itsdangerous import URLSafeSerializer
    from starlette.middleware.sessions import SessionMiddleware

    from hingecoach import __version__
    from hingecoach.errors import HingecoachError
    from hingecoach.knowledge import load_catalogue
    from hingecoach.services.views import ViewCache
    from hingecoach.store.migrate import open_database
    from hingecoach.web import (
        account_pages,
        api,
        api_accounts,
        assessment,
        docs_page,
        invites,
        pages,
    )
    from hingecoach.web.api_catalogue import router as api_catalogue_router
    from hingecoach.web.api_import import router as api_import_router
    from hingecoach.web.api_plan import router as api_plan_router
    from hingecoach.web.calendar_feed import api_router as calendar_api_router
    from hingecoach.web.calendar_feed import router as calendar_router
    from hingecoach.web.deps import LoginRequiredError
    from hingecoach.web.errors import handle_error, handle_login_required
    from hingecoach.web.guards import install_guards
    from hingecoach.web.import_page import router as import_page_router
    from hingecoach.web.jobs import ClipJobs
    from hingecoach.web.live_page import router as live_page_router
    from hingecoach.web.live_ws import LiveHub
    from hingecoach.web.live_ws import router as live_ws_router
    from hingecoach.web.log_page import router as log_router
    from hingecoach.web.progress import router as progress_router
    from hingecoach.web.ratelimit import AddressLimiter, LoginLimiter
    from hingecoach.web.rules_page import router as rules_router
    from hingecoach.web.sessions import api_router as sessions_api_router
    from hingecoach.web.sessions import router as sessions_router
    from hingecoach.web.units_page import router as units_router
    from hingecoach.web.uploads import router as uploads_router

    settings = settings or WebSettings.from_env()
    if not settings.secret_key:
        raise ValueError("the web app needs a secret key")
    app = FastAPI(
        title="hingecoach",
        version=__version__,
        summary="A coach for the hip hinge: today's session, logging, decisions and overrides.",
        docs_url=None,  # served from the vendored Swagger UI (hingecoach.web.docs_page)
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
        per_account=settings.login_rate_per_account,
    )
    app.state.calendar_limiter = AddressLimiter(
        "calendar-feed",
        settings.calendar_feed_rate,
        storage_url=settings.redis_url,
        processes=settings.server_processes,
    )
    app.state.clip_jobs = ClipJobs(settings, app.state.engine, app.state.catalogue)
    app.state.views = ViewCache()  # today's cards and progress, per trainee and revision
    app.state.live = LiveHub(settings)  # live coaching connections (the /live/ws socket)

    app.add_exception_handler(HingecoachError, handle_error)
    app.add_exception_handler(LoginRequiredError, handle_login_required)
    app.include_router(pages.router)
    app.include_router(account_pages.router)
    app.include_router(invites.router)
    app.include_router(assessment.router)
    app.include_router(log_router)
    app.include_router(api.router)
    app.include_router(sessions_router)
    app.include_router(sessions_api_router)
    app.include_router(units_router)
    app.include_router(api_import_router)
    app.include_router(api_plan_router)
    app.include_router(api_catalogue_router)
    app.include_router(calendar_api_router)
    app.include_router(calendar_router)
    app.include_router(import_page_router)
    app.include_router(api_accounts.router)
    app.include_router(uploads_router)
    app.include_router(progress_router)
    app.include_router(live_ws_router)
    app.include_router(live_page_router)
    app.include_router(docs_page.router)
    app.include_router(rules_router)
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")

    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="hingecoach_session",
        max_age=int(settings.session_max_hours * 3600),
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    install_guards(app, settings)
    return app
