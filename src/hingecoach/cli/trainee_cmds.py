"""``hingecoach trainee ...``: add, list, show, edit and delete the people being coached."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hingecoach.cli.context import get_engine
from hingecoach.cli.output import console, print_json

if TYPE_CHECKING:
    from hingecoach.services.trainees import TraineeSummary

app = typer.Typer(help="The people being coached: add, list, show, edit, delete.")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
ProfileOpt = Annotated[
    Path | None,
    typer.Option(
        "--profile", help="A profile file (JSON or YAML; see `hingecoach schema profile`)."
    ),
]


def _profile_from_prompts(
    age: int | None,
    goal: str | None,
    experience: str | None,
    body_mass_kg: float | None,
    kettlebells: str | None,
    days: str | None,
    unit: str = "kg",
) -> dict[str, Any]:
    """Ask for what was not given as an option; sensible defaults shown in brackets.
    Body mass asked for and kettlebells read in ``unit`` (kg or lb), kept in kg."""
    from hingecoach.units import parse_loads, parse_unit, to_kg

    shown = parse_unit(unit)
    if age is None:
        age = typer.prompt("Age", type=int)
    if goal is None:
        goal = typer.prompt(
            "Goal (learn, pain-free, strength, hypertrophy, power)", default="learn"
        )
    if experience is None:
        experience = typer.prompt(
            "Training history (novice, intermediate, advanced)", default="novice"
        )
    if body_mass_kg is None:
        body_mass_kg = round(to_kg(typer.prompt(f"Body mass in {shown}", type=float), shown), 2)
    if kettlebells is None:
        example = "8,12,16" if shown == "kg" else "35,53"
        kettlebells = typer.prompt(
            f"Kettlebells you own, in {shown} (e.g. {example}; blank for none)",
            default="",
            show_default=False,
        )
    if days is None:
        days = typer.prompt(
            "Days you can train (e.g. monday,wednesday,friday)", default="monday,wednesday,friday"
        )
    return {
        "age": age,
        "goal": goal,
        "training_history": experience,
        "body_mass_kg": body_mass_kg,
        "equipment": {"kettlebells_kg": parse_loads(kettlebells, shown)},
        "days_available": [d.strip().lower() for d in days.split(",") if d.strip()],
        "unit": shown,
    }


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A unique name for the trainee.")],
    profile: ProfileOpt = None,
    age: Annotated[int | None, typer.Option(help="Age in years.")] = None,
    goal: Annotated[str | None, typer.Option(help="learn, pain-free, strength, ...")] = None,
    experience: Annotated[str | None, typer.Option(help="novice, intermediate, advanced")] = None,
    body_mass_kg: Annotated[float | None, typer.Option(help="Body mass in kg.")] = None,
    kettlebells: Annotated[
        str | None,
        typer.Option(help="Owned kettlebells in --unit, e.g. 8,12,16 (kg) or '35,53 lb'."),
    ] = None,
    days: Annotated[str | None, typer.Option(help="Training days, e.g. monday,thursday.")] = None,
    notes: Annotated[str, typer.Option("--notes", "--note", help="A first note on them.")] = "",
    unit: Annotated[
        str, typer.Option("--unit", help="kg or lb: their unit, and the one loads are typed in.")
    ] = "kg",
    as_json: JsonOpt = False,
) -> None:
    """Add a trainee from a profile file, or from options and prompts."""
    from hingecoach.cli.files import read_model
    from hingecoach.coach.models import Profile
    from hingecoach.errors import InputError, format_validation_error
    from hingecoach.services.trainees import add_trainee, validate_name

    name = validate_name(name)  # before any question is asked
    if profile is not None:
        model = read_model(profile, Profile)
    else:
        from pydantic import ValidationError

        try:
            data = _profile_from_prompts(
                age, goal, experience, body_mass_kg, kettlebells, days, unit
            )
        except typer.Abort:  # no answers: stdin closed (no terminal) or Ctrl+C
            raise InputError(
                "no answers to the profile questions (is there a terminal?); give --profile "
                "FILE, or --age, --goal, --experience, --body-mass-kg, --kettlebells and --days"
            ) from None
        try:
            model = Profile.model_validate(data)
        except ValidationError as exc:
            raise InputError(format_validation_error("profile", exc)) from None
    summary = add_trainee(get_engine(ctx), name, model, notes)
    if as_json:
        print_json(summary.model_dump(mode="json"))
        return
    console().print(f"Added {summary.name}. Next: `hingecoach assess {_quoted(summary.name)}`.")


def _quoted(name: str) -> str:
    return name if name.replace("-", "").replace("_", "").isalnum() else json.dumps(name)


@app.command("list")
def list_(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Every trainee with their last session."""
    from rich.table import Table

    from hingecoach.services.trainees import list_trainees

    rows = list_trainees(get_engine(ctx))
    if as_json:
        print_json([r.model_dump(mode="json") for r in rows])
        return
    if not rows:
        console().print("No trainees yet. Add one with `hingecoach trainee add NAME`.")
        return
    table = Table(title=f"{len(rows)} trainees", title_justify="left")
    for col in ("name", "goal", "sessions", "last session", "exercise"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r.name,
            r.profile.goal.value,
            str(r.sessions),
            str(r.last_session or "-"),
            r.last_exercise_id or r.placement_exercise_id or "not placed yet",
        )
    console().print(table)


