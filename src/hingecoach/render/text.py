"""Plain-text lines for a plan's sessions, shared by the calendar and the terminal."""

from __future__ import annotations

from hingecoach.plan import PlannedExercise, PlanSession, PlanWeek, SessionBlock

__all__ = ["block_lines", "exercise_line", "session_text"]


def exercise_line(ex: PlannedExercise) -> str:
    """``Kettlebell deadlift: 3 x 8-12 (aim for 10), one 16 kg kettlebell, tempo ..., rest
    2:00-3:00, RPE 8 at most``."""
    return (
        f"{ex.name}: {ex.dose_label()}, {ex.load_label}, tempo {ex.tempo}, "
        f"rest {ex.rest_label()}, aim for RPE {ex.rpe_target:g} (at most {ex.rpe_max:g})"
    )


def block_lines(block: SessionBlock) -> list[str]:
    title = block.purpose.value.capitalize()
    if block.superset:
        assert block.rest_s is not None
        first, second = block.exercises
        return [
            f"{title} (superset, rest {block.rest_s // 60}:{block.rest_s % 60:02d} after "
            "each round):",
            f"  1. {exercise_line(first)}",
            f"  2. {exercise_line(second)}",
        ]
    return [f"{title}: {exercise_line(block.exercises[0])}"]


def session_text(week: PlanWeek, session: PlanSession) -> str:
    """What a calendar event's description holds: the week's reason, the blocks, notes."""
    lines = [
        f"Week {week.number} ({week.kind.value}): {week.reason.text} "
        f"[{', '.join(week.reason.rules)}]",
        "",
    ]
    if session.status.value != "planned":
        lines.append(f"Status: {session.status.value}")
    for note in session.notes:
        lines.append(f"{note.text} [{', '.join(note.rules)}]")
    for block in session.blocks:
        lines.extend(block_lines(block))
    notes = [n for ex in session.exercises() for n in ex.notes]
    if notes:
        lines.append("")
        lines.extend(f"- {n}" for n in dict.fromkeys(notes))
    if session.logged:
        lines.append("")
        lines.append("Logged: " + "; ".join(session.logged))
    return "\n".join(lines).strip()
