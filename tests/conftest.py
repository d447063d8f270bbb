"""Shared fixtures: paths to the shared material and a copy of the built-in catalogue."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def catalogue_copy(tmp_path: Path) -> Path:
    """A writable copy of the built-in catalogue, for tests that break it on purpose."""
    from hingecoach.knowledge import builtin_catalogue_dir

    target = tmp_path / "catalogue"
    shutil.copytree(builtin_catalogue_dir(), target)
    return target


@pytest.fixture
def seeds_dir() -> Path:
    path = SHARED / "seeds"
    if not path.is_dir():
        pytest.skip(f"the seed articles are not at {path}")
    return path
