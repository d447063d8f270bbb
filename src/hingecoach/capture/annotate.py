"""Annotated video (browser-playable H.264 via PyAV) and one PNG per rep bottom."""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from hingecoach.capture.spool import i420_planes
from hingecoach.form.analysis import FormReport
from hingecoach.form.geometry import angle_deg
from hingecoach.form.kinematics import side_points
from hingecoach.form.pose import PoseSequence

__all__ = [
    "X264_CRF",
    "X264_PARAMS",
    "X264_PRESET",
    "Annotator",
    "H264Writer",
    "RepFrameWriter",
    "render_stick_figure",
]

_BONES = [
    ("ear", "shoulder"), ("shoulder", "hip"), ("hip", "knee"), ("knee", "ankle"),
    ("ankle", "heel"), ("heel", "toe"), ("ankle", "toe"), ("shoulder", "wrist"),
]  # fmt: skip
_MAX_HEIGHT = 720
#: x264's speed/size trade and quality of the annotated video. Measured at the analysis
#: size (30 fps; ``python bench/form_bench.py encode CLIP``, CPU ms a frame, MB a minute,
#: PSNR against the spooled frames), ultrafast with CABAC, the deblocking filter and two
#: B-frames at crf 27 against superfast at crf 26 (an earlier setting): the phone clip
#: (540x960) 2.6 against 3.4 ms, 3.1 against 3.4 MB a minute, 41.4 dB both; a 1080p gym
#: clip (960x540) 2.2 against 3.1 ms, 8.3 against 7.4 MB, 36.1 against 35.7 dB.
#: One B-frame at crf 28 (now) against two at crf 27, on four clips (the phone clip,
#: mattiolato, rfn, goli; 3 alternated rounds): 10-17 % less x264 CPU, bytes within 3 %
#: (fewer on three), 0.15-0.2 dB less (Y PSNR). No B-frames at crf 28: about as fast, but
#: 7-22 % more bytes.
#: Plain ultrafast saves up to 0.8 ms more a frame but needs 40-90 % more bytes.
X264_PRESET = "ultrafast"
X264_CRF = 28
#: x264 options on top of :data:`X264_PRESET` (``key=value:...``).
X264_PARAMS = "cabac=1:deblock=0,0:bframes=1"
#: Frame times of the written video, in ticks of this (MPEG's 90 kHz clock).
_TIME_BASE = Fraction(1, 90000)


