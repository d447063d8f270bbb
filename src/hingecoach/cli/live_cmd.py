"""``hingecoach live``: coaching while the person lifts, from a webcam or a replayed clip."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hingecoach.cli.context import get_catalogue
from hingecoach.cli.output import console, err_console

if TYPE_CHECKING:
    from rich.console import Console

    from hingecoach.capture.live import LiveRun
    from hingecoach.form.stream import LiveEvent

#: Exit status when the view never allowed counting a rep (as ``analyze``'s refusals).
VIEW_REFUSED_EXIT = 3


def live(
    ctx: typer.Context,
    video: Annotated[
        Path | None,
        typer.Option(
            "--video",
            metavar="CLIP",
            help="Replay a clip (or a pose track .npz/.json/.csv) at its own speed, "
            "as if it were a camera.",
        ),
    ] = None,
    camera: Annotated[
        int | None,
        typer.Option("--camera", metavar="N", min=0, help="Use webcam number N (0: the first)."),
    ] = None,
    exercise: Annotated[
        str | None,
        typer.Option("--exercise", "-e", help="The exercise id or name (sets how reps count)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object a line per event, for scripts.")
    ] = False,
    speed: Annotated[
        float,
        typer.Option(
            "--speed", min=0.1, max=20.0, help="Replay faster (2: twice the clip's speed)."
        ),
    ] = 1.0,
    tempo: Annotated[
        str | None,
        typer.Option("--tempo", help="Flag reps faster than DOWN/UP seconds (e.g. 3/2)."),
    ] = None,
) -> None:
    """Count reps and cue faults as they happen, from a webcam or a clip played as one.

    Events come as the set goes: the view (and what to change), each rep with its tempo and
    faults, each cue, and the end of the set. Pose runs on this computer; frames that come
    while the last one is still being looked at are dropped, as with any live camera.
    Exits 3 when the view never allowed counting a rep (it says what to re-film). Ctrl+C
    ends the set.
    """
    from hingecoach.capture.live import open_camera, replay_file, run_live
    from hingecoach.cli.analyze_cmd import _parse_tempo
    from hingecoach.errors import InputError
    from hingecoach.form.stream import StreamingAnalyser

    if (video is None) == (camera is None):
        raise InputError("give either --video CLIP or --camera N")
    cat = get_catalogue(ctx)
    exercise_id = None
    if exercise is not None:
        from hingecoach.knowledge import find_exercise

        exercise_id = find_exercise(cat, exercise).id
    target = _parse_tempo(tempo)
    if video is not None:
        if not video.is_file():
            from hingecoach.form.errors import MissingVideoError

            raise MissingVideoError(f"{video}: no such file")
        source = replay_file(video, speed=speed)
    else:
        assert camera is not None
        source = open_camera(camera)
    analyser = StreamingAnalyser(
        width_px=source.width_px,
        height_px=source.height_px,
        exercise=exercise_id,
        tempo=target,
        catalogue=cat,
        source=source.name,
    )
    out = None if as_json else console()
    if out is not None:
        what = f" ({cat.exercises[exercise_id].name})" if exercise_id else ""
        out.print(
            f"[bold]Live[/]: {source.name}{what}, {source.width_px}x{source.height_px} at "
            f"{source.fps:.0f} fps" + (f", {speed:g}x speed" if video and speed != 1 else "")
        )
        if camera is not None:
            out.print("Lift when ready; Ctrl+C ends the set.", style="dim")

    def on_event(event: LiveEvent) -> None:
        if out is None:
            sys.stdout.write(json.dumps(event.model_dump(mode="json"), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            _print_event(out, event)

    from hingecoach.capture.native_log import filtered_native_stderr

    with filtered_native_stderr():  # MediaPipe's start-up lines are not for the lifter
        run = run_live(source, analyser, on_event)
    if out is not None:
        _print_summary(run)
    if run.view_refused:
        raise typer.Exit(VIEW_REFUSED_EXIT)


def _secs(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} s"


def _print_event(out: Console, event: LiveEvent) -> None:
    from rich.markup import escape

    at = f"[dim]{event.t_s:6.1f} s[/]"
    if event.type == "view":
        if event.ok:
            out.print(f"{at}  View: good again, carry on.")
        else:
            out.print(f"{at}  [yellow]View[/] ({event.code}): {escape(event.message)}")
    elif event.type == "rep":
        tempo = ""
        if event.tempo_ok is not None:
            tempo = "  tempo on target" if event.tempo_ok else "  tempo off target"
        faults = ", ".join(f.id for f in event.faults) or "clean"
        out.print(
            f"{at}  [bold]Rep {event.n}[/]  down {_secs(event.descent_s)}, "
            f"up {_secs(event.ascent_s)}{tempo}  ({faults})"
        )
    elif event.type == "fault":
        out.print(f"{at}    Cue: {escape(event.cue or event.name)}")
    else:
        rating = event.rating or "not rated"
        out.print(f"{at}  [bold]Set over[/]: {event.reps} rep(s), form {rating}.")
        for f in event.faults:
            reps = ", ".join(str(r) for r in f.reps)
            out.print(f"           {escape(f.name)} (reps {reps}): {escape(f.cue)}")


def _print_summary(run: LiveRun) -> None:
    if run.frames_in and run.frames_dropped:
        sys.stdout.flush()
        share = run.frames_dropped / run.frames_in
        err_console().print(
            f"[dim]{run.frames_posed} of {run.frames_in} frames posed: {share:.0%} came while "
            "the pose model was busy with the one before, and were skipped, as with a camera[/]"
        )
