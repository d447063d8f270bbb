"""``hingecoach session ...``: list a trainee's logged sessions with their ids, show one,
fix a mistake in it (``edit``) or delete a set or the whole session (``delete``).

Each correction is kept with who made it and when (``--by``), and the coach decides the
next session again from the corrected history (the new decision is printed).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hingecoach.cli.context import exercise_name, get_catalogue, get_engine
from hingecoach.cli.output import console, print_json

if TYPE_CHECKING:
    from hingecoach.services.corrections import CorrectionResult
    from hingecoach.units import Unit

app = typer.Typer(help="Logged sessions: list them with ids, show one, edit or delete.")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
Name = Annotated[str, typer.Argument(help="The trainee's name.")]
SessionIdArg = Annotated[int, typer.Argument(min=1, help="The session's id (see `session list`).")]
By = Annotated[str, typer.Option("--by", help="Who makes the correction (your name).")]
Why = Annotated[str, typer.Option("--why", help="What was wrong (kept with the change).")]
UnitOpt = Annotated[
    str | None,
    typer.Option("--unit", help="kg or lb (default: the trainee's own unit)."),
]


def _unit(option: str | None, trainees_unit: str) -> Unit:
    from hingecoach.units import parse_unit

    return parse_unit(option or trainees_unit)


@app.command("list")
def list_(
    ctx: typer.Context,
    name: Name,
    page: Annotated[int, typer.Option(min=1, help="The page, newest first.")] = 1,
    per_page: Annotated[int, typer.Option(min=1, max=500, help="Sessions a page.")] = 20,
    unit: UnitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Sessions newest first, with the ids `edit` and `delete` take."""
    from rich.table import Table

    from hingecoach.services.corrections import session_page

    found = session_page(get_engine(ctx), name, page, per_page)
    if as_json:
        print_json(
            [
                {"id": i.id, "version": i.version, "session": i.session.model_dump(mode="json")}
                for i in found.items
            ]
        )
        return
    if not found.items:
        console().print(f"No sessions for {name} on page {page}.")
        return
    catalogue = get_catalogue(ctx)
    table = Table(
        title=f"{name}: page {found.page} of {found.pages} ({found.total} sessions)",
        title_justify="left",
    )
    for col in ("id", "date", "exercise", "sets", ""):
        table.add_column(col)
    for item in found.items:
        s = item.session
        ex = catalogue.exercises.get(s.exercise_id)
        table.add_row(
            str(item.id),
            s.date.isoformat(),
            ex.name if ex is not None else s.exercise_id,
            _sets_in(s, _unit(unit, found.unit)),
            "corrected" if item.edited else "",
        )
    console().print(table)


def _sets_in(session: Any, unit: Unit) -> str:
    """The work sets in the reader's unit: ``3 x 12 @ 35.5 lb``."""
    from hingecoach.units import format_load

    parts = []
    for x in session.work_sets:
        dose = f"{x.reps}" if x.reps is not None else f"{x.seconds:g} s"
        parts.append(dose + (f" @ {format_load(x.load_kg, unit)}" if x.load_kg else ""))
    if parts and all(p == parts[0] for p in parts):
        return f"{len(parts)} x {parts[0]}"
    return ", ".join(parts) or "no work sets"