class Annotator:
    """Draws the skeleton, the hip and knee angles, a rep counter and the cue of a fault
    while it happens, onto frames of the analysed clip: RGB (:meth:`draw`) or, in place,
    the I420 frames of the spool (:meth:`draw_i420`: the same overlay drawn on the Y plane
    and, at half the size, on the U and V planes; about 0.3 ms a 540x960 frame, against
    about 1 ms for RGB and its conversion)."""

    def __init__(self, seq: PoseSequence, report: FormReport) -> None:
        self.seq = seq
        self.report = report
        pts = side_points("left" if report.view.side == "left" else "right")
        names = list(pts)
        xy = seq.xy[:, [pts[k] for k in names]]  # (frames, points, 2)
        # worked out for every frame at once, not per frame as it is drawn
        seen: npt.NDArray[np.bool_] = np.asarray(np.isfinite(xy).all(axis=-1), dtype=bool)
        self._points = np.where(seen[..., None], np.rint(np.nan_to_num(xy)), 0).astype(int)
        self._seen = seen
        self._place = {k: i for i, k in enumerate(names)}
        self._bones = [(self._place[a], self._place[b]) for a, b in _BONES]
        at = self._place
        self._angles = (
            ("hip", angle_deg(xy[:, at["shoulder"]], xy[:, at["hip"]], xy[:, at["knee"]])),
            ("knee", angle_deg(xy[:, at["hip"]], xy[:, at["knee"]], xy[:, at["ankle"]])),
        )
        self.rep_ends = [r.end_s for r in report.reps]
        self.cues = [
            (r.start_s, r.end_s + 1.0, r.faults[0].cue or r.faults[0].id)
            for r in report.reps
            if r.faults
        ]

    def draw(self, rgb: npt.NDArray[np.uint8], index: int, time_s: float) -> npt.NDArray[np.uint8]:
        """The overlay on ``rgb`` ``(h, w, 3)`` (in place when it is contiguous)."""
        img = np.ascontiguousarray(rgb)
        self._paint(_RgbCanvas(img), img.shape[0], img.shape[1], index, time_s)
        return img

    def draw_i420(self, yuv: npt.NDArray[np.uint8], index: int, time_s: float) -> None:
        """The overlay on an I420 frame ``(h * 3 / 2, w)``, in place."""
        self._paint(_I420Canvas(yuv), yuv.shape[0] * 2 // 3, yuv.shape[1], index, time_s)

    def _paint(self, canvas: _Canvas, h: int, w: int, index: int, time_s: float) -> None:
        scale = max(h, w) / 720.0
        thick = max(1, round(2 * scale))
        if index < len(self.seq):
            self._skeleton(canvas, index, scale, thick)
        done = sum(1 for end in self.rep_ends if end <= time_s)
        canvas.text(
            f"reps {done}/{len(self.rep_ends)}",
            (int(12 * scale), int(36 * scale)),
            0.9 * scale,
            thick + 1,
        )
        for start, end, cue in self.cues:
            if start <= time_s <= end:
                org = (int(12 * scale), h - int(20 * scale))
                canvas.text(cue, org, 0.6 * scale, thick, _CUE)

    def _skeleton(self, canvas: _Canvas, index: int, scale: float, thick: int) -> None:
        points: list[tuple[int, int]] = [(x, y) for x, y in self._points[index].tolist()]
        seen: list[bool] = self._seen[index].tolist()
        for a, b in self._bones:
            if seen[a] and seen[b]:
                canvas.line(points[a], points[b], _BONE, thick)
        for point, visible in zip(points, seen, strict=True):
            if visible:
                canvas.dot(point, thick + 2, _WHITE)
        for name, angles in self._angles:
            value = float(angles[index])
            if np.isfinite(value) and seen[self._place[name]]:
                x, y = points[self._place[name]]
                # at even pixels: the I420 canvas then keeps one drawing per number (see
                # _glyphs), not four (odd and even origins), a pixel away from the joint
                org = ((x + 8 * thick) // 2 * 2, y // 2 * 2)
                canvas.text(f"{value:.0f}", org, 0.6 * scale, thick)


Color = tuple[int, int, int]
_BONE: Color = (0, 255, 120)
_WHITE: Color = (255, 255, 255)
_BLACK: Color = (0, 0, 0)
_CUE: Color = (255, 80, 80)


class _Canvas(Protocol):
    def line(self, a: tuple[int, int], b: tuple[int, int], color: Color, thick: int) -> None: ...

    def dot(self, c: tuple[int, int], radius: int, color: Color) -> None: ...

    def text(
        self, text: str, org: tuple[int, int], scale: float, thick: int, color: Color = _WHITE
    ) -> None:
        """``text`` in ``color`` with a black outline."""


class _RgbCanvas:
    def __init__(self, img: npt.NDArray[np.uint8]) -> None:
        self.img = img

    def line(self, a: tuple[int, int], b: tuple[int, int], color: Color, thick: int) -> None:
        import cv2

        cv2.line(self.img, a, b, color, thick, cv2.LINE_AA)

    def dot(self, c: tuple[int, int], radius: int, color: Color) -> None:
        import cv2

        cv2.circle(self.img, c, radius, color, -1, cv2.LINE_AA)

    def text(
        self, text: str, org: tuple[int, int], scale: float, thick: int, color: Color = _WHITE
    ) -> None:
        _outlined(self.img, text, org, scale, thick, color, _BLACK)


class _I420Canvas:
    """Draws on the planes of an I420 frame: Y at full size, U and V at half (points given
    at full size, halved by OpenCV's fixed-point ``shift``)."""

    def __init__(self, yuv: npt.NDArray[np.uint8]) -> None:
        self.planes = i420_planes(yuv)

    def line(self, a: tuple[int, int], b: tuple[int, int], color: Color, thick: int) -> None:
        import cv2

        for plane, value, half in zip(self.planes, _yuv(color), (False, True, True), strict=True):
            width = max(1, round(thick / 2)) if half else thick
            cv2.line(plane, a, b, value, width, cv2.LINE_AA, int(half))

    def dot(self, c: tuple[int, int], radius: int, color: Color) -> None:
        import cv2

        for plane, value, half in zip(self.planes, _yuv(color), (False, True, True), strict=True):
            cv2.circle(plane, c, radius, value, -1, cv2.LINE_AA, int(half))

    def text(
        self, text: str, org: tuple[int, int], scale: float, thick: int, color: Color = _WHITE
    ) -> None:
        """Blended through the text's coverage, drawn once per text and kept (see
        :func:`_glyphs`): glyphs drawn again at half size on U and V would not line up
        with Y, and putText on every frame costs more than the blend."""
        glyphs = _glyphs(text, scale, thick, org[0] % 2, org[1] % 2, color)
        x0 = org[0] - org[0] % 2 - _PAD  # even, so the U and V boxes are exactly half
        y0 = org[1] - org[1] % 2 - glyphs.baseline_row
        for k, plane in enumerate(self.planes):
            div = 1 if k == 0 else 2
            _blend(plane, glyphs.keep[k], glyphs.paint[k], x0 // div, y0 // div)


#: Room around a text's glyphs in its box (the outline is ``thick + 2`` wide), pixels.
_PAD = 8


@dataclass(frozen=True)
class _Glyphs:
    """What an outlined text does to the planes of the box around it: each plane becomes
    ``plane * keep + paint`` (Y full size, U and V half); the text's origin is
    ``(_PAD, baseline_row)`` in the box (plus one for an odd origin)."""

    keep: tuple[npt.NDArray[np.float32], ...]
    paint: tuple[npt.NDArray[np.float32], ...]
    baseline_row: int


@functools.lru_cache(maxsize=1024)
def _glyphs(text: str, scale: float, thick: int, odd_x: int, odd_y: int, color: Color) -> _Glyphs:
    """The text drawn in RGB as :class:`_RgbCanvas` draws it, on black and on white,
    converted as the spool converts: the difference is how much of the frame shows
    through (from Y; U and V take its 2x2 mean), what is on black the colour added."""
    import cv2

    from hingecoach.capture.spool import to_i420

    (tw, th), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thick + 2)
    row = (th + _PAD + 1) // 2 * 2
    h, w = (row + base + _PAD + 1) // 2 * 2, (tw + 2 * _PAD + 1) // 2 * 2
    drawn: list[list[npt.NDArray[np.float32]]] = []
    for shade in (0, 255):
        img = np.full((h, w, 3), shade, np.uint8)
        _outlined(img, text, (_PAD + odd_x, row + odd_y), scale, thick, color, _BLACK)
        drawn.append([p.astype(np.float32) for p in i420_planes(to_i420(img))])
    on_black, on_white = drawn
    black, white = _yuv(_BLACK), _yuv(_WHITE)
    keep_y = (on_white[0] - on_black[0]) / (white[0] - black[0])
    keep_uv = keep_y.reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))
    keep = (keep_y, keep_uv, keep_uv)
    # + 0.5: the cast to uint8 rounds
    paint = [on_black[k] - black[k] * keep[k] + 0.5 for k in range(3)]
    return _Glyphs(
        tuple(k.astype(np.float32) for k in keep), tuple(p.astype(np.float32) for p in paint), row
    )


