"""Decoded frames kept in a temporary file until the annotated video is drawn: the clip is
decoded once (for the pose) and its frames drawn once the whole-clip report (rep numbers,
faults) is known. Memory stays flat: a few frames at a time.

Frames are kept as the encoder wants them, YUV 4:2:0 (I420, ``(height * 3 / 2, width)``
bytes), so nothing converts them back and forth: the overlay is drawn on those planes (see
:mod:`hingecoach.capture.annotate`) and they go to x264 as they are. The first
:data:`SPOOL_RAW_MB` of a spool are stored raw; past that each frame is a greyscale JPEG
of its planes (a limit on the temporary disk a long clip takes).

Measured per kept frame at the analysis size (540x960, one core,
``python bench/form_bench.py spool 720``: CPU to convert, write and read back): raw
0.56 ms (0.78 MB a frame, 1.4 GB a minute of a 30 fps clip: hence the limit); the JPEG
of the planes 2.4 ms at quality 90 (88 MB a minute, PSNR 47.7 dB); the RGB JPEG this
replaced cost 3.0-3.4 ms and still needed a conversion to YUV for the encoder.

The frames are converted and written on a thread of their own (OpenCV and file writes
release the GIL), so with a second core the pose pass does not wait for them; a failure
there is raised, as :class:`SpoolError`, by the next :meth:`FrameSpool.add`,
:meth:`FrameSpool.flush` or :meth:`FrameSpool.frames`.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import queue
import struct
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

import numpy as np
import numpy.typing as npt

from hingecoach.errors import InputError
from hingecoach.form.errors import FormError

__all__ = [
    "SPOOL_JPEG_QUALITY",
    "SPOOL_QUEUE_FRAMES",
    "SPOOL_RAW_MB",
    "SPOOL_RAW_MB_ENV",
    "FrameSpool",
    "SpoolError",
    "Thinning",
    "i420_planes",
    "i420_to_rgb",
    "read_spool",
    "spool_raw_bytes",
    "thinning",
    "to_i420",
]

#: JPEG quality of a frame past the raw limit (greyscale JPEG of its I420 planes; the
#: annotated video is H.264 at crf 28 afterwards, PSNR about 46 dB).
SPOOL_JPEG_QUALITY = 90
#: Megabytes of raw frames a spool keeps before it compresses the rest: 1024 MB is about
#: 44 s of a 30 fps clip at the analysis size (540x960); one temporary file per clip (per
#: part of a clip posed in several processes).
SPOOL_RAW_MB = 1024.0
#: Sets :data:`SPOOL_RAW_MB` (``0``: compress every frame, the least temporary disk).
SPOOL_RAW_MB_ENV = "HINGECOACH_SPOOL_RAW_MB"
#: Frames handed to the writer thread and not yet written, at most (the pose pass waits
#: past that): about 12 MB of RGB frames at the analysis size.
SPOOL_QUEUE_FRAMES = 8

_HEADER = struct.Struct("<dIHHB")  # time_s, byte length, width, height, kind
_RAW, _JPEG, _END = 0, 1, 2


class SpoolError(FormError):
    """The frames kept for the annotated video could not be written or read back."""

    code = "frame-spool-failed"


def spool_raw_bytes() -> int:
    """The raw limit in force, in bytes (see :data:`SPOOL_RAW_MB_ENV`)."""
    text = os.environ.get(SPOOL_RAW_MB_ENV, "").strip()
    if not text:
        return int(SPOOL_RAW_MB * 1e6)
    try:
        mb = float(text)
    except ValueError:
        mb = math.nan
    if not 0 <= mb < 1e7:
        raise InputError(
            f"{SPOOL_RAW_MB_ENV}: expected megabytes of raw frames kept per clip, 0 or "
            f"more (0: compress every frame), got {text!r}; fix or unset it"
        )
    return int(mb * 1e6)


def to_i420(
    rgb: npt.NDArray[np.uint8], out: npt.NDArray[np.uint8] | None = None
) -> npt.NDArray[np.uint8]:
    """An RGB ``(h, w, 3)`` frame as I420 ``(h' * 3 / 2, w')``, its size cut down to even
    numbers (the last row or column dropped: 4:2:0 needs even sizes); into ``out`` when it
    has that shape."""
    import cv2

    h, w = rgb.shape[0] // 2 * 2, rgb.shape[1] // 2 * 2
    src = rgb if (h, w) == rgb.shape[:2] else rgb[:h, :w]
    if out is None or out.shape != (h * 3 // 2, w):
        out = np.empty((h * 3 // 2, w), np.uint8)
    cv2.cvtColor(np.ascontiguousarray(src), cv2.COLOR_RGB2YUV_I420, dst=out)
    return out


def i420_to_rgb(yuv: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """An I420 frame as RGB ``(h, w, 3)``."""
    import cv2

    return np.asarray(cv2.cvtColor(yuv, cv2.COLOR_YUV2RGB_I420), dtype=np.uint8)


def i420_planes(
    yuv: npt.NDArray[np.uint8],
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.uint8], npt.NDArray[np.uint8]]:
    """Views of the Y ``(h, w)``, U and V ``(h / 2, w / 2)`` planes of an I420 frame
    (drawing on them draws on the frame)."""
    h, w = yuv.shape[0] * 2 // 3, yuv.shape[1]
    flat = yuv.reshape(-1)
    quarter = (h // 2) * (w // 2)
    u = flat[h * w : h * w + quarter].reshape(h // 2, w // 2)
    v = flat[h * w + quarter : h * w + 2 * quarter].reshape(h // 2, w // 2)
    return yuv[:h], u, v


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


class _Writer:
    """Converts and appends frames to ``fh`` on a thread of its own, in the order given;
    keeps the first error and drops the frames after it."""

    def __init__(self, fh: IO[bytes], raw_bytes: int) -> None:
        self.fh = fh
        self.raw_left = raw_bytes
        self.error: BaseException | None = None
        self.jobs: queue.Queue[tuple[float, npt.NDArray[np.uint8]] | None] = queue.Queue(
            SPOOL_QUEUE_FRAMES
        )
        self.thread = threading.Thread(target=self._loop, name="hc-spool", daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        buf: npt.NDArray[np.uint8] | None = None
        while True:
            job = self.jobs.get()
            try:
                if job is None:
                    return
                if self.error is None:
                    buf = to_i420(job[1], buf)
                    self._append(job[0], buf)
            except BaseException as exc:  # handed to the caller's thread
                self.error = exc
            finally:
                self.jobs.task_done()

    def _append(self, time_s: float, yuv: npt.NDArray[np.uint8]) -> None:
        import cv2

        h, w = yuv.shape[0] * 2 // 3, yuv.shape[1]
        if yuv.nbytes <= self.raw_left:
            self.raw_left -= yuv.nbytes
            self.fh.write(_HEADER.pack(time_s, yuv.nbytes, w, h, _RAW))
            self.fh.write(yuv.data)
            return
        ok, buf = cv2.imencode(".jpg", yuv, [cv2.IMWRITE_JPEG_QUALITY, SPOOL_JPEG_QUALITY])
        if not ok:  # pragma: no cover - OpenCV encodes any uint8 image
            raise ValueError("could not compress a frame")
        self.fh.write(_HEADER.pack(time_s, buf.size, w, h, _JPEG))
        self.fh.write(buf.data)

    def put(self, time_s: float, rgb: npt.NDArray[np.uint8]) -> None:
        self.jobs.put((time_s, rgb))

    def drain(self) -> None:
        """Wait until every frame given is written (or dropped after an error)."""
        self.jobs.join()

    def stop(self) -> None:
        self.jobs.put(None)
        self.thread.join()


class FrameSpool:
    """Append RGB frames (with their times) to a file; read them back in order, as I420.
    With ``thin``, only the frames it keeps are wanted (see :meth:`wants`).
    ``raw_bytes``: store frames raw up to this many bytes, then compressed (default
    :func:`spool_raw_bytes`)."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        thin: Thinning | None = None,
        raw_bytes: int | None = None,
    ) -> None:
        self.path = path
        self.thin = thin
        self.raw_bytes = spool_raw_bytes() if raw_bytes is None else raw_bytes
        self._fh: IO[bytes] = (
            path.open("w+b") if path is not None else tempfile.TemporaryFile(prefix="hc-spool-")  # noqa: SIM115 - closed by close()
        )
        self._writer: _Writer | None = None
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
        """Queue an RGB ``(h, w, 3)`` frame for writing (it must not change afterwards);
        raises :class:`SpoolError` if an earlier frame could not be written."""
        if self._writer is None:
            self._writer = _Writer(self._fh, self.raw_bytes)
        self._raise_failure()
        self._writer.put(time_s, rgb)
        self.count += 1

    def _raise_failure(self) -> None:
        if self._writer is not None and self._writer.error is not None:
            exc = self._writer.error
            where = self.path.parent if self.path is not None else Path(tempfile.gettempdir())
            raise SpoolError(
                f"could not keep the clip's frames for the annotated video ({exc}); check "
                f"the free space in {where} (or set TMPDIR) and try again"
            ) from exc

    def flush(self) -> None:
        """Wait until every frame added is written; raises :class:`SpoolError` if one
        could not be."""
        if self._writer is not None:
            self._writer.drain()
        self._raise_failure()
        self._fh.flush()

    def frames(self) -> Iterator[tuple[float, npt.NDArray[np.uint8]]]:
        """(time_s, I420 frame) in the order they were added. The array is reused for the
        next frame: copy it to keep it."""
        self.flush()
        self._fh.seek(0)
        yield from _read(self._fh, "")
        for part in self.parts:
            yield from read_spool(part)

    def close(self) -> None:
        """Stop the writer, end the file (a file of another process's spool is only read
        whole) and delete the adopted parts. Raises nothing: a failed write is raised by
        :meth:`flush` or :meth:`frames`."""
        try:
            if self._writer is not None:
                self._writer.stop()
            if self._writer is None or self._writer.error is None:
                with contextlib.suppress(OSError):
                    self._fh.write(_HEADER.pack(0.0, 0, 0, 0, _END))
        finally:
            with contextlib.suppress(OSError):  # a part not ended reads as cut short
                self._fh.close()
            for part in self.parts:
                part.unlink(missing_ok=True)
                with contextlib.suppress(OSError):
                    part.parent.rmdir()  # the parts' own directory, once empty


