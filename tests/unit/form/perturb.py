"""A recorded pose track changed the way an unseen clip may differ from the labelled ones:
another frame rate, the lifter facing the other way, another picture size, frames dropped
as a phone drops them, the pose lost for a moment, a tilted or a hand-held phone. Used by
the robustness tests and by ``scripts/form_sweep.py``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from hingecoach.form.pose import BLAZEPOSE_NAMES, FloatArray, PoseSequence

__all__ = [
    "Perturbation",
    "dropped",
    "hand_moves",
    "hand_walk",
    "handheld_video",
    "low_light",
    "mirrored",
    "pose_lost",
    "pose_lost_at_random",
    "resampled",
    "scaled",
    "shaken",
    "tilted",
    "without",
    "wobbled",
]

Perturbation = Callable[[PoseSequence], PoseSequence]


def _mirror_index() -> list[int]:
    """Each BlazePose-33 point's index in the mirror image (left and right swapped)."""
    out = []
    for i, name in enumerate(BLAZEPOSE_NAMES):
        side, _, rest = name.partition("_")
        other = {"left": "right", "right": "left"}.get(side)
        out.append(BLAZEPOSE_NAMES.index(f"{other}_{rest}") if other else i)
    return out


def _interp(new_t: FloatArray, t: FloatArray, values: FloatArray) -> FloatArray:
    """Linear interpolation in time of ``(frames, ...)`` values (NaN next to a NaN)."""
    flat = values.reshape(values.shape[0], -1)
    j = np.clip(np.searchsorted(t, new_t, side="right") - 1, 0, t.size - 2)
    w = np.clip((new_t - t[j]) / (t[j + 1] - t[j]), 0.0, 1.0)[:, None]
    out = np.where(
        w == 0, flat[j], np.where(w == 1, flat[j + 1], flat[j] * (1 - w) + flat[j + 1] * w)
    )
    return np.asarray(out.reshape((new_t.size, *values.shape[1:])), dtype=np.float64)


def resampled(seq: PoseSequence, fps: float) -> PoseSequence:
    """The track at another frame rate (landmarks interpolated in time)."""
    t = seq.times_s
    new_t = np.arange(t[0], t[-1] + 1e-9, 1.0 / fps)
    lm = _interp(new_t, t, seq.landmarks)
    missing = ~np.isfinite(lm[..., :2]).all(axis=-1)
    lm[missing, :2] = np.nan
    lm[missing, 3] = 0.0
    profile = None if seq.back_profile is None else _interp(new_t, t, seq.back_profile)
    return replace(seq, landmarks=lm, times_s=new_t, back_profile=profile)


def mirrored(seq: PoseSequence) -> PoseSequence:
    """The lifter facing the other way."""
    lm = seq.landmarks[:, _mirror_index()].copy()
    lm[..., 0] = seq.width_px - lm[..., 0]
    return replace(seq, landmarks=lm)


def scaled(seq: PoseSequence, factor: float) -> PoseSequence:
    """The same clip at another picture size."""
    lm = seq.landmarks.copy()
    lm[..., :3] *= factor
    return replace(
        seq,
        landmarks=lm,
        width_px=round(seq.width_px * factor),
        height_px=round(seq.height_px * factor),
    )


def tilted(deg: float) -> Perturbation:
    """The phone rolled ``deg`` degrees (positive: the picture turned clockwise), as a phone
    propped on a bench or a bottle is: every point turned about the picture's centre (the
    picture's edges stay where they were)."""

    def tilt(seq: PoseSequence) -> PoseSequence:
        lm = seq.landmarks.copy()
        cx, cy = seq.width_px / 2, seq.height_px / 2
        c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
        x, y = lm[..., 0] - cx, lm[..., 1] - cy
        lm[..., 0], lm[..., 1] = cx + c * x - s * y, cy + s * x + c * y
        return replace(seq, landmarks=lm)

    return tilt