def print_summary(summary: TraineeSummary) -> None:
    from hingecoach.units import format_load

    p = summary.profile
    unit = p.unit  # loads in the trainee's own unit (kept in kg)

    def loads(values: list[float]) -> str:
        return ", ".join(format_load(k, unit, with_unit=False) for k in values) + f" {unit}"

    out = console()
    out.print(f"[bold]{summary.name}[/]")
    out.print(
        f"  {p.age} years, {format_load(p.body_mass_kg, unit)}, goal {p.goal.value}, "
        f"{p.training_history.value}"
    )
    kit = p.equipment
    owned = []
    if kit.kettlebells_kg:
        owned.append("kettlebells " + loads(kit.kettlebells_kg))
    if kit.dumbbells_kg:
        owned.append("dumbbells " + loads(kit.dumbbells_kg))
    if kit.barbell_kg:
        owned.append(f"barbell {format_load(kit.barbell_kg, unit)}")
    if kit.plates_kg:
        owned.append("plate pairs " + loads(kit.plates_kg))
    if kit.trap_bar_kg:
        owned.append(f"trap bar {format_load(kit.trap_bar_kg, unit)}")
    if kit.bands:
        owned.append("bands " + ", ".join(kit.bands))
    out.print(f"  Equipment: {'; '.join(owned) or 'bodyweight only'}")
    out.print(f"  Days: {', '.join(d.value for d in p.days_available) or 'not given'}")
    placed = summary.placement_exercise_id
    out.print(
        f"  Placed: {placed} on {summary.placed_on}" if placed else "  Placed: not assessed yet"
    )
    out.print(f"  Sessions logged: {summary.sessions}; last {summary.last_session or '-'}")
    if summary.notes:
        out.print("  Notes (newest first):")
        for note in summary.notes:
            out.print(
                f"    {note.written_at:%Y-%m-%d %H:%M} {note.author}: {note.text}",
                markup=False,
                highlight=False,
            )


@app.command("show")
def show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The trainee's name.")],
    as_json: JsonOpt = False,
) -> None:
    """One trainee: profile, equipment, placement and their last session."""
    from hingecoach.services.trainees import get_trainee

    summary = get_trainee(get_engine(ctx), name)
    if as_json:
        print_json(summary.model_dump(mode="json"))
        return
    print_summary(summary)