def _read(fh: IO[bytes], name: str) -> Iterator[tuple[float, npt.NDArray[np.uint8]]]:
    """The frames of an open spool file; with ``name`` (another process's file), its end
    mark must be there."""
    import cv2

    buf = bytearray()
    while True:
        head = fh.read(_HEADER.size)
        if len(head) < _HEADER.size:
            break
        time_s, size, w, h, kind = _HEADER.unpack(head)
        if kind == _END:
            return
        if len(buf) < size:
            buf = bytearray(size)
        view = memoryview(buf)[:size]
        if cast(io.BufferedIOBase, fh).readinto(view) < size:
            break
        if kind == _RAW:
            yield time_s, np.frombuffer(view, np.uint8).reshape(h * 3 // 2, w)
            continue
        yuv = cv2.imdecode(np.frombuffer(view, np.uint8), cv2.IMREAD_GRAYSCALE)
        if yuv is None or yuv.shape != (h * 3 // 2, w):
            break
        yield time_s, np.asarray(yuv, dtype=np.uint8)
    if name:
        raise SpoolError(
            f"the frames kept by another process ({name}) end part-way: analyse the clip again"
        )


def read_spool(path: Path) -> Iterator[tuple[float, npt.NDArray[np.uint8]]]:
    """The I420 frames of a spool file written (and closed) by another process; raises
    :class:`SpoolError` if it does not end as a closed spool does."""
    with path.open("rb") as fh:
        yield from _read(fh, path.name)
