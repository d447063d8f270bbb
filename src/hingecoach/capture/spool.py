"""Decoded frames kept, JPEG-compressed in a temporary file, until the annotated video is
drawn: the clip is decoded once (for the pose) and its frames drawn once the whole-clip
report (rep numbers, faults) is known. Memory stays flat: one frame at a time.

Measured on a 1080p clip (one core): decoding and scaling a frame again costs about as much
as a JPEG round trip, but the spool saves the second open, seek and demux of the source and
lets the frames come from several processes (see :mod:`hingecoach.capture.split`).
"""

from __future__ import annotations

import contextlib
import math
import struct
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
import numpy.typing as npt

__all__ = ["SPOOL_JPEG_QUALITY", "FrameSpool", "Thinning", "read_spool", "thinning"]

#: JPEG quality of a kept frame (the annotated video is H.264 at crf 26 afterwards;
#: measured with ``python bench/form_bench.py spool``: 3.2 ms a frame to write and read at
#: 90, PSNR 47 dB; 80 and 70 save 0.2 and 1 ms for 2 and 3 dB).
SPOOL_JPEG_QUALITY = 90
_HEADER = struct.Struct("<dI")  # time_s, byte length


@dataclass(frozen=True)
class Thinning:
    """Every ``stride``-th frame of a ``fps`` clip, on the clip's time line: the first
    frame in each slot of ``stride / fps`` seconds is kept. A slot starts half a source
    frame before the frame it keeps, so timing jitter (phones) does not move a frame to
    another slot; the slots are the clip's, so the parts of a clip posed in several
    processes keep the frames one process would."""

    fps: float
    stride: int

    @property
    def fps_out(self) -> float:
        return self.fps / self.stride

    def _slot(self, time_s: float) -> int:
        return math.floor(time_s * self.fps_out + 0.5 / self.stride)

    def keeps(self, time_s: float, previous_s: float | None) -> bool:
        """Keep the frame at ``time_s``, the frame decoded before it being at
        ``previous_s`` (None: it is the first)?"""
        return previous_s is None or self._slot(time_s) != self._slot(previous_s)


def thinning(fps: float, cap: float | None) -> Thinning | None:
    """The frames kept for a video of at most ``cap`` frames a second from a clip of
    ``fps``: every n-th frame (60 fps -> every other, 50 -> every other, 120 -> every
    fourth), evenly spaced. None: every frame (no cap, or the clip within 5 % of it: a
    phone's "30 fps" may average 30.02)."""
    if cap is None or cap <= 0 or fps <= 0:
        return None
    stride = max(1, math.ceil(fps / cap - 0.05))
    return None if stride == 1 else Thinning(fps, stride)


class FrameSpool:
    """Append RGB frames (with their times) to a file; read them back in order. With
    ``thin``, only the frames it keeps are wanted (see :meth:`wants`)."""

    def __init__(self, path: Path | None = None, *, thin: Thinning | None = None) -> None:
        self.path = path
        self.thin = thin
        self._fh: IO[bytes] = (
            path.open("w+b") if path is not None else tempfile.TemporaryFile(prefix="hc-spool-")  # noqa: SIM115 - closed by close()
        )
        self.count = 0
        self.parts: list[Path] = []

    def adopt(self, part: Path) -> None:
        """Add the frames of a spool file written by another process (after this one's
        own frames); the file is deleted with this spool."""
        self.parts.append(part)

    def wants(self, time_s: float, previous_s: float | None) -> bool:
        """Should the frame at ``time_s`` be added (the frame decoded before it was at
        ``previous_s``)? Every frame without thinning."""
        return self.thin is None or self.thin.keeps(time_s, previous_s)

    def add(self, time_s: float, rgb: npt.NDArray[np.uint8]) -> None:
        import cv2

        # stored as if BGR and read back the same way: no channel swap either side
        ok, buf = cv2.imencode(".jpg", rgb, [cv2.IMWRITE_JPEG_QUALITY, SPOOL_JPEG_QUALITY])
        if not ok:  # pragma: no cover - OpenCV encodes any uint8 image
            raise ValueError("could not compress a frame")
        data = buf.tobytes()
        self._fh.write(_HEADER.pack(time_s, len(data)))
        self._fh.write(data)
        self.count += 1

    def flush(self) -> None:
        self._fh.flush()

    def frames(self) -> Iterator[tuple[float, npt.NDArray[np.uint8]]]:
        """(time_s, RGB frame) in the order they were added."""
        self._fh.flush()
        self._fh.seek(0)
        yield from _read(self._fh)
        for part in self.parts:
            yield from read_spool(part)

    def close(self) -> None:
        self._fh.close()
        for part in self.parts:
            part.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                part.parent.rmdir()  # the parts' own directory, once empty


def _read(fh: IO[bytes]) -> Iterator[tuple[float, npt.NDArray[np.uint8]]]:
    import cv2

    while True:
        head = fh.read(_HEADER.size)
        if len(head) < _HEADER.size:
            return
        time_s, size = _HEADER.unpack(head)
        data = np.frombuffer(fh.read(size), dtype=np.uint8)
        rgb = cv2.imdecode(data, cv2.IMREAD_COLOR)
        if rgb is None:
            return  # a truncated spool: the frames up to here
        yield time_s, np.asarray(rgb, dtype=np.uint8)


def read_spool(path: Path) -> Iterator[tuple[float, npt.NDArray[np.uint8]]]:
    """The frames of a spool file written by another process."""
    with path.open("rb") as fh:
        yield from _read(fh)
