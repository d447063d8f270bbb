"""Decode any common video (mp4/mov/avi/webm) frame by frame with PyAV, rotation applied."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from hingecoach.form.errors import MissingVideoError, UnreadableVideoError

__all__ = ["ANALYSIS_MAX_SIDE_PX", "Frame", "VideoInfo", "iter_frames", "probe", "scaled_size"]

#: Frames are decoded straight to at most this many pixels on the long side for pose
#: estimation: BlazePose looks at a 256 px crop anyway, and the segmentation mask and the
#: colour conversion cost in proportion to the pixels (1080p: 21 -> 27 fps on one core).
ANALYSIS_MAX_SIDE_PX = 960

RgbImage = npt.NDArray[np.uint8]
T = TypeVar("T")


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about a clip (the frame count may be an estimate)."""

    width_px: int
    height_px: int
    fps: float
    duration_s: float
    frames_estimate: int
    rotation_deg: int


class Frame:
    """One decoded frame: its index, presentation time and ``(height, width, 3)`` RGB
    image. The image is converted from the decoder's picture on first use: scaling and
    colour conversion cost about twice the decoding of a 1080p frame (one core), so a
    frame that is never looked at (not posed, not drawn) skips them."""

    __slots__ = ("_convert", "_fast", "_rgb", "height", "index", "time_s", "width")

    def __init__(
        self,
        index: int,
        time_s: float,
        rgb: RgbImage | None = None,
        *,
        convert: Callable[[], RgbImage] | None = None,
        fast: Callable[[], RgbImage] | None = None,
        size: tuple[int, int] | None = None,
    ) -> None:
        self.index = index
        self.time_s = time_s
        self._rgb = rgb
        self._convert = convert
        self._fast = fast
        if rgb is not None:
            self.height, self.width = rgb.shape[:2]
        else:
            assert size is not None and convert is not None
            self.width, self.height = size

    @property
    def rgb(self) -> RgbImage:
        if self._rgb is None:
            assert self._convert is not None
            self._rgb = self._convert()
            self._convert = self._fast = None
        return self._rgb

    def preview(self) -> RgbImage:
        """The image for showing, not for posing: :attr:`rgb` if it was converted, else a
        conversion about twice as fast (scaled in YUV, then OpenCV's colour conversion;
        within a grey level or two of :attr:`rgb`)."""
        if self._rgb is not None or self._fast is None:
            return self.rgb
        return self._fast()


def _open(path: Path) -> Any:
    import av

    if not path.is_file():
        raise MissingVideoError(f"{path}: no such file")
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise UnreadableVideoError(f"{path.name}: not a video we can read ({exc})") from exc
    if not container.streams.video:
        container.close()
        raise UnreadableVideoError(f"{path.name}: has no video stream")
    return container


def _rotation(stream: Any) -> int:
    """Counter-clockwise display rotation in degrees (phone metadata), a multiple of 90."""
    rot = 0.0
    try:
        rotate_tag = stream.metadata.get("rotate")
        if rotate_tag:
            rot = -float(rotate_tag)
    except (TypeError, ValueError):
        rot = 0.0
    return round(rot / 90.0) * 90 % 360


def probe(path: Path) -> VideoInfo:
    """Read the header of a clip (size after rotation, frame rate, duration)."""
    import av

    container = _open(path)
    try:
        stream = container.streams.video[0]
        width, height = int(stream.codec_context.width), int(stream.codec_context.height)
        fps = float(stream.average_rate or stream.guessed_rate or 30.0)
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            duration = float(container.duration) / 1e6
        else:
            duration = 0.0
        frames = int(stream.frames) or round(duration * fps)
        rotation = _rotation(stream)
        try:  # the display matrix travels on the frames (FFmpeg 7)
            first = next(container.decode(stream), None)
            frame_rotation = getattr(first, "rotation", 0) or 0
            if frame_rotation:
                rotation = round(float(frame_rotation) / 90.0) * 90 % 360
        except av.error.FFmpegError:
            pass
    finally:
        container.close()
    if rotation in (90, 270):
        width, height = height, width
    return VideoInfo(width, height, fps, duration, frames, rotation)


