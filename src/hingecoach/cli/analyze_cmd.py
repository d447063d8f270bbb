"""``hingecoach analyze VIDEO``: form from a side-view clip (R-FORM-1..5)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hingecoach.cli.context import exercise_name, get_catalogue
from hingecoach.cli.output import console, err_console, print_json

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from hingecoach.capture import VideoAnalysis
    from hingecoach.form import FormReport, TempoTarget
    from hingecoach.knowledge import Catalogue

#: Show a progress bar for clips at least this long.
PROGRESS_MIN_S = 8.0


def _parse_tempo(text: str | None) -> TempoTarget | None:
    from hingecoach.errors import InputError
    from hingecoach.form import TempoTarget

    if text is None:
        return None
    try:
        down, up = (float(x) for x in text.replace(":", "/").split("/"))
    except ValueError as exc:
        raise InputError(
            f"--tempo must look like DOWN/UP in seconds, e.g. 3/2, not {text!r}"
        ) from exc
    if not (0 < down <= 10 and 0 <= up <= 10):
        raise InputError(f"--tempo seconds out of range: {text!r}")
    return TempoTarget(down_s=down, up_s=up)


def analyze(
    ctx: typer.Context,
    video: Annotated[
        Path, typer.Argument(help="A clip (mp4/mov/avi/webm) or a pose track (.npz/.json/.csv).")
    ],
    exercise: Annotated[
        str | None,
        typer.Option("--exercise", "-e", help="The exercise id or name (sets how reps count)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write an annotated H.264 video here.")
    ] = None,
    frames: Annotated[
        Path | None, typer.Option("--frames", help="Write one PNG per rep bottom into DIR.")
    ] = None,
    tempo: Annotated[
        str | None,
        typer.Option(
            "--tempo", help="Flag reps faster than this target, DOWN/UP seconds (e.g. 3/2)."
        ),
    ] = None,
    processes: Annotated[
        int,
        typer.Option(
            "--processes",
            "-p",
            min=1,
            max=16,
            envvar="HINGECOACH_ANALYZE_PROCESSES",
            help="Pose a long clip in this many parts side by side (one per spare core).",
        ),
    ] = 1,
) -> None:
    """Analyse a side-view clip: view, reps and their tempo, faults with cues, what next.

    Exits 3 with an error code (no-person, several-people, not-side-view, body-cut-off,
    body-occluded, pose-unreliable, unreadable-video) and what to re-film when the clip
    cannot be analysed.
    """
    from hingecoach.form import FormError

    cat = get_catalogue(ctx)
    exercise_id = None
    if exercise is not None:
        from hingecoach.knowledge import find_exercise

        exercise_id = find_exercise(cat, exercise).id
    target = _parse_tempo(tempo)
    try:
        result = _run(
            video, exercise_id, target, cat, out, frames, quiet=as_json, processes=processes
        )
    except FormError as exc:
        if as_json:
            print_json({"error": {"code": exc.code, "message": str(exc)}})
            raise typer.Exit(exc.exit_code) from exc
        raise
    if as_json:
        data = json.loads(result.report.model_dump_json())
        if result.annotated is not None:
            data["annotated_video"] = str(result.annotated)
        if result.frames:
            data["frames"] = [str(p) for p in result.frames]
        print_json(data)
        return
    _print_card(result.report, exercise_name(ctx, result.report.exercise))
    if result.annotated is not None:
        console().print(f"\nAnnotated video: {result.annotated}")
    if result.frames:
        console().print(f"Rep-bottom frames: {', '.join(str(p) for p in result.frames)}")


def _run(
    video: Path,
    exercise_id: str | None,
    tempo: TempoTarget | None,
    cat: Catalogue,
    out: Path | None,
    frames: Path | None,
    *,
    quiet: bool,
    processes: int = 1,
) -> VideoAnalysis:
    from hingecoach.form.errors import MissingVideoError

    if not video.is_file():
        raise MissingVideoError(f"{video}: no such file")
    is_track = video.suffix.lower() in (".npz", ".json", ".csv")
    duration = 0.0
    if not is_track:
        try:
            from hingecoach.capture.video import probe

            duration = probe(video).duration_s
        except ImportError:
            duration = 0.0
    from functools import partial

    from hingecoach.capture import analyze_video
    from hingecoach.capture.native_log import filtered_native_stderr

    call = partial(
        analyze_video, video, exercise=exercise_id, tempo=tempo, catalogue=cat,
        out_video=out, frames_dir=frames, processes=processes,
    )  # fmt: skip
    with filtered_native_stderr() as real_stderr:
        return _analyze(
            call,
            video.name,
            stderr=err_console(real_stderr),
            progress_bar=not (quiet or is_track or duration < PROGRESS_MIN_S),
            duration=duration,
        )


def _analyze(
    call: Callable[..., VideoAnalysis],
    name: str,
    *,
    stderr: Console,
    progress_bar: bool,
    duration: float,
) -> VideoAnalysis:
    """``call()``, the analysis, with a progress bar on ``stderr`` when asked and it is a
    terminal."""
    if not progress_bar or not stderr.is_terminal:
        return call()
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    # on stderr and only on a terminal (TTY_COMPATIBLE=1 forces it): --json and pipes
    # stay clean; the bar goes when the analysis ends
    with Progress(
        TextColumn(f"analysing {name}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f} %"),
        TimeRemainingColumn(),
        TextColumn("left"),
        console=stderr,
        transient=True,
    ) as bar:
        task = bar.add_task("pose", total=duration)

        def progress(done_s: float, total_s: float) -> None:
            bar.update(task, completed=done_s, total=max(total_s, done_s))

        return call(progress=progress)


def _secs(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} s"


def _no_clip_faults(report: FormReport) -> str:
    """What to say when no fault is kept for the set (R-FORM-4): none seen, or seen on one
    rep only, which the table shows but does not count against the set."""
    once = sorted({f.name or f.id for r in report.reps for f in r.faults})
    if not once:
        return "none seen"
    return (
        f"none on 2 or more reps ({', '.join(once).lower()} on one rep only: shown above, "
        "not counted against the set, R-FORM-4)"
    )


def _faults_kept_when(report: FormReport) -> str:
    """The rule the set's faults passed (R-FORM-4), take by take for an edited clip."""
    if len(report.shots) > 1:
        return "sustained, and on 2+ reps of a take when it has 2+: each take on its own, R-FORM-4"
    return "sustained, and on 2+ reps when there are 2+: R-FORM-4"