def hand_walk(frames: int, share: float, height_px: int, seed: int) -> FloatArray:
    """``(frames, 2)`` pixels a hand-held phone moves the picture by: a smoothed random walk
    whose frame-to-frame spread is ``share`` of the picture's height, centred on none."""
    steps = np.random.default_rng(seed).normal(size=(frames, 2))
    kernel = np.ones(5) / 5  # a hand moves the phone over a few frames, not one
    walk = np.stack(
        [np.convolve(np.cumsum(steps[:, k]), kernel, mode="same") for k in (0, 1)], axis=1
    )
    walk -= walk.mean(axis=0)
    scale = share * height_px / max(float(np.std(np.diff(walk, axis=0))), 1e-9)
    return np.asarray(walk * scale, dtype=np.float64)


#: The share of the frame's width and height :func:`handheld_video`'s window keeps.
HAND_KEEP = 0.88


def handheld_video(
    clip: Path,
    out: Path,
    seed: int,
    share: float = 0.004,
    zoom: float = 0.0,
    turn_deg: float = 0.0,
) -> None:
    """``clip`` (at the analysis size) as a hand-held phone would have filmed it, written to
    ``out``: seen through a window :data:`HAND_KEEP` of its frame that wanders as
    :func:`hand_walk` (held inside the frame), so the room, the person and everything else
    move alike in the picture (as a phone turning in the hand moves them). With ``zoom`` or
    ``turn_deg``, the window also zooms and turns about its centre (:func:`hand_moves`; the
    edges it then reaches past are mirrored in)."""
    import cv2

    from hingecoach.capture.annotate import H264Writer
    from hingecoach.capture.video import ANALYSIS_MAX_SIDE_PX, iter_frames, probe

    frames = [(f.time_s, f.rgb) for f in iter_frames(clip, max_side=ANALYSIS_MAX_SIDE_PX)]
    h, w = frames[0][1].shape[:2]
    ch, cw = int(h * HAND_KEEP) // 2 * 2, int(w * HAND_KEEP) // 2 * 2
    room = np.array([(w - cw) / 2, (h - ch) / 2])
    walk = np.clip(hand_walk(len(frames), share, ch, seed), -room, room)
    turns = hand_moves(len(frames), ch, cw, seed, zoom, turn_deg)[:, :2]
    writer = H264Writer(out, probe(clip).fps, cw, ch)
    for (time_s, rgb), (dx, dy), (a, b) in zip(frames, walk, turns, strict=True):
        if not zoom and not turn_deg:
            x0, y0 = round(float(room[0] + dx)), round(float(room[1] + dy))
            writer.write(np.ascontiguousarray(rgb[y0 : y0 + ch, x0 : x0 + cw]), time_s)
            continue
        # q = c (p - the window's centre) + the output's centre
        c, centre = complex(a, b), complex(w / 2 + dx, h / 2 + dy)
        t = complex(cw / 2, ch / 2) - c * centre
        move = np.array([[a, -b, t.real], [b, a, t.imag]])
        held = cv2.warpAffine(rgb, move, (cw, ch), borderMode=cv2.BORDER_REFLECT)
        writer.write(np.ascontiguousarray(held, dtype=np.uint8), time_s)
    writer.close()


def hand_moves(
    frames: int, height_px: int, width_px: int, seed: int, zoom: float, turn_deg: float
) -> FloatArray:
    """``(frames, 4)`` room moves (see :class:`~hingecoach.form.camera.CameraPath`) of a
    hand-held phone that also zooms and turns: :func:`hand_walk`'s drift (0.4 % of the
    height a frame), and a zoom and a turn about the picture's centre that wander as
    smoothly, spread ``zoom`` (a share) and ``turn_deg``."""
    from hingecoach.form.camera import as_moves

    shift = hand_walk(frames, 0.004, height_px, seed)
    wander = hand_walk(frames, 1.0, 1, seed + 1000)
    wander /= np.maximum(np.std(wander, axis=0), 1e-9)
    turn = np.exp(1j * np.radians(turn_deg * wander[:, 1]))
    c = np.asarray((1 + zoom * wander[:, 0]) * turn, dtype=np.complex128)
    centre = complex(width_px / 2, height_px / 2)
    return as_moves(c, centre - c * centre + shift[:, 0] + 1j * shift[:, 1])


