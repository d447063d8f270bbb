"""Annotated video (browser-playable H.264 via PyAV) and one PNG per rep bottom."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from hingecoach.form.analysis import FormReport
from hingecoach.form.geometry import angle_deg
from hingecoach.form.kinematics import side_points
from hingecoach.form.pose import PoseSequence

__all__ = ["Annotator", "H264Writer", "RepFrameWriter", "render_stick_figure"]

_BONES = [
    ("ear", "shoulder"), ("shoulder", "hip"), ("hip", "knee"), ("knee", "ankle"),
    ("ankle", "heel"), ("heel", "toe"), ("ankle", "toe"), ("shoulder", "wrist"),
]  # fmt: skip
_MAX_HEIGHT = 720
#: x264's speed/size trade and quality of the annotated video. Measured at the analysis
#: size (540x960, 30 fps; ``python bench/form_bench.py encode CLIP``): superfast at crf 26
#: looks as good as veryfast at crf 23 (PSNR within 0.2 dB), encodes a quarter faster
#: (4.4 against 5.8 ms a frame, about 4 % of the analysis) and makes 4-5 MB a minute
#: of real 1080p footage (veryfast 4.3); ultrafast is faster again (2.9 ms) but needs
#: twice the bytes for that quality (8.4 MB a minute at crf 28) and has no deblocking.
X264_PRESET = "superfast"
X264_CRF = 26
#: Frame times of the written video, in ticks of this (MPEG's 90 kHz clock).
_TIME_BASE = Fraction(1, 90000)


class Annotator:
    """Draws the skeleton, the hip and knee angles, a rep counter and the cue of a fault
    while it happens, onto frames of the analysed clip."""

    def __init__(self, seq: PoseSequence, report: FormReport) -> None:
        self.seq = seq
        self.report = report
        self.pts = side_points("left" if report.view.side == "left" else "right")
        self.rep_ends = [r.end_s for r in report.reps]
        self.cues = [
            (r.start_s, r.end_s + 1.0, r.faults[0].cue or r.faults[0].id)
            for r in report.reps
            if r.faults
        ]

    def draw(self, rgb: npt.NDArray[np.uint8], index: int, time_s: float) -> npt.NDArray[np.uint8]:
        import cv2

        img = np.ascontiguousarray(rgb)
        h, w = img.shape[:2]
        scale = max(h, w) / 720.0
        thick = max(1, round(2 * scale))
        if index < len(self.seq):
            xy = self.seq.xy[index]
            p = {k: xy[v] for k, v in self.pts.items()}
            for a, b in _BONES:
                if np.all(np.isfinite(p[a])) and np.all(np.isfinite(p[b])):
                    cv2.line(img, _pt(p[a]), _pt(p[b]), (0, 255, 120), thick, cv2.LINE_AA)
            for v in p.values():
                if np.all(np.isfinite(v)):
                    cv2.circle(img, _pt(v), thick + 2, (255, 255, 255), -1, cv2.LINE_AA)
            hip = float(angle_deg(p["shoulder"], p["hip"], p["knee"]))
            knee = float(angle_deg(p["hip"], p["knee"], p["ankle"]))
            for name, value in (("hip", hip), ("knee", knee)):
                if np.isfinite(value) and np.all(np.isfinite(p[name])):
                    x, y = _pt(p[name])
                    _text(img, f"{value:.0f}", (x + 8 * thick, y), 0.6 * scale, thick)
        done = sum(1 for end in self.rep_ends if end <= time_s)
        _text(
            img,
            f"reps {done}/{len(self.rep_ends)}",
            (int(12 * scale), int(36 * scale)),
            0.9 * scale,
            thick + 1,
        )
        for start, end, cue in self.cues:
            if start <= time_s <= end:
                _text(
                    img,
                    cue,
                    (int(12 * scale), h - int(20 * scale)),
                    0.6 * scale,
                    thick,
                    (255, 80, 80),
                )
        return img


def _pt(p: npt.NDArray[np.float64]) -> tuple[int, int]:
    return round(float(p[0])), round(float(p[1]))


def _text(
    img: npt.NDArray[np.uint8],
    text: str,
    org: tuple[int, int],
    scale: float,
    thick: int,
    color: tuple[int, int, int] = (255, 255, 255),
) -> None:
    import cv2

    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), thick + 2, cv2.LINE_AA)
    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, color, thick, cv2.LINE_AA)


class H264Writer:
    """Write RGB frames as an H.264 (yuv420p) mp4 that browsers play; frames whose short
    side is over 720 px are scaled down (faster to encode, plenty for reviewing form).

    ``fps`` is the nominal rate; a frame written with its time is shown at that time (the
    frames of a clip kept at a lower rate, or of a variable-rate phone clip), else frames
    follow each other at ``fps``."""

    def __init__(
        self,
        path: Path,
        fps: float,
        width: int,
        height: int,
        *,
        preset: str = X264_PRESET,
        crf: int = X264_CRF,
    ) -> None:
        import av

        factor = min(1.0, _MAX_HEIGHT / max(1, min(width, height)))
        self.width = max(2, int(width * factor) // 2 * 2)
        self.height = max(2, int(height * factor) // 2 * 2)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._container: Any = av.open(str(path), mode="w")
        self.rate = Fraction(fps).limit_denominator(1001) if fps > 0 else Fraction(30)
        self._stream: Any = self._container.add_stream("libx264", rate=self.rate)
        self._stream.width = self.width
        self._stream.height = self.height
        self._stream.pix_fmt = "yuv420p"
        self._stream.codec_context.time_base = _TIME_BASE
        self._stream.options = {"preset": preset, "crf": str(crf), "movflags": "+faststart"}
        self._count = 0
        self._last_pts = -1

    def write(self, rgb: npt.NDArray[np.uint8], time_s: float | None = None) -> None:
        import av
        import cv2

        image: npt.NDArray[np.uint8] = rgb
        if rgb.shape[1] != self.width or rgb.shape[0] != self.height:
            image = np.asarray(
                cv2.resize(rgb, (self.width, self.height), interpolation=cv2.INTER_AREA),
                dtype=np.uint8,
            )
        # OpenCV's conversion to the encoder's YUV 4:2:0: faster than the encoder's own
        yuv = np.asarray(
            cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2YUV_I420), dtype=np.uint8
        )
        frame = av.VideoFrame.from_ndarray(yuv, format="yuv420p")
        if time_s is None:
            time_s = float(self._count / self.rate)
        # strictly increasing (the encoder refuses a repeat)
        pts = max(round(time_s / _TIME_BASE), self._last_pts + 1)
        frame.pts, frame.time_base = pts, _TIME_BASE
        self._last_pts = pts
        self._count += 1
        for packet in self._stream.encode(frame):
            self._container.mux(packet)

    def close(self) -> None:
        for packet in self._stream.encode():
            self._container.mux(packet)
        self._container.close()


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
        import cv2

        for rep, bottom in list(self.wanted.items()):
            if time_s >= bottom - 1e-6:
                path = self.directory / f"rep-{rep:02d}-bottom.png"
                cv2.imwrite(str(path), cv2.cvtColor(drawn, cv2.COLOR_RGB2BGR))
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
    finally:
        writer.close()
    return path
