"""`hingecoach serve`: the web app (pages and the JSON API) with uvicorn."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from hingecoach.cli.context import get_catalogue, get_engine


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    demo: Annotated[
        bool,
        typer.Option("--demo", help="First add the demo accounts and clients (if missing)."),
    ] = False,
) -> None:
    """Start the web app: pages for trainees and trainers, and the API under /api/v1."""
    import datetime as dt

    import uvicorn

    from hingecoach.cli.output import console
    from hingecoach.store.engine import ENV_DATABASE_URL, database_url

    root = ctx.find_root().obj or {}
    url = database_url(root.get("db_url"))
    os.environ[ENV_DATABASE_URL] = url  # the app factory opens the same database
    out = console()
    if demo:
        from hingecoach.services.demo import DEMO_LOGINS, seed_web_demo

        if seed_web_demo(get_engine(ctx), get_catalogue(ctx), dt.date.today()):
            out.print("Created the demo accounts and clients (weeks of history each).")
        out.print("\n[bold]Demo sign-ins[/] (demo data only):")
        for login in DEMO_LOGINS:
            out.print(f"  {login.role:8} {login.email:26} password: {login.password}")
    out.print(f"\nDatabase: {url}")
    out.print(f"[bold]Open http://{host}:{port}/[/]  (API docs: /api/docs; Ctrl+C to stop)\n")
    uvicorn.run("hingecoach.web.app:create_app", factory=True, host=host, port=port)