def wobbled(seed: int, zoom: float = 0.03, turn_deg: float = 2.0) -> Perturbation:
    """A hand-held phone that drifts, zooms and turns (:func:`hand_moves`)."""

    def wobble(seq: PoseSequence) -> PoseSequence:
        from hingecoach.form.camera import room_moves

        moves = hand_moves(len(seq), seq.height_px, seq.width_px, seed, zoom, turn_deg)
        c, t = room_moves(moves)
        lm = seq.landmarks.copy()
        z = c[:, None] * (lm[..., 0] + 1j * lm[..., 1]) + t[:, None]
        lm[..., 0], lm[..., 1] = z.real, z.imag
        return replace(seq, landmarks=lm)

    return wobble


def shaken(share: float, seed: int) -> Perturbation:
    """A hand-held phone: the whole picture drifts and shakes (:func:`hand_walk`; every
    point of a frame moved alike)."""

    def shake(seq: PoseSequence) -> PoseSequence:
        lm = seq.landmarks.copy()
        lm[..., :2] += hand_walk(len(seq), share, seq.height_px, seed)[:, None, :]
        return replace(seq, landmarks=lm)

    return shake


def without(seq: PoseSequence, keep: np.ndarray) -> PoseSequence:
    profile = None if seq.back_profile is None else seq.back_profile[keep]
    people = None if seq.people is None else seq.people[keep]
    return replace(
        seq,
        landmarks=seq.landmarks[keep],
        times_s=seq.times_s[keep],
        back_profile=profile,
        people=people,
    )


def dropped(share: float, seed: int) -> Perturbation:
    """Frames dropped at random (a busy phone)."""

    def drop(seq: PoseSequence) -> PoseSequence:
        keep = np.random.default_rng(seed).random(len(seq)) >= share
        keep[0] = keep[-1] = True
        return without(seq, keep)

    return drop


def low_light(seed: int) -> Perturbation:
    """Stretches at half the frame rate (a phone in low light)."""

    def halve(seq: PoseSequence) -> PoseSequence:
        rng = np.random.default_rng(seed)
        keep = np.ones(len(seq), bool)
        i = 0
        while i < len(seq):
            length = int(rng.integers(10, 40))
            if rng.random() < 0.3:
                keep[i : i + length : 2] = False
            i += length
        keep[0] = keep[-1] = True
        return without(seq, keep)

    return halve


def pose_lost(seq: PoseSequence, around_s: list[float], seconds: float) -> PoseSequence:
    """No pose for ``seconds`` centred on each of ``around_s`` (motion blur, a plate
    passing the camera): every point unseen in those frames."""
    lm = seq.landmarks.copy()
    for centre in around_s:
        gone = np.abs(seq.times_s - centre) <= seconds / 2
        lm[gone, :, :2] = np.nan
        lm[gone, :, 3] = 0.0
    return replace(seq, landmarks=lm)


def pose_lost_at_random(seconds: float, every_s: float, seed: int) -> Perturbation:
    """No pose for ``seconds`` at a time, once every ``every_s`` on average, at random."""

    def lose(seq: PoseSequence) -> PoseSequence:
        rng = np.random.default_rng(seed)
        t0, t1 = float(seq.times_s[0]), float(seq.times_s[-1])
        count = rng.poisson(max(t1 - t0, 0.0) / every_s)
        return pose_lost(seq, list(rng.uniform(t0, t1, count)), seconds)

    return lose