def _blend(
    plane: npt.NDArray[np.uint8],
    keep: npt.NDArray[np.float32],
    paint: npt.NDArray[np.float32],
    x0: int,
    y0: int,
) -> None:
    """``plane = plane * keep + paint`` on the box at ``(x0, y0)``, cut to the plane."""
    h, w = keep.shape
    top, left = max(0, -y0), max(0, -x0)
    bottom, right = min(h, plane.shape[0] - y0), min(w, plane.shape[1] - x0)
    if bottom <= top or right <= left:
        return
    box = plane[y0 + top : y0 + bottom, x0 + left : x0 + right]
    out = box * keep[top:bottom, left:right] + paint[top:bottom, left:right]
    box[...] = np.clip(out, 0, 255, out=out)


@functools.cache
def _yuv(color: Color) -> tuple[int, int, int]:
    """``color`` (RGB) as the Y, U and V values of the spool's conversion."""
    from hingecoach.capture.spool import to_i420

    yuv = to_i420(np.full((2, 2, 3), color, np.uint8))
    return int(yuv[0, 0]), int(yuv[2, 0]), int(yuv[2, 1])


def _outlined(
    img: npt.NDArray[np.uint8],
    text: str,
    org: tuple[int, int],
    scale: float,
    thick: int,
    color: Color | int,
    edge: Color | int,
) -> None:
    import cv2

    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, edge, thick + 2, cv2.LINE_AA)
    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, color, thick, cv2.LINE_AA)


