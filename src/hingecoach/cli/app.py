"""The Typer application: the root command, its global options and its sub-commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hingecoach.cli import (
    account_cmds,
    analyze_cmd,
    catalogue_cmds,
    coach_cmds,
    live_cmd,
    plan_cmds,
    records_cmds,
    session_cmds,
    trainee_cmds,
    web_cmds,
    worker_cmd,
)

app = typer.Typer(
    name="hingecoach",
    help="A coach for the hip hinge: screens, places, prescribes, progresses and regresses.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(catalogue_cmds.app, name="catalogue")
app.add_typer(trainee_cmds.app, name="trainee")
app.add_typer(account_cmds.app, name="account")
app.add_typer(session_cmds.app, name="session")
app.command("assess")(coach_cmds.assess)
app.command("next")(coach_cmds.next_)
app.command("today")(coach_cmds.today)
app.command("adjust")(coach_cmds.adjust)
app.command("log")(coach_cmds.log)
app.command("decisions")(coach_cmds.decisions)
app.command("override")(coach_cmds.override)
app.command("schema")(coach_cmds.schema)
app.command("history")(records_cmds.history)
app.command("export")(records_cmds.export)
app.command("import")(records_cmds.import_)
app.command("analyze")(analyze_cmd.analyze)
app.command("live")(live_cmd.live)
app.command("serve")(web_cmds.serve)
app.command("worker")(worker_cmd.worker)
app.command("plan")(plan_cmds.plan)


@app.callback()
def root(
    ctx: typer.Context,
    catalogue: Annotated[
        list[Path] | None,
        typer.Option(
            "--catalogue",
            metavar="DIR",
            help="A catalogue directory laid over the built-in one (repeatable). "
            "Default: $HINGECOACH_CATALOGUE (':'-separated).",
            show_default=False,
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="URL",
            help="Database URL (sqlite:///path or postgresql://...). "
            "Default: $HINGECOACH_DATABASE_URL, else a SQLite file in your data directory.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """A coach for the hip hinge."""
    ctx.obj = {"catalogue_dirs": catalogue or None, "db_url": db}


@app.command()
def version() -> None:
    """Print the version."""
    from hingecoach import __version__

    typer.echo(__version__)


@app.command()
def demo(ctx: typer.Context) -> None:
    """What `make run` shows: a demo trainee's card, history and the coach's decisions."""
    import datetime as dt

    from hingecoach.cli import coach_cmds, records_cmds
    from hingecoach.cli.context import get_catalogue, get_engine
    from hingecoach.cli.output import console
    from hingecoach.services.demo import DEMO_NAME, seed_demo

    out = console()
    engine = get_engine(ctx)
    if seed_demo(engine, get_catalogue(ctx), dt.date.today()):
        out.print(f"Created the demo trainee {DEMO_NAME!r} with six weeks of history.\n")
    out.print(f"[bold]Database:[/] {engine.url.render_as_string(hide_password=True)}\n")
    records_cmds.history(ctx, DEMO_NAME, last=6, as_json=False)
    out.print()
    coach_cmds.decisions(ctx, DEMO_NAME, last=3, as_json=False)
    out.print()
    coach_cmds.today(ctx, DEMO_NAME, as_json=False)
    out.print(
        "\nTry next (prefix .venv/bin/ or activate .venv):\n"
        f"  hingecoach log {DEMO_NAME}          log today's session set by set\n"
        f"  hingecoach trainee show {DEMO_NAME}\n"
        "  hingecoach catalogue ladder       the whole ladder\n"
        "  hingecoach --help"
    )
