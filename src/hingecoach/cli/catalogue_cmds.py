"""``hingecoach catalogue ...``: list, show, draw and validate the exercise catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hingecoach.cli.context import catalogue_dirs, get_catalogue
from hingecoach.cli.output import console, print_json

if TYPE_CHECKING:
    from hingecoach.knowledge import Catalogue, Exercise

app = typer.Typer(help="The exercise catalogue: the hinge ladder, faults and cues.")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _exercise_summary(ex: Exercise) -> dict[str, Any]:
    data = ex.model_dump(mode="json")
    data["stage_label"] = ex.stage.label if ex.stage is not None else None
    return data


@app.command("list")
def list_exercises(
    ctx: typer.Context,
    as_json: JsonOpt = False,
    stage: Annotated[int | None, typer.Option(min=0, max=4, help="Only this stage.")] = None,
    pattern: Annotated[str | None, typer.Option(help="Only 'hinge' or 'push'.")] = None,
) -> None:
    """Every exercise: stage, equipment, how it is dosed, where it leads."""
    from rich.table import Table

    from hingecoach.errors import InputError

    cat = get_catalogue(ctx)
    if pattern not in (None, "hinge", "push"):
        raise InputError(f"--pattern must be 'hinge' or 'push', not {pattern!r}")
    rows = [
        ex
        for ex in cat.exercises.values()
        if (stage is None or ex.stage == stage) and (pattern is None or ex.pattern == pattern)
    ]
    rows.sort(key=lambda e: (e.stage is None, e.stage if e.stage is not None else 0, e.id))
    if as_json:
        print_json([_exercise_summary(ex) for ex in rows])
        return
    table = Table(title=f"{len(rows)} exercises", title_justify="left")
    table.add_column("id", no_wrap=True)
    for col in ("name", "stage", "load", "dose", "progresses to", "regresses to"):
        table.add_column(col, overflow="fold")
    for ex in rows:
        table.add_row(
            ex.id,
            ex.name,
            "push" if ex.stage is None else f"{int(ex.stage)} {ex.stage.label}",
            ", ".join(ex.load_modes),
            " or ".join(ex.dose_modes),
            ", ".join(ex.progresses_to) or "-",
            ", ".join(ex.regresses_to) or "-",
        )
    console().print(table)


@app.command("show")
def show(
    ctx: typer.Context,
    exercise: Annotated[str, typer.Argument(help="An exercise id, name or alias.")],
    as_json: JsonOpt = False,
) -> None:
    """Everything about one exercise: focus, set-up, cues, faults and fixes, where it leads."""
    from hingecoach.knowledge import find_exercise

    cat = get_catalogue(ctx)
    ex = find_exercise(cat, exercise)
    faults = [cat.faults[f] for f in ex.faults]
    modifiers = [cat.modifiers[m] for m in ex.modifiers]
    if as_json:
        data = _exercise_summary(ex)
        data["fault_details"] = [f.model_dump(mode="json") for f in faults]
        data["modifier_details"] = [m.model_dump(mode="json") for m in modifiers]
        print_json(data)
        return
    out = console()
    stage = (
        "push (for supersets)" if ex.stage is None else f"stage {int(ex.stage)}, {ex.stage.label}"
    )
    out.print(f"[bold]{ex.name}[/]  ({ex.id}; {stage})")
    if ex.aliases:
        out.print(f"Also called: {', '.join(ex.aliases)}")
    out.print(f"Teaches: {ex.teaches}")
    out.print(f"Focus: {ex.focus}")
    needs = [*ex.load_modes, *ex.equipment]
    out.print(f"Load and kit: {', '.join(needs)}")
    out.print(f"Dosed in: {' or '.join(ex.dose_modes)}; tempo {ex.tempo}")
    _bullets(out, "Set-up", ex.setup)
    _bullets(out, "Cues", ex.cues)
    if faults:
        out.print("\n[bold]Common faults[/]")
        for f in faults:
            out.print(f"  - {f.name}: {f.looks_like}")
            out.print(f"    Fix: {f.cue} Drill: {_name(cat, f.drill)}.")
    if modifiers:
        out.print("\n[bold]Ways to make it easier[/]")
        for m in modifiers:
            out.print(f"  - {m.name}: {m.description}")
    out.print()
    out.print(f"Progresses to: {_names(cat, ex.progresses_to) or 'nothing; this is a top rung'}")
    out.print(f"Regresses to: {_names(cat, ex.regresses_to) or 'nothing; this is the floor'}")


def _bullets(out: Any, title: str, items: list[str]) -> None:
    out.print(f"\n[bold]{title}[/]")
    for item in items:
        out.print(f"  - {item}")


def _name(cat: Catalogue, ex_id: str) -> str:
    ex = cat.exercises.get(ex_id)
    return f"{ex.name} ({ex_id})" if ex else ex_id


def _names(cat: Catalogue, ids: list[str]) -> str:
    return ", ".join(_name(cat, i) for i in ids)


@app.command("ladder")
def ladder(
    ctx: typer.Context,
    dot: Annotated[bool, typer.Option("--dot", help="Print Graphviz DOT instead.")] = False,
) -> None:
    """The progression graph, stage by stage (regressions shown with <-)."""
    from hingecoach.knowledge import ladder_by_stage

    cat = get_catalogue(ctx)
    stages = ladder_by_stage(cat)
    if dot:
        typer.echo(_dot(cat))
        return
    out = console()
    for stage, members in stages.items():
        if not members:
            continue
        out.print(f"[bold]Stage {int(stage)}: {stage.label}[/]")
        for ex in members:
            up = ", ".join(ex.progresses_to) or "top rung"
            down = ", ".join(ex.regresses_to) or "floor"
            out.print(f"  {ex.id:<30} -> {up}")
            out.print(f"  {'':<30} <- {down}", style="dim")
        out.print()
    pushes = [ex for ex in cat.exercises.values() if not ex.is_hinge]
    if pushes:
        out.print("[bold]Pushes for supersets[/]")
        for ex in pushes:
            out.print(f"  {ex.id:<30} {ex.name}")


def _dot(cat: Catalogue) -> str:
    from hingecoach.knowledge import ladder_by_stage

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["digraph hinge_ladder {", "  rankdir=BT;", "  node [shape=box, style=rounded];"]
    for stage, members in ladder_by_stage(cat).items():
        if not members:
            continue
        lines.append(f"  subgraph cluster_stage_{int(stage)} {{")
        lines.append(f"    label={q(f'Stage {int(stage)}: {stage.label}')};")
        lines.extend(f"    {q(ex.id)} [label={q(ex.name)}];" for ex in members)
        lines.append("  }")
    for ex in cat.exercises.values():
        if not ex.is_hinge:
            continue
        lines.extend(f"  {q(ex.id)} -> {q(t)};" for t in ex.progresses_to)
        lines.extend(
            f"  {q(ex.id)} -> {q(t)} [style=dashed, color=gray, constraint=false];"
            for t in ex.regresses_to
        )
    lines.append("}")
    return "\n".join(lines)


@app.command("validate")
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Catalogue directories to check (default: the active catalogue)."),
    ] = None,
    standalone: Annotated[
        bool,
        typer.Option(
            "--standalone", help="Check the directories alone, not laid over the built-in one."
        ),
    ] = False,
) -> None:
    """Check catalogue directories; list every problem with file and field (R-CAT-3)."""
    from hingecoach.errors import CatalogueError, InputError
    from hingecoach.knowledge import validate_catalogue_dirs
    from hingecoach.knowledge.loader import catalogue_dirs_from_env

    dirs = list(paths) if paths else catalogue_dirs(ctx) or catalogue_dirs_from_env()
    if standalone and not dirs:
        raise InputError("--standalone needs at least one catalogue directory to check")
    problems = validate_catalogue_dirs(dirs, over_builtin=not standalone)
    if problems:
        raise CatalogueError(problems)
    cat_note = ", ".join(str(d) for d in dirs) if dirs else "the built-in catalogue"
    typer.echo(f"ok: {cat_note} is valid")
