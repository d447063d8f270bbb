"""Real clips from ../shared/data (skipped with a notice when absent) and video support."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED

CLIPS = SHARED / "data" / "clips"


@pytest.fixture(scope="session")
def video_support() -> None:
    for module in ("av", "cv2", "mediapipe"):
        pytest.importorskip(module, reason=f"video support ({module}) is not installed")


@pytest.fixture(scope="session")
def clip(video_support: None) -> object:
    def find(name: str) -> Path:
        path = CLIPS / name
        if not path.is_file():
            pytest.skip(f"the shared clips are not at {CLIPS} (see ../shared/data/README.md)")
        return path

    return find
