"""Shared lookups for commands: the catalogue the user asked for."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from hingecoach.knowledge import Catalogue


def catalogue_dirs(ctx: typer.Context) -> list[Path] | None:
    root = ctx.find_root()
    obj = root.obj if isinstance(root.obj, dict) else {}
    dirs = obj.get("catalogue_dirs")
    return list(dirs) if dirs else None


def get_catalogue(ctx: typer.Context) -> Catalogue:
    from hingecoach.knowledge import load_catalogue

    return load_catalogue(catalogue_dirs(ctx))


def exercise_name(ctx: typer.Context, exercise_id: str | None) -> str:
    """What a person reads for an exercise: its name (the id only when the catalogue has no
    such exercise, for example one a coach's own catalogue used to have)."""
    if not exercise_id:
        return ""
    found = get_catalogue(ctx).exercises.get(exercise_id)
    return found.name if found is not None else exercise_id


def _root_obj(ctx: typer.Context) -> dict[str, object]:
    root = ctx.find_root()
    return root.obj if isinstance(root.obj, dict) else {}


def get_engine(ctx: typer.Context) -> Engine:
    """The database engine for this command, opened (and migrated) once per command."""
    obj = _root_obj(ctx)
    engine = obj.get("engine")
    if engine is None:
        from hingecoach.store.migrate import open_database

        url = obj.get("db_url")
        engine = open_database(url if isinstance(url, str) else None)
        obj["engine"] = engine
        ctx.find_root().call_on_close(engine.dispose)
    return engine  # type: ignore[return-value]
