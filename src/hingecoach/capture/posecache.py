"""A cache of pose tracks extracted from clips, shared by ``make eval-form`` and the tests.

A track is keyed by the clip's size and modification time, a version bumped when the
extraction code changes, and the extraction recipe in force (see
:func:`hingecoach.capture.pipeline.pose_recipe`: model, pose-rate cap), so an edited clip or
another recipe is extracted again and an unchanged one never is.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

__all__ = ["cache_path", "ensure_tracks"]

_VERSION = "v2"


def cache_path(clip: Path, cache: Path) -> Path:
    """Where the pose track of ``clip`` is kept in ``cache``."""
    from hingecoach.capture.pipeline import pose_recipe

    stat = clip.stat()
    recipe = f"{_VERSION}:{pose_recipe()}"
    key = hashlib.sha1(f"{stat.st_size}:{stat.st_mtime_ns}:{recipe}".encode()).hexdigest()[:10]
    return cache / f"{clip.stem}.{key}.npz"


def _extract(args: tuple[str, str]) -> str:
    from hingecoach.capture.pipeline import extract_pose
    from hingecoach.capture.tracks import save_track

    clip, out = Path(args[0]), Path(args[1])
    seq = extract_pose(clip)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".partial.npz")
    save_track(seq, partial)
    partial.replace(out)  # a killed run never leaves half a track behind
    return clip.name


def ensure_tracks(
    clips: Sequence[Path],
    cache: Path,
    jobs: int = 1,
    progress: Callable[[str], None] = lambda _: None,
) -> list[Path]:
    """Extract (with MediaPipe, ``jobs`` processes) the tracks not cached yet.

    Returns:
        The cached track of each clip, in order.
    """
    todo = [(str(c), str(cache_path(c, cache))) for c in clips if not cache_path(c, cache).exists()]
    if todo:
        progress(f"extracting poses for {len(todo)} clip(s) with {jobs} process(es) ...")
        start = time.perf_counter()
        if jobs <= 1:
            for item in todo:
                progress(f"   {_extract(item)}")
        else:
            # spawn, not fork: MediaPipe aborts in a child forked after the parent used it
            spawn = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(jobs, mp_context=spawn) as pool:
                for name in pool.map(_extract, todo):
                    progress(f"   {name}")
        progress(f"  done in {time.perf_counter() - start:.0f} s")
    return [cache_path(c, cache) for c in clips]