def _rotate(rgb: RgbImage, rotation_deg: int) -> RgbImage:
    k = (rotation_deg // 90) % 4
    return np.ascontiguousarray(np.rot90(rgb, k) if k else rgb)


def scaled_size(width: int, height: int, max_side: int | None) -> tuple[int, int]:
    """The frame size after scaling the long side down to ``max_side`` (even numbers)."""
    if max_side is None or max(width, height) <= max_side:
        return width, height
    factor = max_side / max(width, height)
    return max(2, round(width * factor / 2) * 2), max(2, round(height * factor / 2) * 2)


def _converter(frame: Any, width: int, height: int, rotation: int) -> Callable[[], RgbImage]:
    def convert() -> RgbImage:
        if (width, height) != (frame.width, frame.height):
            rgb = frame.reformat(width=width, height=height, format="rgb24").to_ndarray()
        else:
            rgb = frame.to_ndarray(format="rgb24")
        return _rotate(rgb, rotation)

    return convert


def _fast_converter(
    frame: Any, width: int, height: int, rotation: int
) -> Callable[[], RgbImage] | None:
    if width % 2 or height % 2:
        return None

    def convert() -> RgbImage:
        import cv2

        yuv = frame.reformat(width=width, height=height, format="yuv420p").to_ndarray()
        rgb = np.asarray(cv2.cvtColor(yuv, cv2.COLOR_YUV2RGB_I420), dtype=np.uint8)
        return _rotate(rgb, rotation)

    return convert


def iter_frames(
    path: Path,
    *,
    start_s: float | None = None,
    end_s: float | None = None,
    max_side: int | None = None,
) -> Iterator[Frame]:
    """Decoded frames in presentation order, one at a time (constant memory).

    Times are presentation timestamps from the stream's start (not index / fps: phone clips
    may have a variable frame rate). Phone rotation metadata is applied, so the image is
    upright as a player would show it. With ``max_side``, frames are scaled (in the same
    step as the colour conversion) so the long side is at most that many pixels.
    """
    import av

    container = _open(path)
    try:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        base = stream.time_base
        start_pts = stream.start_time if stream.start_time is not None else None
        header_rotation = _rotation(stream)
        index = 0
        first_pts: int | None = None
        if start_s is not None and start_s > 0 and start_pts is not None and base:
            # jump to the key frame before the stretch instead of decoding up to it
            container.seek(start_pts + int(start_s / base), stream=stream, backward=True)
        try:
            for frame in container.decode(stream):
                if frame.pts is None:
                    continue
                if first_pts is None:
                    first_pts = start_pts if start_pts is not None else frame.pts
                time_s = float((frame.pts - first_pts) * base)
                if start_s is not None and time_s < start_s:
                    continue
                if end_s is not None and time_s > end_s:
                    break
                rotation = header_rotation
                frame_rotation = getattr(frame, "rotation", 0) or 0
                if frame_rotation:
                    rotation = round(float(frame_rotation) / 90.0) * 90 % 360
                w, h = scaled_size(frame.width, frame.height, max_side)
                size = (h, w) if rotation in (90, 270) else (w, h)
                yield Frame(
                    index,
                    time_s,
                    convert=_converter(frame, w, h, rotation),
                    fast=_fast_converter(frame, w, h, rotation),
                    size=size,
                )
                index += 1
        except av.error.FFmpegError as exc:
            if index == 0:
                raise UnreadableVideoError(f"{path.name}: cannot decode ({exc})") from exc
            # a damaged tail: keep what was decoded
    finally:
        container.close()


def look_at_frames(
    path: Path,
    wants: Callable[[float, float | None], bool],
    look: Callable[[float, RgbImage], None],
    found: Callable[[], T | None],
    *,
    start_s: float | None = None,
    end_s: float | None = None,
) -> T:
    """Decode a clip (or ``start_s``..``end_s`` of it) at the analysis size, hand ``look``
    each frame that ``wants(time, time of the frame decoded before it or None)`` (the others
    are never converted), and return what ``found()`` says was found in them. For a scan
    of a clip decoded for it alone.

    Raises:
        UnreadableVideoError: no frame could be decoded (``found()`` gives None).
    """
    previous: float | None = None
    for frame in iter_frames(path, start_s=start_s, end_s=end_s, max_side=ANALYSIS_MAX_SIDE_PX):
        if wants(frame.time_s, previous):
            look(frame.time_s, frame.rgb)
        previous = frame.time_s
    result = found()
    if previous is None or result is None:
        raise UnreadableVideoError(f"{path.name}: no frames could be decoded")
    return result