@app.command("edit")
def edit(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The trainee's name.")],
    profile: ProfileOpt = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="FIELD=VALUE",
            help="Change one profile field, e.g. body_mass_kg=70 or "
            "equipment.kettlebells_kg=[8,12,16] (JSON values).",
        ),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option("--note", "--notes", help="Add a dated note (by the command line)."),
    ] = None,
    kettlebells: Annotated[
        str | None, typer.Option(help="Owned kettlebells, e.g. '35,53' in their unit, or '16 kg'.")
    ] = None,
    dumbbells: Annotated[
        str | None, typer.Option(help="Owned dumbbells, as --kettlebells.")
    ] = None,
    plates: Annotated[
        str | None, typer.Option(help="Plate pairs, e.g. '45,45,25,10,5' in their unit.")
    ] = None,
    barbell: Annotated[str | None, typer.Option(help="The bar, e.g. 45 (lb) or '20 kg'.")] = None,
    unit: Annotated[
        str | None,
        typer.Option("--unit", help="kg or lb for the loads typed here (default: their unit)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a trainee's profile (a whole file, or single fields), or add a note. Owned
    loads (--kettlebells, --dumbbells, --plates, --barbell) are typed in the trainee's
    unit (kg or lb) and kept in kg."""
    from hingecoach.cli.files import read_model
    from hingecoach.coach.models import Profile
    from hingecoach.errors import InputError
    from hingecoach.services.trainees import edit_trainee

    changes: dict[str, Any] = {}
    for item in set_ or []:
        field, sep, raw = item.partition("=")
        if not sep or not field:
            raise InputError(f"--set wants FIELD=VALUE, got {item!r}")
        try:
            changes[field.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            changes[field.strip()] = raw
    owned = {
        "kettlebells_kg": kettlebells,
        "dumbbells_kg": dumbbells,
        "plates_kg": plates,
        "barbell_kg": barbell,
    }
    if any(v is not None for v in owned.values()):
        from hingecoach.services.trainees import get_trainee
        from hingecoach.units import parse_loads, parse_unit

        typed_in = parse_unit(unit or get_trainee(get_engine(ctx), name).profile.unit)
        for field, text in owned.items():
            if text is None:
                continue
            loads = parse_loads(text, typed_in)
            if field == "barbell_kg":
                if len(loads) > 1:
                    raise InputError(f"--barbell is one bar, not {text!r}")
                changes["equipment.barbell_kg"] = loads[0] if loads else None
            else:
                changes[f"equipment.{field}"] = loads
    model = read_model(profile, Profile) if profile is not None else None
    if model is None and not changes and note is None:
        raise InputError("nothing to change: give --profile FILE, --set FIELD=VALUE or --note")
    summary = edit_trainee(get_engine(ctx), name, profile=model, changes=changes, note=note)
    if as_json:
        print_json(summary.model_dump(mode="json"))
        return
    console().print(f"Updated {summary.name}.")
    print_summary(summary)


@app.command("delete")
def delete(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The trainee's name.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask to confirm.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Delete a trainee: every record, their clips with the video files (in
    HINGECOACH_MEDIA_DIR, else clips/ in the user data directory) and their sign-in."""
    from hingecoach.services.clips import default_media_dir
    from hingecoach.services.trainees import delete_trainee, get_trainee

    engine = get_engine(ctx)
    summary = get_trainee(engine, name)  # an unknown name says so before any question
    if not yes and not typer.confirm(
        f"Delete {summary.name} and all {summary.sessions} sessions, decisions and clips? "
        "This cannot be undone",
        default=False,
    ):
        console().print("Nothing deleted.")
        raise typer.Exit(1)
    done = delete_trainee(engine, summary.name, default_media_dir())
    if as_json:
        print_json(
            {
                "deleted": done.name,
                "sessions": done.sessions,
                "clips": done.clips,
                "files_removed": done.files_removed,
                "account_deleted": done.account_deleted,
            }
        )
        return
    account = " and their sign-in" if done.account_deleted else ""
    console().print(
        f"Deleted {done.name}: {done.sessions} sessions, {done.clips} clips "
        f"({done.files_removed} files){account}."
    )
