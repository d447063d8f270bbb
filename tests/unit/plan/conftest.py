"""Fixtures for the planner's tests: the built-in catalogue, loaded once."""

from __future__ import annotations

import pytest

from hingecoach.knowledge import Catalogue, load_catalogue


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue([])
