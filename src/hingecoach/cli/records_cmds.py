"""``history``, ``export`` and ``import``: a trainee's record, out and in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hingecoach.cli.context import get_catalogue, get_engine
from hingecoach.cli.output import console, print_json

if TYPE_CHECKING:
    from hingecoach.coach.models import Session

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def sets_label(session: Session) -> str:
    """Work sets: ``3 x 12 @ 16 kg`` when alike, else each listed; warm-ups counted."""
    parts = []
    warm_ups = len(session.sets) - len(session.work_sets)
    for s in session.work_sets:
        dose = f"{s.reps}" if s.reps is not None else f"{s.seconds:g} s"
        load = f" @ {s.load_kg:g} kg" if s.load_kg else (f" ({s.band})" if s.band else "")
        parts.append(dose + load)
    label = ", ".join(parts) or "no work sets"
    if parts and all(p == parts[0] for p in parts):
        label = f"{len(parts)} x {parts[0]}"
    return label + (f" (+{warm_ups} warm-up)" if warm_ups else "")


def history(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The trainee's name.")],
    last: Annotated[int | None, typer.Option(min=1, help="Only the last N sessions.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Every logged session: sets, effort, form and pain."""
    from rich.table import Table

    from hingecoach.services.uow import UnitOfWork

    with UnitOfWork(get_engine(ctx)) as uow:
        trainee = uow.trainees.get(name)
        sessions = uow.sessions.sessions(trainee, last=last)
    if as_json:
        print_json([s.model_dump(mode="json") for s in sessions])
        return
    if not sessions:
        console().print(f"No sessions logged for {name} yet. Log one with `hingecoach log`.")
        return
    table = Table(title=f"{name}: {len(sessions)} sessions", title_justify="left")
    for col in ("date", "exercise", "sets", "RPE", "form", "pain", "next morning"):
        table.add_column(col)
    for s in sessions:
        rpes = [x.effort_rpe for x in s.sets if x.effort_rpe is not None]
        faults = sorted({f for x in s.sets for f in x.faults})
        worst = max((x.form for x in s.sets), key=_form_rank, default=None)
        table.add_row(
            s.date.isoformat(),
            _exercise_label(s),
            sets_label(s),
            f"{max(rpes):g}" if rpes else "-",
            (worst.value if worst else "-") + (f" ({', '.join(faults)})" if faults else ""),
            str(max((x.pain for x in s.sets), default=0)),
            "-" if s.next_morning_pain is None else str(s.next_morning_pain),
        )
    console().print(table)


def _exercise_label(session: Session) -> str:
    """The exercise id; for other training, the name the other app gave it."""
    if session.exercise_id == "other-training" and ", imported from " in session.notes:
        return session.notes.split(", imported from ", 1)[0] + " (other training)"
    return session.exercise_id


def _form_rank(form: object) -> int:
    order = {"clean": 0, "minor": 1, "breakdown": 2}
    return order.get(str(getattr(form, "value", form)), 0)


def export(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="The trainee's name (or use --all).")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every trainee.")] = False,
    fmt: Annotated[
        str,
        typer.Option("--format", help="json (complete), csv (sets) or strong (Strong's CSV)."),
    ] = "json",
    out: Annotated[Path | None, typer.Option("--out", help="Write to a file.")] = None,
) -> None:
    """Export trainees: JSON holds everything and imports back exactly; CSV lists sets."""
    from hingecoach.errors import InputError
    from hingecoach.services.transfer import export_csv, export_document, export_strong
    from hingecoach.services.uow import UnitOfWork

    if (name is None) == (not all_):
        raise InputError("name one trainee or give --all")
    if fmt not in ("json", "csv", "strong"):
        raise InputError(f"--format must be json, csv or strong, not {fmt!r}")
    if fmt == "strong" and all_:
        raise InputError("a Strong export holds one person's sessions: name one trainee")
    with UnitOfWork(get_engine(ctx)) as uow:
        if fmt == "strong":
            text = export_strong(uow, uow.trainees.get(name or ""), get_catalogue(ctx))
        else:
            document = export_document(uow, None if all_ else [name or ""])
            text = (
                export_csv(document)
                if fmt == "csv"
                else document.model_dump_json(indent=2, exclude_defaults=False) + "\n"
            )
    if out is None:
        typer.echo(text, nl=False)
        return
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)  # never a half-written export
    count = 1 if fmt == "strong" else len(document.trainees)
    console().print(f"Exported {count} trainee{'s' if count != 1 else ''} to {out}.")


def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="A JSON file made by `hingecoach export`, or a CSV export of Strong, Hevy "
            "or FitNotes."
        ),
    ],
    name: Annotated[
        str | None, typer.Argument(help="The trainee whose history a CSV export adds to.")
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--from", help="strong, hevy or fitnotes (guessed from the header)."),
    ] = None,
    unit: Annotated[
        str, typer.Option(help="kg or lb: the weight unit of a Strong file that does not say.")
    ] = "kg",
    names_file: Annotated[
        Path | None,
        typer.Option("--names", help='Your own names: {"Name in the app": "exercise-id"}.'),
    ] = None,
    preview: Annotated[
        bool, typer.Option("--preview", help="Show what would be imported; write nothing.")
    ] = False,
    max_mb: Annotated[
        float,
        typer.Option(
            "--max-mb", envvar="HINGECOACH_IMPORT_MAX_MB", min=0.001, help="Largest file read."
        ),
    ] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Import trainees from an export, or another app's history into a trainee's; checks
    everything first, writes all or nothing."""
    from hingecoach.cli.files import read_data
    from hingecoach.errors import InputError
    from hingecoach.services.transfer import import_document, parse_document
    from hingecoach.services.uow import UnitOfWork

    if name is not None or source is not None or file.suffix.lower() == ".csv":
        from hingecoach.cli.history_import import import_history

        if name is None:
            raise InputError(
                f"{file}: name the trainee whose history this adds to: "
                f"`hingecoach import {file} NAME`"
            )
        import_history(
            get_engine(ctx),
            get_catalogue(ctx),
            file=file,
            name=name,
            source=source,
            unit=unit,
            names_file=names_file,
            max_mb=max_mb,
            preview=preview,
            as_json=as_json,
        )
        return
    document = parse_document(read_data(file), str(file))
    known = set(get_catalogue(ctx).exercises)
    with UnitOfWork(get_engine(ctx)) as uow:
        names = import_document(uow, document, today=dt.date.today(), known_exercises=known)
        uow.commit()
    if as_json:
        print_json({"imported": names})
        return
    console().print(f"Imported {len(names)} trainee(s): {', '.join(names)}.")