def _print_card(report: FormReport, exercise: str) -> None:
    from rich.table import Table

    out = console()
    v = report.view
    out.print(
        f"[bold]{report.source}[/]: side view ({v.side} side to the camera, "
        f"{v.angle_deg:.0f} deg off square), {v.start_s:.1f}-{v.end_s:.1f} s"
    )
    if v.note:
        out.print(f"  {v.note}", style="dim")
    pattern = report.pattern or "no movement"
    what = f" for {exercise}" if exercise else ""
    out.print(f"Pattern: [bold]{pattern}[/]{what}")
    partial = f" (+{report.partial_reps} partial, not counted)" if report.partial_reps else ""
    down, up = report.tempo_target["down_s"], report.tempo_target["up_s"]
    out.print(
        f"Reps: [bold]{len(report.reps)}[/]{partial}; tempo target {down:g} s down, {up:g} s up"
    )
    if report.reps:
        table = Table(show_edge=False, pad_edge=False)
        for col in ("rep", "bottom", "down", "up", "hip/knee at bottom", "faults", "cue"):
            table.add_column(col, overflow="fold")
        for r in report.reps:
            table.add_row(
                str(r.index),
                f"{r.bottom_s:.2f} s",
                _secs(r.descent_s),
                _secs(r.ascent_s),
                f"{r.hip_angle_bottom_deg:.0f} / {r.knee_angle_bottom_deg:.0f} deg",
                ", ".join(f.name or f.id for f in r.faults) or "-",
                r.cue,
            )
        out.print(table)
        share = f"{report.quality:.0%}" if report.quality is not None else "-"
        out.print(f"Clean reps: [bold]{report.clean_reps} of {len(report.reps)}[/] ({share})")
    if report.faults:
        out.print(f"[bold]Faults[/] ({_faults_kept_when(report)})")
        for f in report.faults:
            reps = ", ".join(str(i) for i in f.reps)
            out.print(f"  - {f.name} ({f.id}, {f.severity}; reps {reps}; {f.rule})")
            if f.cue:
                out.print(f"    Cue: {f.cue}")
    else:
        out.print(f"Faults: {_no_clip_faults(report)}")
    for note in report.notes:
        if note != v.note:
            out.print(f"  note: {note}", style="dim")
    out.print(f"Form: [bold]{report.rating}[/]. {report.next_session}")
