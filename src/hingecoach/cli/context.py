"""Shared lookups for commands: the catalogue the user asked for."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from hingecoach.knowledge import Catalogue


def catalogue_dirs(ctx: typer.Context) -> list[Path] | None:
    root = ctx.find_root()
    obj = root.obj if isinstance(root.obj, dict) else {}
    dirs = obj.get("catalogue_dirs")
    return list(dirs) if dirs else None


def get_catalogue(ctx: typer.Context) -> Catalogue:
    from hingecoach.knowledge import load_catalogue

    return load_catalogue(catalogue_dirs(ctx))