@app.command()
def show(
    ctx: typer.Context,
    name: Name,
    session_id: SessionIdArg,
    unit: UnitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One session set by set, and every correction made to it."""
    from hingecoach.services.corrections import session_detail

    stored, changes = session_detail(get_engine(ctx), name, session_id)
    if as_json:
        print_json(
            {
                "id": stored.id,
                "version": stored.version,
                "session": stored.session.model_dump(mode="json"),
                "corrections": [
                    {"made_at": c.made_at.isoformat(), "made_by": c.made_by, "changes": c.changes}
                    for c in changes
                ],
            }
        )
        return
    from hingecoach.units import format_load

    s = stored.session
    shown_in = _unit(unit, stored.unit)
    out = console()
    out.print(f"[bold]Session {stored.id}[/]: {exercise_name(ctx, s.exercise_id)} on {s.date}")
    for number, x in enumerate(s.sets, start=1):
        dose = f"{x.reps} reps" if x.reps is not None else f"{x.seconds:g} s"
        load = f" @ {format_load(x.load_kg, shown_in)}" if x.load_kg else ""
        kind = "" if x.work_set else " (warm-up)"
        out.print(f"  set {number}{kind}: {dose}{load}, form {x.form.value}, pain {x.pain}")
    for c in changes:
        out.print(f"Corrected by {c.made_by} on {c.made_at:%Y-%m-%d %H:%M}: {'; '.join(c.changes)}")


def _print_result(result: CorrectionResult, as_json: bool) -> None:
    c = result.correction
    if as_json:
        print_json(
            {
                "correction_id": c.id,
                "session_id": c.session_id,
                "action": c.action,
                "changes": list(c.changes),
                "replaced_decision_id": c.replaced_decision_id,
                "decision_id": c.decision_id,
                "decision": result.today.decision.model_dump(mode="json"),
            }
        )
        return
    out = console()
    out.print(f"Corrected session {c.session_id} of {c.session_date}: {'; '.join(c.changes)}.")
    out.print(
        f"The coach decided again (decision #{c.decision_id}, replacing "
        f"#{c.replaced_decision_id}): {result.today.decision.reason}"
    )


def edit(
    ctx: typer.Context,
    name: Name,
    session_id: SessionIdArg,
    by: By,
    set_number: Annotated[
        int | None, typer.Option("--set", min=1, help="The set to change, from 1.")
    ] = None,
    reps: Annotated[int | None, typer.Option(help="The reps done.")] = None,
    seconds: Annotated[float | None, typer.Option(help="The seconds held.")] = None,
    load: Annotated[
        str | None,
        typer.Option("--load", help="The load, e.g. 80, '80 kg' or '180 lb' (see --unit)."),
    ] = None,
    unit: UnitOpt = None,
    pain: Annotated[int | None, typer.Option(help="Pain 0-10 during the set.")] = None,
    rpe: Annotated[float | None, typer.Option(help="Effort, RPE 1-10.")] = None,
    form: Annotated[str | None, typer.Option(help="clean, minor or breakdown.")] = None,
    notes: Annotated[str | None, typer.Option(help="Replace the session's notes.")] = None,
    why: Why = "",
    as_json: JsonOpt = False,
) -> None:
    """Fix a mistake: change one set (--set N with --reps, --load, --pain...) or the notes."""
    from hingecoach.errors import InputError
    from hingecoach.services.corrections import Author, edit_session, edit_set

    changes: dict[str, Any] = {
        key: value
        for key, value in {
            "reps": reps,
            "seconds": seconds,
            "pain": pain,
            "rpe": rpe,
            "form": form,
        }.items()
        if value is not None
    }
    if load is not None:
        from hingecoach.services.corrections import session_detail
        from hingecoach.units import parse_load

        stored, _ = session_detail(get_engine(ctx), name, session_id)
        changes["load_kg"] = parse_load(load, _unit(unit, stored.unit))
    if changes and set_number is None:
        raise InputError("say which set to change with --set N (see `session show`)")
    if not changes and notes is None:
        raise InputError(
            "nothing to change: give --set N with --reps, --load, --pain... or --notes"
        )
    engine, catalogue, author = get_engine(ctx), get_catalogue(ctx), Author(by, None, why)
    today = dt.date.today()
    if changes and set_number is not None:
        result = edit_set(
            engine, name, session_id, set_number, changes,
            author=author, catalogue=catalogue, today=today,
        )  # fmt: skip
    if notes is not None:
        result = edit_session(
            engine, name, session_id, notes=notes, author=author, catalogue=catalogue, today=today
        )
    _print_result(result, as_json)


def delete(
    ctx: typer.Context,
    name: Name,
    session_id: SessionIdArg,
    by: By,
    set_number: Annotated[
        int | None, typer.Option("--set", min=1, help="Delete only this set (from 1).")
    ] = None,
    why: Why = "",
    as_json: JsonOpt = False,
) -> None:
    """Delete one set (--set N) or the whole session; a record of it is kept."""
    from hingecoach.services.corrections import Author, delete_session, delete_set

    engine, catalogue, author = get_engine(ctx), get_catalogue(ctx), Author(by, None, why)
    today = dt.date.today()
    if set_number is None:
        result = delete_session(
            engine, name, session_id, author=author, catalogue=catalogue, today=today
        )
    else:
        result = delete_set(
            engine, name, session_id, set_number, author=author, catalogue=catalogue, today=today
        )
    _print_result(result, as_json)


app.command()(edit)
app.command()(delete)
