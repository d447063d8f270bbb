"""``hingecoach plan``: a training cycle, week by week, printable and on the calendar.

Stateless from files (``--profile``, ``--history``) for scripts, or for a stored trainee
by NAME, rebuilt from their records every time (so every log re-plans it, R-PLAN-5).
``--print`` writes a printable HTML page a week, ``--pdf`` prints it with headless
Chromium when it is installed, ``--ics`` writes a calendar file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hingecoach.cli.context import get_catalogue, get_engine
from hingecoach.cli.output import console, err_console, print_json

if TYPE_CHECKING:
    from rich.console import Console

    from hingecoach.coach import Weekday
    from hingecoach.knowledge import Catalogue
    from hingecoach.plan import Plan, PlannedExercise, PlanSession, SessionBlock
    from hingecoach.units import Unit

_DAY_NAMES = {
    "mon": "monday",
    "tue": "tuesday",
    "wed": "wednesday",
    "thu": "thursday",
    "fri": "friday",
    "sat": "saturday",
    "sun": "sunday",
}


def _date(value: str | None, option: str) -> dt.date | None:
    from hingecoach.errors import InputError

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} wants YYYY-MM-DD, got {value!r}") from None


def _days(value: str | None) -> list[Weekday] | None:
    from hingecoach.coach import Weekday
    from hingecoach.errors import InputError

    if value is None:
        return None
    days: list[Weekday] = []
    for raw in value.split(","):
        key = raw.strip().lower()
        if not key:
            continue
        full = _DAY_NAMES.get(key[:3]) if key.startswith(tuple(_DAY_NAMES)) else None
        if full is None:
            raise InputError(f"--days: {raw.strip()!r} is not a day; use e.g. mon,wed,fri")
        if Weekday(full) not in days:
            days.append(Weekday(full))
    return days


def _time(value: str) -> dt.time:
    from hingecoach.errors import InputError

    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        raise InputError(f"--at wants HH:MM, got {value!r}") from None


def _short(ex: PlannedExercise, unit: Unit) -> str:
    from hingecoach.units import format_load

    each = f"{ex.seconds} s" if ex.seconds is not None else str(ex.reps.target if ex.reps else "")
    load = f" @ {format_load(ex.load_kg, unit)}" if ex.load_kg is not None else ""
    if ex.band is not None:
        load = f" ({ex.band} band)"
    return f"{ex.name} {ex.sets}x{each}{load}"


def _block_cell(session: PlanSession, purpose: str, unit: Unit) -> str:
    found: list[SessionBlock] = [b for b in session.blocks if b.purpose.value == purpose]
    if not found:
        return "-"
    return " + ".join(_short(e, unit) for e in found[0].exercises)


def print_plan(plan: Plan, out: Console | None = None, unit: Unit = "kg") -> None:
    """The plan week by week, in plain words, with the reasons and rule ids; loads in
    ``unit`` (the trainee's)."""
    from rich import box
    from rich.table import Table

    from hingecoach.cli.cards import print_decision

    out = out or console()
    who = f" for {plan.name}" if plan.name else ""
    out.print(
        f"[bold]Hinge plan{who}[/]: {plan.weeks} weeks from {plan.start}, {plan.schedule.label()}"
    )
    out.print(f"  {plan.schedule.reason}", style="dim")
    if plan.blocked:
        out.print()
        print_decision(plan.decision, out)
        return
    out.print(f"  Coach: {plan.decision.reason} [dim]({', '.join(plan.decision.rules)})[/]")
    for week in plan.plan_weeks:
        kind = "[bold blue]DELOAD[/]" if week.is_deload else "build"
        out.print(
            f"\n[bold]Week {week.number}[/]  {week.starts_on:%d %b} - {week.ends_on:%d %b}  {kind}"
        )
        out.print(f"  {week.reason.text} [dim]({', '.join(week.reason.rules)})[/]")
        for note in week.notes:
            out.print(f"  [yellow]{note.text}[/] [dim]({', '.join(note.rules)})[/]")
        if week.load is not None:
            load = week.load.reason
            out.print(f"  {load.text} [dim]({', '.join(load.rules)})[/]")
        table = Table(box=box.SIMPLE, pad_edge=False, show_edge=False, padding=(0, 1))
        for col in ("Day", "", "Primary", "Secondary", "Accessory", "Status"):
            table.add_column(col)
        for session in week.sessions:
            status = session.status.value
            if session.status.value == "planned":
                status = f"~{session.minutes} min"
            elif session.planned_for is not None:
                status += f" (was {session.planned_for:%a})"
            table.add_row(
                f"{session.date:%a %d %b}",
                session.variant if session.blocks else "",
                _block_cell(session, "primary", unit),
                _block_cell(session, "secondary", unit),
                _block_cell(session, "accessory", unit),
                status,
            )
        out.print(table)
        for session in week.sessions:
            for note in session.notes:
                out.print(f"  {session.date:%a}: {note.text} [dim]({', '.join(note.rules)})[/]")
    if plan.changes:
        out.print("\n[bold]Re-planned[/]")
        for change in plan.changes:
            out.print(f"  - {change.on}: {change.text} [dim]({', '.join(change.rules)})[/]")


def plan(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="A stored trainee (omit for files).")] = None,
    profile: Annotated[Path | None, typer.Option(help="Profile file (JSON or YAML).")] = None,
    history: Annotated[
        Path | None, typer.Option(help="History file (JSON or YAML); none = no sessions yet.")
    ] = None,
    weeks: Annotated[int, typer.Option(help="Cycle length, 4-16 weeks (R-PLAN-4).")] = 8,
    start: Annotated[
        str | None, typer.Option(help="First day, YYYY-MM-DD (default: today).")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Show the plan as it stands on this day, YYYY-MM-DD (default: today).",
        ),
    ] = None,
    deload_every: Annotated[
        int, typer.Option("--deload-every", help="A deload week every N weeks, 4-6.")
    ] = 5,
    sessions: Annotated[
        int | None,
        typer.Option(help="Hinge sessions a week, 2 or 3 (default: what the goal suggests)."),
    ] = None,
    days: Annotated[
        str | None,
        typer.Option(help="Days to train, e.g. mon,wed,fri (default: the profile's days)."),
    ] = None,
    exercise: Annotated[
        str | None,
        typer.Option(help="Exercise to start on when the history has no hinge session yet."),
    ] = None,
    print_to: Annotated[
        Path | None, typer.Option("--print", help="Write a printable HTML plan, a page a week.")
    ] = None,
    pdf: Annotated[
        Path | None, typer.Option(help="Write a PDF of the printable plan (needs Chromium).")
    ] = None,
    ics: Annotated[Path | None, typer.Option(help="Write a calendar file (.ics).")] = None,
    at: Annotated[str, typer.Option(help="Time of day for calendar events, HH:MM.")] = "18:00",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """A plan of 4-16 weeks: days, sessions, supersets, deloads, each with its reason. With
    --json, a schedule the days cannot hold is refused as JSON with its alternatives."""
    from hingecoach.errors import InputError, ScheduleRefusedError

    today = _date(as_of, "--as-of") or dt.date.today()
    first = _date(start, "--start")
    chosen_days = _days(days)
    event_time = _time(at)
    catalogue = get_catalogue(ctx)
    try:
        result, unit = _plan(
            ctx, name, profile, history, exercise, catalogue, today=today, first=first,
            weeks=weeks, deload_every=deload_every, sessions=sessions, days=chosen_days,
        )  # fmt: skip
    except ScheduleRefusedError as exc:
        if not as_json:
            raise
        # R-PLAN-1 for scripts: the refusal and its alternatives as JSON, still exit 2
        print_json({"refused": True, "error": str(exc), **exc.refusal.model_dump(mode="json")})
        raise typer.Exit(exc.exit_code) from None
    except InputError as exc:
        from hingecoach.cli.coach_cmds import flag_named

        raise flag_named(exc, "--exercise") from None
    _write_outputs(result, print_to=print_to, pdf=pdf, ics=ics, at=event_time, quiet=as_json)
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    print_plan(result, unit=unit)


