"""The Typer application: the root command, its global options and its sub-commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hingecoach.cli import catalogue_cmds

app = typer.Typer(
    name="hingecoach",
    help="A coach for the hip hinge: screens, places, prescribes, progresses and regresses.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(catalogue_cmds.app, name="catalogue")


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
) -> None:
    """A coach for the hip hinge."""
    ctx.obj = {"catalogue_dirs": catalogue or None}


@app.command()
def version() -> None:
    """Print the version."""
    from hingecoach import __version__

    typer.echo(__version__)


@app.command()
def demo(ctx: typer.Context) -> None:
    """A short tour on demo data: the ladder and one rung in full (what `make run` shows)."""
    from hingecoach.cli import catalogue_cmds as cc
    from hingecoach.cli.output import console

    out = console()
    out.print("[bold]hingecoach demo[/]: the hinge ladder, floor first.\n")
    cc.ladder(ctx, dot=False)
    out.print("\n[bold]A demo trainee is learning this rung:[/]\n")
    cc.show(ctx, "dowel-hip-hinge", as_json=False)
    out.print("\nTry: .venv/bin/hingecoach catalogue --help")
