"""Video into the coach: an analysed clip becomes a logged set (R-FORM-4, R-TRACK-1).

The analysis gives the reps, the form rating and the faults; the person adds what a
camera cannot see: the load, the effort and the pain.
"""

from __future__ import annotations

from pathlib import Path

from hingecoach.coach import FormRating, SetLog
from hingecoach.form import FormReport
from hingecoach.knowledge import Catalogue

__all__ = ["set_from_clip", "set_from_report"]


def set_from_report(
    report: FormReport,
    *,
    load_kg: float | None = None,
    rpe: float | None = None,
    pain: int = 0,
) -> SetLog:
    """The set a clip shows: its complete reps, form rating and fault ids (R-FORM-4)."""
    rating = FormRating(report.rating)
    return SetLog(
        reps=len(report.reps),
        load_kg=load_kg,
        rpe=rpe,
        form=rating,
        faults=() if rating is FormRating.CLEAN else tuple(report.fault_ids),
        pain=pain,
    )


def set_from_clip(
    path: Path,
    *,
    exercise_id: str,
    catalogue: Catalogue,
    load_kg: float | None = None,
    rpe: float | None = None,
    pain: int = 0,
) -> tuple[SetLog, FormReport]:
    """Analyse a clip (or a recorded pose track) and turn it into a set to log.

    A clip that cannot be judged (no person, wrong view, cut off) raises the form
    error that says what to re-film; nothing is logged then.
    """
    from hingecoach.capture import analyze_video

    report = analyze_video(path, exercise=exercise_id, catalogue=catalogue).report
    return set_from_report(report, load_kg=load_kg, rpe=rpe, pain=pain), report
