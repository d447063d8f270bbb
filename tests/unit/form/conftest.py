"""Recorded pose tracks (tests/fixtures/tracks) and synthetic ones for the form tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hingecoach.capture.tracks import load_track
from hingecoach.form import PoseSequence

TRACKS = Path(__file__).resolve().parents[2] / "fixtures" / "tracks"


@pytest.fixture(scope="session")
def track() -> Callable[[str], PoseSequence]:
    cache: dict[str, PoseSequence] = {}

    def load(name: str) -> PoseSequence:
        if name not in cache:
            cache[name] = load_track(TRACKS / f"{name}.npz")
        return cache[name]

    return load
