"""`hingecoach serve`: the web app (pages and the JSON API) with uvicorn."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from hingecoach.cli.context import get_catalogue, get_engine

MAX_DEFAULT_WORKERS = 8
#: The largest WebSocket message the server reads (live coaching: a landmark frame is under
#: 16 kB, a server-side pose picture under 100 kB; the socket refuses more itself).
WS_MAX_BYTES = 256 * 1024


def default_workers() -> int:
    """One server process per core this process may run on (at most 8)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_WORKERS))


def proxy_options(trusted: str) -> tuple[bool, str]:
    """uvicorn's proxy settings: X-Forwarded-For believed only from the proxies listed in
    ``HINGECOACH_TRUSTED_PROXIES`` (comma-separated addresses or networks); with none
    listed, from nobody (uvicorn would otherwise trust 127.0.0.1). Returns uvicorn's
    ``proxy_headers`` and ``forwarded_allow_ips``."""
    listed = ",".join(p.strip() for p in trusted.split(",") if p.strip())
    return bool(listed), listed


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    demo: Annotated[
        bool,
        typer.Option("--demo", help="First add the demo accounts and clients (if missing)."),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=64,
            envvar="HINGECOACH_WORKERS",
            help="Server processes [default: one per core, at most 8]. One of them runs "
            "the clip analysis worker (unless --no-worker).",
            show_default=False,
        ),
    ] = None,
    no_worker: Annotated[
        bool,
        typer.Option(
            "--no-worker",
            help="Pages and API only: clips are queued here and analysed by "
            "`hingecoach worker` processes (see docs/deploy.md).",
        ),
    ] = False,
) -> None:
    """Start the web app: pages for trainees and trainers, and the API under /api/v1."""
    import datetime as dt

    import uvicorn

    from hingecoach.cli.output import console
    from hingecoach.store.engine import ENV_DATABASE_URL, database_url
    from hingecoach.web.settings import (
        ENV_SERVE_WORKER,
        ENV_SERVER_PROCESSES,
        ENV_TRUSTED_PROXIES,
        WebSettings,
    )

    root = ctx.find_root().obj or {}
    url = database_url(root.get("db_url"))
    os.environ[ENV_DATABASE_URL] = url  # the app factory opens the same database
    # Done once here, not in each server process at once: migrate the database, make
    # the stored secret key (when none is set).
    engine = get_engine(ctx)
    settings = WebSettings.from_env()
    out = console()
    if demo:
        from hingecoach.services.demo import DEMO_LOGINS, ensure_demo_clip, seed_web_demo
        from hingecoach.web.jobs import media_dir_for

        catalogue = get_catalogue(ctx)
        media_dir = media_dir_for(settings)
        if seed_web_demo(engine, catalogue, dt.date.today(), media_dir):
            out.print("Created the demo accounts and clients (weeks of history each).")
        clip = ensure_demo_clip(engine, catalogue, media_dir, dt.datetime.now(dt.UTC))
        out.print("\n[bold]Demo sign-ins[/] (demo data only):")
        for login in DEMO_LOGINS:
            out.print(f"  {login.role:8} {login.email:26} password: {login.password}")
        if clip is not None:
            out.print(f"  {clip.trainee}'s analysed clip: http://{host}:{port}/clips/{clip.id}")
    engine.dispose()
    count = workers or default_workers()
    out.print(f"\nDatabase: {engine.url.render_as_string(hide_password=True)}")
    out.print(f"Server processes: {count}")
    if no_worker:
        os.environ[ENV_SERVE_WORKER] = "0"  # the app factory in each process reads it
        out.print("Clip analysis: by `hingecoach worker` processes (none runs here)")
    else:
        out.print("Clip analysis: one worker inside this server")
    out.print(f"[bold]Open http://{host}:{port}/[/]  (API docs: /api/docs; Ctrl+C to stop)\n")
    # the processes share the login limits (see hingecoach.web.ratelimit)
    os.environ[ENV_SERVER_PROCESSES] = str(count)
    proxy_headers, forwarded_allow_ips = proxy_options(os.environ.get(ENV_TRUSTED_PROXIES, ""))
    uvicorn.run(
        "hingecoach.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=count,
        ws_max_size=WS_MAX_BYTES,
        proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips,
    )
