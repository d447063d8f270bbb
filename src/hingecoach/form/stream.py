"""Streaming form analysis: one pose frame at a time, events as they happen (R-FORM-1..5).

:class:`StreamingAnalyser` is what live coaching runs: it is fed frames as the camera gives
them and answers with events: the view is not usable (and what to change), a rep finished
(with the same per-rep metrics, faults and cues as the clip analysis), a fault with its cue,
the set ended.

It is the clip analysis run incrementally, not a second implementation. The frames go into a
fixed-size buffer (constant memory); a cheap per-frame tracker of the shoulder height notices
when the lifter comes back to the top after a bottom, and only then (and every few seconds as
a safety net) :func:`~hingecoach.form.analysis.analyze_pose` runs over the last
``window_s`` seconds. Reps it finds whose bottom comes after the last one reported are new
reps; they are reported once and never taken back (what was counted stays counted). When the
set ends, the whole buffer is analysed once more: that report *is* the clip analysis of the
set, and any rep it holds that was not reported yet is reported then, also one between two
reported reps (a shallow rep counted only against the depth of the whole set).

Where live cannot say what the clip analysis of the whole set will (it cannot know the rest
of the set), it says what the set so far shows:

- the zones a rep must reach are relative to the depth range of the stretch analysed, so a
  shallow rep may count only once deeper reps later in the set widen that range: it is
  reported when the set ends;
- a pose guessed in several moments of the set (``body-occluded``, ``pose-unreliable``:
  episodes and shares over the stretch, which the view check's two seconds cannot hold) is
  told as soon as a window analysis refuses for it; reps counted before stay counted;
- after the view turns usable, analyses start there (a set filmed after setting up the
  phone front on); the clip analysis instead weighs the side view against the whole clip.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, Field

from hingecoach.form.analysis import (
    ClipFault,
    FormRating,
    FormReport,
    RepResult,
    analyze_pose,
    clip_faults,
    fault_info,
)
from hingecoach.form.errors import ViewRefusedError
from hingecoach.form.faults import TempoTarget
from hingecoach.form.pose import LM, N_LANDMARKS, FloatArray, PoseSequence
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds
from hingecoach.form.view import check_view

if TYPE_CHECKING:
    from hingecoach.knowledge import Catalogue

__all__ = [
    "EndEvent",
    "FaultCue",
    "FaultEvent",
    "LiveEvent",
    "RepEvent",
    "SetFault",
    "StreamSettings",
    "StreamingAnalyser",
    "ViewEvent",
]

EndReason = Literal["client", "disconnect", "idle"]


class FaultCue(BaseModel):
    id: str
    cue: str


class ViewEvent(BaseModel):
    """The view became unusable (``ok`` false: ``message`` says what to change), or usable
    again after that (R-FORM-5)."""

    type: Literal["view"] = "view"
    t_s: float
    ok: bool
    code: str
    message: str


class RepEvent(BaseModel):
    """A rep finished (R-FORM-1), with its tempo (R-FORM-3) and faults (R-FORM-4)."""

    type: Literal["rep"] = "rep"
    t_s: float
    n: int
    bottom_s: float
    descent_s: float | None
    ascent_s: float
    tempo_ok: bool | None
    faults: list[FaultCue]
    cue: str  # the one thing to say: the most important fault's cue, or that it was good
    detail: RepResult


class FaultEvent(BaseModel):
    """A fault seen on a rep, with the cue to say (R-FORM-4)."""

    type: Literal["fault"] = "fault"
    t_s: float
    id: str
    name: str
    cue: str
    rep: int


class SetFault(BaseModel):
    id: str
    name: str
    cue: str
    reps: list[int]


class EndEvent(BaseModel):
    """The set ended: the reps counted, the rating the coach logs (R-TRACK-1), the faults
    kept for the set (R-FORM-4) and the clip-analysis report of the whole set."""

    type: Literal["end"] = "end"
    t_s: float
    reps: int
    rating: FormRating | None
    faults: list[SetFault]
    reason: EndReason
    report: FormReport | None


LiveEvent = Annotated[ViewEvent | RepEvent | FaultEvent | EndEvent, Field(discriminator="type")]


@dataclass(frozen=True)
class StreamSettings:
    """How the stream is analysed (not coaching numbers: those are in the thresholds)."""

    window_s: float = 20.0
    """Each analysis looks at the last this many seconds (bounds the cost of one analysis)."""
    max_frames: int = 3600
    """The buffer holds this many frames (2 min at 30 fps); older frames are let go."""
    view_every_s: float = 1.0
    view_window_s: float = 2.0
    """The view is checked every ``view_every_s`` over the last ``view_window_s``."""
    settle_s: float = 0.35
    """After the lifter reaches the top, wait this long before the first analysis (most of
    the lockout is in by then). A rep is reported once its lockout window
    (``FormThresholds.lockout_window_s``, where the lockout faults are read) has been seen,
    so its verdict comes within half a second of the lockout."""
    lockout_slack_s: float = 0.05
    """... less this: the lockout's end is known to a frame or two, and waiting for the last
    frame would make the verdict late."""
    retry_every_s: float = 0.05
    retry_for_s: float = 1.2
    """Then analyse again this often, for this long, until the rep is counted."""
    safety_every_s: float = 4.0
    """Analyse at least this often while frames flow (catches a rep the tracker missed)."""
    same_rep_s: float = 0.3
    """A rep whose bottom is within this of one already reported is the same rep."""


_TRACKED = [LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP]
_SET_CODES = frozenset({"body-occluded", "pose-unreliable"})
"""R-FORM-5 refusals judged over the stretch analysed (how many moments, what share of it
the pose was guessed), not over the view check's two seconds: a window analysis finds them."""