def _plan(
    ctx: typer.Context,
    name: str | None,
    profile: Path | None,
    history: Path | None,
    exercise: str | None,
    catalogue: Catalogue,
    *,
    today: dt.date,
    first: dt.date | None,
    weeks: int,
    deload_every: int,
    sessions: int | None,
    days: list[Weekday] | None,
) -> tuple[Plan, Unit]:
    """The plan for a stored trainee (NAME) or from files, and the unit its loads read in."""
    from hingecoach.errors import InputError

    if name is not None:
        if profile is not None or history is not None:
            raise InputError("give a stored trainee's NAME or --profile/--history files, not both")
        from hingecoach.services.plans import plan_for
        from hingecoach.services.trainees import get_trainee

        unit = get_trainee(get_engine(ctx), name).profile.unit
        result = plan_for(
            get_engine(ctx),
            name,
            catalogue,
            weeks=weeks,
            as_of=today,
            start=first,
            deload_every=deload_every,
            sessions_per_week=sessions,
            days=days,
        )
    else:
        from hingecoach.cli.files import read_model
        from hingecoach.coach import History, Profile
        from hingecoach.plan import build_plan, replan

        if profile is None:
            raise InputError("--profile FILE is needed here (or give a stored trainee's NAME)")
        person = read_model(profile, Profile)
        unit = person.unit
        past = read_model(history, History) if history is not None else History()
        begin = first or today
        result = build_plan(
            person,
            past,
            catalogue,
            weeks=weeks,
            start=begin,
            deload_every=deload_every,
            placement_or_current_exercise=exercise,
            sessions_per_week=sessions,
            days=days,
        )
        if today > begin:
            result = replan(
                result, person, past, catalogue, as_of=today, placement_or_current_exercise=exercise
            )
    return result, unit


def _write_outputs(
    result: Plan,
    *,
    print_to: Path | None,
    pdf: Path | None,
    ics: Path | None,
    at: dt.time,
    quiet: bool,
) -> None:
    import tempfile

    from hingecoach.errors import InputError

    notices = err_console() if quiet else console()

    def write(path: Path, data: str | bytes) -> None:
        try:
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{path}: cannot be written ({exc.strerror})") from None

    if print_to is not None or pdf is not None:
        from hingecoach.render import plan_html

        html = plan_html(result)
        pages = max(1, len(result.plan_weeks))
        if print_to is not None:
            write(print_to, html)
            notices.print(f"Wrote {print_to}: a printable plan, {pages} page(s), one a week.")
        if pdf is not None:
            from hingecoach.render import print_pdf

            with tempfile.TemporaryDirectory() as tmp:
                source = Path(tmp) / "plan.html"
                source.write_text(html, encoding="utf-8")
                print_pdf(source, pdf)
            notices.print(f"Wrote {pdf}: {pages} page(s), one a week (printed by Chromium).")
    if ics is not None:
        from hingecoach.render import plan_ics

        write(ics, plan_ics(result, at=at))
        count = sum(1 for _ in result.sessions())
        notices.print(f"Wrote {ics}: {count} calendar event(s), one per session, at {at:%H:%M}.")