class H264Writer:
    """Write frames (RGB, or I420 as the spool gives them) as an H.264 (yuv420p) mp4 that
    browsers play; frames whose short side is over 720 px are scaled down (faster to
    encode, plenty for reviewing form).

    ``fps`` is the nominal rate; a frame written with its time is shown at that time (the
    frames of a clip kept at a lower rate, or of a variable-rate phone clip), else frames
    follow each other at ``fps``. The video is written to ``NAME.partial.mp4`` beside
    ``path`` and takes its name at :meth:`close`: :meth:`abort` (a failure on the way)
    leaves no file behind."""

    def __init__(
        self,
        path: Path,
        fps: float,
        width: int,
        height: int,
        *,
        preset: str = X264_PRESET,
        crf: int = X264_CRF,
        params: str = X264_PARAMS,
    ) -> None:
        import av

        factor = min(1.0, _MAX_HEIGHT / max(1, min(width, height)))
        self.width = max(2, int(width * factor) // 2 * 2)
        self.height = max(2, int(height * factor) // 2 * 2)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.partial = path.with_name(f"{path.stem}.partial{path.suffix}")
        self._container: Any = av.open(str(self.partial), mode="w")
        self.rate = Fraction(fps).limit_denominator(1001) if fps > 0 else Fraction(30)
        self._stream: Any = self._container.add_stream("libx264", rate=self.rate)
        self._stream.width = self.width
        self._stream.height = self.height
        self._stream.pix_fmt = "yuv420p"
        self._stream.codec_context.time_base = _TIME_BASE
        options: dict[str, object] = {"preset": preset, "crf": str(crf), "movflags": "+faststart"}
        if params:
            options["x264-params"] = params
        self._stream.options = options
        self._count = 0
        self._last_pts = -1

    def write(self, rgb: npt.NDArray[np.uint8], time_s: float | None = None) -> None:
        """Write an RGB ``(h, w, 3)`` frame."""
        import cv2

        from hingecoach.capture.spool import to_i420

        image: npt.NDArray[np.uint8] = rgb
        if rgb.shape[1] != self.width or rgb.shape[0] != self.height:
            image = np.asarray(
                cv2.resize(rgb, (self.width, self.height), interpolation=cv2.INTER_AREA),
                dtype=np.uint8,
            )
        # OpenCV's conversion to the encoder's YUV 4:2:0: faster than the encoder's own
        self.write_i420(to_i420(image), time_s)

    def write_i420(self, yuv: npt.NDArray[np.uint8], time_s: float | None = None) -> None:
        """Write an I420 frame ``(h * 3 / 2, w)`` (another size than the video's is scaled
        through RGB)."""

        if yuv.shape != (self.height * 3 // 2, self.width):
            from hingecoach.capture.spool import i420_to_rgb

            self.write(i420_to_rgb(yuv), time_s)
            return
        frame = self._frame_of(yuv)
        if time_s is None:
            time_s = float(self._count / self.rate)
        # strictly increasing (the encoder refuses a repeat)
        pts = max(round(time_s / _TIME_BASE), self._last_pts + 1)
        frame.pts, frame.time_base = pts, _TIME_BASE
        self._last_pts = pts
        self._count += 1
        for packet in self._stream.encode(frame):
            self._container.mux(packet)

    def _frame_of(self, yuv: npt.NDArray[np.uint8]) -> Any:
        """``yuv`` as a frame, its planes read where they are, not copied (x264 copies what
        it is given before encode() returns, so the caller may reuse the array)."""
        import av

        return av.VideoFrame.from_numpy_buffer(np.ascontiguousarray(yuv), format="yuv420p")

    def close(self) -> None:
        """Finish the video and give it its name."""
        try:
            for packet in self._stream.encode():
                self._container.mux(packet)
        except BaseException:
            self.abort()
            raise
        self._container.close()
        self.partial.replace(self.path)

    def abort(self) -> None:
        """Drop the video: no file is left at ``path`` (nor a partial one)."""
        with contextlib.suppress(Exception):
            self._container.close()
        self.partial.unlink(missing_ok=True)


class RepFrameWriter:
    """Saves one annotated PNG per rep at its bottom position, as frames go by."""

    def __init__(self, report: FormReport, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.wanted = {i: r.bottom_s for i, r in enumerate(report.reps, start=1)}
        self.written: list[Path] = []

    @property
    def done(self) -> bool:
        return not self.wanted

    def offer(self, time_s: float, drawn: npt.NDArray[np.uint8]) -> None:
        """The frame at ``time_s``, drawn, as I420 ``(h * 3 / 2, w)``."""
        import cv2

        for rep, bottom in list(self.wanted.items()):
            if time_s >= bottom - 1e-6:
                path = self.directory / f"rep-{rep:02d}-bottom.png"
                cv2.imwrite(str(path), cv2.cvtColor(drawn, cv2.COLOR_YUV2BGR_I420))
                self.written.append(path)
                del self.wanted[rep]


def render_stick_figure(seq: PoseSequence, report: FormReport, path: Path, shade: int = 32) -> Path:
    """An H.264 mp4 of the pose track alone: the skeleton, angles, rep counter and cues
    of :class:`Annotator` on a plain dark background, every frame of the track at its
    own frame rate (for a clip analysed from a recorded track, which has no video to
    draw on)."""
    annotator = Annotator(seq, report)
    blank = np.full((seq.height_px, seq.width_px, 3), shade, np.uint8)
    writer = H264Writer(path, seq.fps, seq.width_px, seq.height_px)
    try:
        for index, time_s in enumerate(seq.times_s):
            writer.write(annotator.draw(blank.copy(), index, float(time_s)))
    except BaseException:
        writer.abort()
        raise
    writer.close()
    return path