class StreamingAnalyser:
    """Analyse one set as it happens.

    Args:
        width_px, height_px: the frame size the landmark pixels refer to.
        exercise: the exercise id, if known (sets the counting convention, as for a clip).
        tempo: a target tempo to flag ``rushed-tempo`` against (R-FORM-3).
        catalogue: for fault names and cues (default: the built-in catalogue).
        thresholds: the form numbers (shared with the clip analysis).
        settings: buffer and scheduling (see :class:`StreamSettings`).
        source: a name for messages.
    """

    def __init__(
        self,
        *,
        width_px: int,
        height_px: int,
        exercise: str | None = None,
        tempo: TempoTarget | None = None,
        catalogue: Catalogue | None = None,
        thresholds: FormThresholds = DEFAULT_THRESHOLDS,
        settings: StreamSettings = StreamSettings(),
        source: str = "live",
    ) -> None:
        if width_px <= 0 or height_px <= 0:
            raise ValueError(f"frame size: expected positive pixels, got {width_px}x{height_px}")
        if catalogue is None:
            from hingecoach.knowledge import load_catalogue

            catalogue = load_catalogue([])
        self.width_px, self.height_px = int(width_px), int(height_px)
        self.exercise, self.tempo, self.source = exercise, tempo, source
        self._catalogue = catalogue
        self._th = thresholds
        self._cfg = settings
        cap = settings.max_frames
        self._lm = np.full((cap, N_LANDMARKS, 4), np.nan, dtype=np.float32)
        self._t = np.zeros(cap, dtype=np.float64)
        self._people = np.zeros(cap, dtype=np.int16)
        self._bp: npt.NDArray[np.float32] | None = None
        self._n = 0
        self.frames_seen = 0
        self.analyses = 0
        """How many window analyses ran (the cost of the stream, for benchmarks)."""
        self.ended = False
        self.reps: list[RepResult] = []
        self.report: FormReport | None = None
        self._last_bottom = -np.inf
        # the shoulder-height tracker (pixels, y down)
        self._sh_y = np.full(cap, np.nan, dtype=np.float32)
        self._torso = float("nan")
        self._lo, self._hi, self._range_due = math.inf, -math.inf, -math.inf
        self._low = True  # unknown start counts as low: a floor start's first pull is a rep
        self._next_analysis = np.inf
        self._retry_until = -np.inf
        self._last_analysis = -np.inf
        # the view
        self._next_view = -np.inf
        self._view_bad: str | None = None
        self._usable_from = -math.inf
        """After a refused view turns usable, analyses start there (a camera moved from the
        front to the side must not wait until the side view fills the whole window)."""
        self._view_streak: tuple[str | None, int] = (None, 0)

    # -- feeding ---------------------------------------------------------------------------

    def push(
        self,
        t_s: float,
        landmarks: npt.ArrayLike | None,
        *,
        people: int = 1,
        back_profile: npt.ArrayLike | None = None,
    ) -> list[LiveEvent]:
        """Add one frame; return the events it caused (often none).

        Args:
            t_s: the frame's time in seconds, after the previous frame's.
            landmarks: ``(33, 4)`` x_px, y_px, z, visibility (NaN x/y and visibility 0 for an
                unseen point), or None when no person was found.
            people: how many people the pose model found in the frame.
            back_profile: optional back-outline profile for the frame (see
                :class:`~hingecoach.form.pose.PoseSequence`).

        Raises:
            ValueError: a wrong shape, a non-finite or backwards time, or the set has ended.
        """
        if self.ended:
            raise ValueError("the set has ended; start a new one")
        t = float(t_s)
        if not np.isfinite(t):
            raise ValueError(f"time: expected a finite number of seconds, got {t_s!r}")
        if self._n and t <= self._t[self._n - 1]:
            raise ValueError(
                f"time: expected a time after {self._t[self._n - 1]:.3f} s, got {t:.3f} s "
                "(frames must come in order)"
            )
        row = self._row(landmarks)
        if self._n == self._lm.shape[0]:
            self._let_go()
        i = self._n
        self._lm[i] = row
        self._t[i] = t
        self._people[i] = max(0, int(people)) if landmarks is not None else 0
        self._store_back_profile(i, back_profile)
        self._n += 1
        self.frames_seen += 1
        events: list[LiveEvent] = []
        self._track(i, t)
        if t >= self._next_view:
            events.extend(self._check_view(t))
        if t >= self._next_analysis or t - self._last_analysis >= self._cfg.safety_every_s:
            events.extend(self._analyse_window(t))
        return events

    def finish(self, reason: EndReason = "client") -> list[LiveEvent]:
        """End the set: report any rep not reported yet, then the :class:`EndEvent`."""
        if self.ended:
            raise ValueError("the set has already ended")
        self.ended = True
        t = float(self._t[self._n - 1]) if self._n else 0.0
        events: list[LiveEvent] = []
        report: FormReport | None = None
        if self._n >= 3:
            try:
                report = analyze_pose(
                    self._sequence(0, self._n),
                    exercise=self.exercise,
                    tempo=self.tempo,
                    catalogue=self._catalogue,
                    thresholds=self._th,
                )
            except ViewRefusedError as err:
                if self._view_bad != err.code:  # why the set's report is refused
                    events.append(ViewEvent(t_s=t, ok=False, code=err.code, message=str(err)))
        if report is not None:
            events.extend(self._new_reps([r for r in report.reps if self._unreported(r)], t))
        self.report = report
        events.append(self._end_event(t, reason, report))
        return events

    # -- internals -------------------------------------------------------------------------

    def _row(self, landmarks: npt.ArrayLike | None) -> FloatArray:
        row = np.full((N_LANDMARKS, 4), np.nan)
        if landmarks is None:
            row[:, 2:] = 0.0
            return row
        arr = np.asarray(landmarks, dtype=np.float64)
        if arr.shape != (N_LANDMARKS, 4):
            raise ValueError(f"landmarks: expected shape (33, 4), got {arr.shape}")
        if not np.all(np.isfinite(arr[:, 2:])) or np.any(arr[:, 3] < 0) or np.any(arr[:, 3] > 1):
            raise ValueError("landmarks: z must be finite and visibility between 0 and 1")
        limit = 10.0 * max(self.width_px, self.height_px)
        if np.any(np.abs(arr[:, :2][np.isfinite(arr[:, :2])]) > limit):
            raise ValueError(f"landmarks: x and y must lie within {limit:.0f} px of the frame")
        return arr

    def _store_back_profile(self, i: int, back_profile: npt.ArrayLike | None) -> None:
        if back_profile is None:
            if self._bp is not None:
                self._bp[i] = np.nan
            return
        bp = np.asarray(back_profile, dtype=np.float32).reshape(-1)
        if self._bp is None:
            self._bp = np.full((self._lm.shape[0], bp.size), np.nan, dtype=np.float32)
        if bp.size != self._bp.shape[1]:
            raise ValueError(f"back_profile: expected {self._bp.shape[1]} values, got {bp.size}")
        self._bp[i] = bp

    def _let_go(self) -> None:
        """The buffer is full: let the oldest quarter go (constant memory)."""
        drop = self._lm.shape[0] // 4
        keep = self._n - drop
        for arr in (self._lm, self._t, self._people, self._sh_y, self._bp):
            if arr is not None:
                arr[:keep] = arr[drop : self._n]
        self._n = keep

    def _sequence(self, start: int, stop: int) -> PoseSequence:
        return PoseSequence(
            landmarks=self._lm[start:stop].astype(np.float64),
            times_s=self._t[start:stop],
            width_px=self.width_px,
            height_px=self.height_px,
            back_profile=None if self._bp is None else self._bp[start:stop].astype(np.float64),
            people=self._people[start:stop].astype(np.int64),
            source=self.source,
        )

    def _since(self, t_from: float) -> int:
        return int(np.searchsorted(self._t[: self._n], t_from, side="left"))

    def _track(self, i: int, t: float) -> None:
        """Cheap per frame: has the lifter come back to the top after a bottom?"""
        pts = self._lm[i, _TRACKED].tolist()  # plain floats: numpy is slow on 4 points
        sh = [(p[0], p[1]) for p in pts[:2] if p[3] > 0.3 and math.isfinite(p[1])]
        hp = [(p[0], p[1]) for p in pts[2:] if p[3] > 0.3 and math.isfinite(p[1])]
        if not sh:
            return
        sx, y = sum(p[0] for p in sh) / len(sh), sum(p[1] for p in sh) / len(sh)
        self._sh_y[i] = y
        if hp:
            hx, hy = sum(p[0] for p in hp) / len(hp), sum(p[1] for p in hp) / len(hp)
            torso = math.hypot(sx - hx, y - hy)
            old = self._torso
            self._torso = torso if not math.isfinite(old) else 0.9 * old + 0.1 * torso
        if not math.isfinite(self._torso) or self._torso <= 0:
            return
        lo, hi = self._range(t)
        rng = hi - lo
        if not rng >= 0.5 * self._th.min_rep_range * self._torso:
            return
        level = (y - lo) / rng
        if level >= self._th.bottom_level - 0.05:
            self._low = True
        elif level <= self._th.top_level + 0.05 and self._low:
            self._low = False
            self._next_analysis = t + self._cfg.settle_s
            self._retry_until = t + self._cfg.settle_s + self._cfg.retry_for_s

    def _range(self, t: float) -> tuple[float, float]:
        """Lowest and highest shoulder height over the window (recomputed twice a second)."""
        if t >= self._range_due:
            recent = self._sh_y[self._since(t - self._cfg.window_s) : self._n]
            recent = recent[np.isfinite(recent)]
            if recent.size:
                self._lo, self._hi = float(recent.min()), float(recent.max())
            self._range_due = t + 0.5
        else:
            y = float(self._sh_y[self._n - 1])
            if math.isfinite(y):
                self._lo, self._hi = min(self._lo, y), max(self._hi, y)
        return self._lo, self._hi

    def _analyse_window(self, t: float) -> list[LiveEvent]:
        self._last_analysis = t
        self.analyses += 1
        self._next_analysis = t + self._cfg.retry_every_s if t < self._retry_until else np.inf
        start = self._since(max(t - self._cfg.window_s, self._usable_from))
        if self._n - start < 3:
            return []
        try:
            report = analyze_pose(
                self._sequence(start, self._n),
                exercise=self.exercise,
                tempo=self.tempo,
                catalogue=self._catalogue,
                thresholds=self._th,
            )
        except ViewRefusedError as err:
            return self._set_refused(t, err)
        events = self._set_usable(t)
        seen = self._th.lockout_window_s - self._cfg.lockout_slack_s
        settled = [r for r in report.reps if r.end_s <= t - seen]
        waiting = [
            r
            for r in report.reps
            if r.end_s > t - seen and r.bottom_s > self._last_bottom + self._cfg.same_rep_s
        ]
        events += self._new_reps(
            [r for r in settled if r.bottom_s > self._last_bottom + self._cfg.same_rep_s], t
        )
        if waiting:  # a rep is in, its lockout not yet: look again when it will be
            due = waiting[0].end_s + seen
            self._next_analysis = max(t + self._cfg.retry_every_s, due)
            self._retry_until = max(self._retry_until, due + self._cfg.retry_for_s)
        elif any(e.type == "rep" for e in events):
            self._next_analysis = np.inf
            self._retry_until = -np.inf
        return events

    def _set_refused(self, t: float, err: ViewRefusedError) -> list[LiveEvent]:
        """A window analysis refused: say so if the view check cannot (R-FORM-5); the
        other refusals are the view check's to say, at its own pace."""
        if err.code not in _SET_CODES or err.code == self._view_bad:
            return []
        self._view_bad = err.code
        return [ViewEvent(t_s=t, ok=False, code=err.code, message=str(err))]

    def _set_usable(self, t: float) -> list[LiveEvent]:
        """A window analysis accepted: a refusal only an analysis finds is over."""
        if self._view_bad not in _SET_CODES:
            return []
        self._view_bad = None
        return [ViewEvent(t_s=t, ok=True, code="ok", message="The view is good now: carry on.")]

    def _unreported(self, rep: RepResult) -> bool:
        """No rep reported has its bottom within this rep, or near its bottom."""
        return not any(
            rep.start_s <= r.bottom_s <= rep.end_s
            or abs(r.bottom_s - rep.bottom_s) <= self._cfg.same_rep_s
            for r in self.reps
        )

    def _new_reps(self, found: list[RepResult], t: float) -> list[LiveEvent]:
        """Report ``found`` (in time order): each is counted as the next rep."""
        events: list[LiveEvent] = []
        for rep in found:
            n = len(self.reps) + 1
            rep = rep.model_copy(update={"index": n})
            self.reps.append(rep)
            self._last_bottom = max(self._last_bottom, rep.bottom_s)
            events.append(
                RepEvent(
                    t_s=t,
                    n=n,
                    bottom_s=rep.bottom_s,
                    descent_s=rep.descent_s,
                    ascent_s=rep.ascent_s,
                    tempo_ok=rep.tempo_ok,
                    faults=[FaultCue(id=f.id, cue=f.cue) for f in rep.faults],
                    cue=rep.cue,
                    detail=rep,
                )
            )
            for f in rep.faults:
                name = fault_info(self._catalogue, f.id, self.tempo)[0]
                events.append(FaultEvent(t_s=t, id=f.id, name=name, cue=f.cue, rep=n))
        return events

    def _check_view(self, t: float) -> list[LiveEvent]:
        """R-FORM-5 as it happens: two checks in a row must agree before the state changes."""
        self._next_view = t + self._cfg.view_every_s
        start = self._since(t - self._cfg.view_window_s)
        if self._n - start < 3:
            return []
        try:
            check_view(self._sequence(start, self._n), self._th)
            code: str | None = None
            message = ""
        except ViewRefusedError as err:
            code, message = err.code, str(err)
        prev, count = self._view_streak
        count = count + 1 if prev == code else 1
        self._view_streak = (code, count)
        if count < 2 or code == self._view_bad:
            return []
        if code is None and self._view_bad in _SET_CODES:
            return []  # two seconds of plausible pose do not clear what the set showed
        was_bad = self._view_bad
        self._view_bad = code
        if code is None:
            if was_bad is None:
                return []
            self._usable_from = t - self._cfg.view_window_s - self._cfg.view_every_s
            self._next_analysis = min(self._next_analysis, t)
            return [ViewEvent(t_s=t, ok=True, code="ok", message="The view is good now: carry on.")]
        return [ViewEvent(t_s=t, ok=False, code=code, message=message)]

    def _end_event(self, t: float, reason: EndReason, report: FormReport | None) -> EndEvent:
        if report is not None:
            faults = _set_faults(report.faults)
            rating: FormRating | None = report.rating
        else:  # the last view was refused: keep what was counted before it (R-FORM-4)
            kept = clip_faults([r.faults for r in self.reps], self._catalogue, self._th, self.tempo)
            faults = _set_faults(kept)
            rating = None if not self.reps else "minor" if faults else "clean"
        return EndEvent(
            t_s=t, reps=len(self.reps), rating=rating, faults=faults, reason=reason, report=report
        )


def _set_faults(kept: list[ClipFault]) -> list[SetFault]:
    return [SetFault(id=f.id, name=f.name, cue=f.cue, reps=f.reps) for f in kept]
