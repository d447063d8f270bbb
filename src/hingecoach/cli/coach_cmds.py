"""The coaching commands: assess, next/today, adjust, log, decisions, override, schema.

``assess``, ``next`` and ``adjust`` work stateless from files (``--profile``, ``--answers``,
``--history``, ``--set``) for scripts and other systems; given a trainee's NAME, ``assess``,
``today``, ``log``, ``decisions`` and ``override`` work on the stored records.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hingecoach.cli.context import exercise_name, get_catalogue, get_engine
from hingecoach.cli.output import console, print_json

if TYPE_CHECKING:
    from pydantic import BaseModel

    from hingecoach.coach import Prescription, Profile, ScreenAnswers, SetLog
    from hingecoach.services.coaching import Today
    from hingecoach.units import Unit

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
FileOpt = Annotated[Path | None, typer.Option(help="A JSON or YAML file.")]

SCHEMAS = {
    "profile": "Profile",
    "answers": "ScreenAnswers",
    "history": "History",
    "session": "Session",
    "set": "SetLog",
    "prescription": "Prescription",
    "decision": "Decision",
    "placement": "Placement",
}


def _need(value: Path | None, option: str) -> Path:
    from hingecoach.errors import InputError

    if value is None:
        raise InputError(f"{option} FILE is needed here (or give a stored trainee's NAME)")
    return value


def _dump(model: BaseModel | None) -> Any:
    return None if model is None else model.model_dump(mode="json")


def _today_json(result: Today) -> dict[str, Any]:
    return {
        "decision_id": result.decision_id,
        "decision": _dump(result.decision),
        "prescription": _dump(result.prescription),
    }


def schema(
    name: Annotated[str, typer.Argument(help="One of: " + ", ".join(SCHEMAS))],
) -> None:
    """Print the JSON Schema of an input or output (profile, answers, history, ...)."""
    import hingecoach.coach as coach
    from hingecoach.errors import UnknownIdError

    if name not in SCHEMAS:
        import difflib

        raise UnknownIdError(
            "schema",
            name,
            difflib.get_close_matches(name, list(SCHEMAS), n=3),
            hint="one of " + ", ".join(SCHEMAS),
        )
    model = getattr(coach, SCHEMAS[name])
    print_json(model.model_json_schema())


# ---------------------------------------------------------------- assess


def _ask_answers() -> dict[str, Any]:
    """The intake questions, asked one by one (R-SAFE-1/2 first, then R-ASSESS-2)."""
    yes = typer.confirm
    console().print(
        "[bold]A few safety questions first.[/] Answer for how things are now "
        "(new or changed since your last check)."
    )
    from hingecoach.services.intake import RED_FLAGS, SCREENS

    a: dict[str, Any] = {q.field: yes(q.text) for q in RED_FLAGS}
    a["current_pain"] = typer.prompt("Pain right now, 0 (none) to 10", type=int, default=0)
    quality = ""
    if a["current_pain"] > 0:
        quality = typer.prompt(
            "How does it feel? (sharp, shooting, below-knee, numbness, tingling, weakness, "
            "burning; comma-separated, blank for none of these)",
            default="",
            show_default=False,
        )
    a["pain_quality"] = [q.strip() for q in quality.split(",") if q.strip()]
    console().print("\n[bold]Now the short movement screens.[/]")
    for step in SCREENS:
        console().print(f"[bold]{step.title}.[/] {step.do} Look for: {step.look_for}")
        if step.kind == "yes-no":
            a[step.field] = yes(step.question)
        elif step.kind == "aslr":
            a[step.field] = typer.prompt(
                step.question + " (0 = it hurts, 1 = below the other knee, 2 = between, "
                "3 = above the middle of the thigh)",
                type=int,
                default=2,
            )
        elif step.kind == "seconds":
            a[step.field] = typer.prompt(step.question, type=float, default=30.0)
        else:
            a[step.field] = typer.prompt(step.question, type=int, default=0)
    return a


def _answers(answers: Path | None) -> ScreenAnswers:
    from pydantic import ValidationError

    from hingecoach.cli.files import read_model
    from hingecoach.coach import ScreenAnswers
    from hingecoach.errors import InputError, format_validation_error

    if answers is not None:
        return read_model(answers, ScreenAnswers)
    try:
        return ScreenAnswers.model_validate(_ask_answers())
    except ValidationError as exc:
        raise InputError(format_validation_error("answers", exc)) from None


def assess(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="A stored trainee (omit for files).")] = None,
    profile: FileOpt = None,
    answers: Annotated[
        Path | None, typer.Option(help="Screen answers file; asked interactively if omitted.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Screen for safety (red flags first) and place on the ladder, with reasons."""
    from hingecoach.cli.cards import print_decision, print_placement

    catalogue = get_catalogue(ctx)
    if name is not None:
        from hingecoach.services.coaching import assess_trainee

        result = assess_trainee(
            get_engine(ctx), name, _answers(answers), catalogue, dt.date.today()
        )
        decision, placement = result.decision, result.placement
    else:
        from hingecoach.cli.files import read_model
        from hingecoach.coach import Profile, ScreenAnswers, place, screen

        person = read_model(_need(profile, "--profile"), Profile)
        given = read_model(_need(answers, "--answers"), ScreenAnswers)
        decision, placement = screen(given, person), place(person, given, catalogue)
    if as_json:
        from hingecoach.coach.decisions import most_severe

        top = most_severe(decision, placement.safety)  # a referral outranks "go ahead"
        print_json(
            {
                "decision": _dump(top),
                "screen_decision": _dump(decision),
                "placement": _dump(placement),
            }
        )
        return
    if not placement.blocked:
        print_decision(decision)
        console().print()
    print_placement(placement)


# ---------------------------------------------------------------- next / today


AnswersOpt = Annotated[
    Path | None,
    typer.Option(
        "--answers",
        help="Today's screen answers (red flags, pain now): screened before the session.",
    ),
]
StartOpt = Annotated[
    str | None,
    typer.Option(help="Exercise to start on when the history has no hinge session yet."),
]


def flag_named(exc: Exception, flag: str) -> Exception:
    """An input error about ``prescribe``'s start argument, reworded to name the flag."""
    from hingecoach.errors import InputError

    field = "placement_or_current_exercise:"
    text = str(exc)
    if not isinstance(exc, InputError) or not text.startswith(field):
        return exc
    if "no hinge session yet" in text:
        return InputError(
            f"{flag} is needed: the history has no hinge session yet, so give {flag} with the "
            "exercise to start on (for example kettlebell-deadlift)"
        )
    return InputError(f"{flag}: {text.removeprefix(field).strip()}")


def _stateless_next(
    ctx: typer.Context,
    profile: Path,
    history: Path,
    start: str | None,
    answers: Path | None = None,
) -> Any:
    from hingecoach.cli.files import read_model
    from hingecoach.coach import History, Profile, ScreenAnswers, prescribe
    from hingecoach.errors import InputError

    person = read_model(profile, Profile)
    past = read_model(history, History)
    screen = read_model(answers, ScreenAnswers) if answers is not None else None
    try:
        return prescribe(
            person,
            past,
            get_catalogue(ctx),
            placement_or_current_exercise=start,
            screen_answers=screen,
        )
    except InputError as exc:
        raise flag_named(exc, "--start") from None


def next_(
    ctx: typer.Context,
    profile: FileOpt = None,
    history: FileOpt = None,
    start: StartOpt = None,
    answers: AnswersOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The next session from a profile and a history file: what to do and why. With
    --answers, today's screen comes first (a red flag stops it, pain 3-5 holds it)."""
    from hingecoach.cli.cards import print_card

    decision, rx = _stateless_next(
        ctx, _need(profile, "--profile"), _need(history, "--history"), start, answers
    )
    if as_json:
        print_json({"decision": _dump(decision), "prescription": _dump(rx)})
        return
    print_card(decision, rx)


def today(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The trainee's name.")],
    as_json: JsonOpt = False,
) -> None:
    """Today's card for a stored trainee: exercise, sets, reps, load, tempo, rest, cues, why."""
    from hingecoach.cli.cards import print_card
    from hingecoach.services.coaching import today_for

    result = today_for(get_engine(ctx), name, get_catalogue(ctx))
    if as_json:
        print_json(_today_json(result))
        return
    console().print(f"[bold]Today for {name}[/]  [dim](decision #{result.decision_id})[/]")
    print_card(result.decision, result.prescription)


# ---------------------------------------------------------------- adjust


def _sets_file(path: Path) -> list[SetLog]:
    """One set (an object) or the sets so far (a list) from a file."""
    from pydantic import TypeAdapter, ValidationError

    from hingecoach.cli.files import read_data
    from hingecoach.coach import SetLog
    from hingecoach.errors import InputError, format_validation_error

    data = read_data(path)
    items = data if isinstance(data, list) else [data]
    try:
        return TypeAdapter(list[SetLog]).validate_python(items)
    except ValidationError as exc:
        raise InputError(format_validation_error(str(path), exc)) from None


def _planned(
    rx: Prescription, person: Profile, load: float | None, target_rpe: float | None
) -> Prescription:
    """The prescription with the planned load (kg) and target RPE given on the command line."""
    from hingecoach.coach.loads import UNLOADED_MODES, describe_load
    from hingecoach.errors import InputError

    update: dict[str, Any] = {}
    if load is not None:
        if rx.load_mode in UNLOADED_MODES:
            raise InputError(
                f"--load: the {rx.exercise_name.lower()} is not loaded with weights here "
                f"({rx.load_label}); leave --load out"
            )
        update["load_kg"] = load
        update["load_label"] = describe_load(
            load, rx.load_mode, person.equipment, rx.band, person.unit
        )
    if target_rpe is not None:
        update["rpe_target"] = target_rpe
        update["rpe_min"] = min(rx.rpe_min, target_rpe)
        update["rpe_max"] = max(rx.rpe_max, target_rpe)
    return rx.model_copy(update=update) if update else rx


def adjust(
    ctx: typer.Context,
    profile: FileOpt = None,
    history: FileOpt = None,
    set_: Annotated[
        Path | None,
        typer.Option("--set", help="The set just logged, or a list of the sets so far."),
    ] = None,
    start: Annotated[str | None, typer.Option(help="Exercise when there is no history.")] = None,
    answers: AnswersOpt = None,
    load: Annotated[
        float | None,
        typer.Option("--load", min=0, max=1000, help="The load planned for this session, in kg."),
    ] = None,
    target_rpe: Annotated[
        float | None,
        typer.Option(
            "--target-rpe", min=1, max=10, help="The effort planned for the work sets (RPE)."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Within a session: what the next set should be after the sets logged so far. The
    session is the coach's next one; --load and --target-rpe replace its planned load and
    effort (a session planned elsewhere)."""
    from hingecoach.cli.cards import print_next_set
    from hingecoach.cli.files import read_model
    from hingecoach.coach import Profile, adjust_set
    from hingecoach.errors import InputError

    decision, rx = _stateless_next(
        ctx, _need(profile, "--profile"), _need(history, "--history"), start, answers
    )
    if rx is None:
        raise InputError(f"no hinge session today: {decision.reason}")
    person = read_model(_need(profile, "--profile"), Profile)
    rx = _planned(rx, person, load, target_rpe)
    sets = _sets_file(_need(set_, "--set"))
    decision, nxt = adjust_set(person, rx, sets, get_catalogue(ctx))
    if as_json:
        print_json({"decision": _dump(decision), "next_set": _dump(nxt)})
        return
    print_next_set(decision, nxt)
    if nxt is None and not decision.blocks_hinging:
        console().print("That was the last set. Well done.")


# ---------------------------------------------------------------- log


def _ask_load(default_kg: float | None, unit: Unit, owned: tuple[float, ...]) -> float | None:
    """The load of a set, typed in the trainee's unit ("80", or with its own: "180 lb"),
    as the owned load in kg it means (a 35.25 lb bell is the 16 kg one)."""
    from hingecoach.cli.output import print_error
    from hingecoach.errors import InputError
    from hingecoach.units import format_load, parse_load, snap_to_owned

    shown = format_load(default_kg, unit, with_unit=False)
    while True:
        raw = typer.prompt(f"  Load in {unit}", default=shown, show_default=bool(shown))
        try:
            kg = parse_load(raw, unit)
        except InputError as exc:
            print_error(f"{exc}\nLet's try that load again.")
            continue
        return None if kg is None else snap_to_owned(kg, owned, unit)


def _ask_set(
    number: int, rx: Prescription, default_load: float | None, profile: Profile
) -> SetLog | None:
    from pydantic import ValidationError

    from hingecoach.cli.output import print_error
    from hingecoach.coach import SetLog
    from hingecoach.coach.loads import available_loads
    from hingecoach.errors import format_validation_error

    timed = rx.seconds is not None
    what = "Seconds" if timed else "Reps"
    while True:
        raw = typer.prompt(
            f"Set {number} - {what} done (blank to finish)", default="", show_default=False
        )
        if not raw.strip():
            return None
        data: dict[str, Any] = {"seconds" if timed else "reps": raw}
        if rx.load_kg is not None:
            owned = available_loads(profile.equipment, rx.load_mode)
            data["load_kg"] = _ask_load(default_load, profile.unit, owned)
        rpe = typer.prompt("  Effort, RPE 1-10 (blank to skip)", default="", show_default=False)
        if rpe.strip():
            data["rpe"] = rpe
        form = typer.prompt("  Form: clean, minor or breakdown", default="clean")
        data["form"] = form.strip().lower()
        if data["form"] != "clean":
            faults = typer.prompt(
                "  Faults (ids, comma-separated, e.g. back-rounding)",
                default="",
                show_default=False,
            )
            data["faults"] = [f.strip() for f in faults.split(",") if f.strip()]
        data["pain"] = typer.prompt("  Pain during the set, 0-10", default=0, type=int)
        if data["pain"] > 0:
            quality = typer.prompt(
                "  Pain feels (sharp, shooting, below-knee, numbness, tingling, weakness, "
                "burning; blank if none of these)",
                default="",
                show_default=False,
            )
            data["pain_quality"] = [q.strip() for q in quality.split(",") if q.strip()]
        try:
            return SetLog.model_validate(data)
        except ValidationError as exc:
            print_error(
                format_validation_error(f"set {number}", exc) + "\nLet's try that set again."
            )


def _log_interactive(ctx: typer.Context, name: str, date: dt.date) -> Any:
    from hingecoach.cli.cards import print_card, print_next_set
    from hingecoach.cli.rest import show_rest
    from hingecoach.coach import Session
    from hingecoach.errors import InputError
    from hingecoach.services.coaching import next_set, today_for
    from hingecoach.services.trainees import get_trainee

    engine, catalogue = get_engine(ctx), get_catalogue(ctx)
    plan = today_for(engine, name, catalogue)
    profile = get_trainee(engine, name).profile
    print_card(plan.decision, plan.prescription)
    rx = plan.prescription
    if rx is None:
        raise InputError("no hinge session to log today; see the card above")
    sets: list[SetLog] = []
    load = rx.load_kg
    console().print()
    while True:
        logged = _ask_set(len(sets) + 1, rx, load, profile)
        if logged is None:
            break
        sets.append(logged)
        decision, nxt = next_set(engine, name, rx, sets, catalogue)
        print_next_set(decision, nxt)
        if nxt is None:
            break
        show_rest(nxt.rest_s)
        load = nxt.load_kg
    if not sets:
        raise InputError("no sets logged; nothing saved")
    notes = typer.prompt("Notes (blank for none)", default="", show_default=False)
    return Session(
        date=date, exercise_id=rx.exercise_id, prescription=rx, sets=tuple(sets), notes=notes
    )


def _session_from_clips(
    ctx: typer.Context,
    name: str,
    day: dt.date,
    clips: list[Path],
    exercise: str | None,
    load_kg: float | None,
    rpe: float | None,
    pain: int,
    quiet_stdout: bool,
) -> Any:
    """One set per clip, judged by the form analysis (R-FORM-4); the prescription followed
    is today's when the exercise matches it. With ``quiet_stdout`` (``--json``) the
    per-clip lines go to stderr so stdout stays JSON."""
    from hingecoach.coach import Session
    from hingecoach.knowledge import find_exercise
    from hingecoach.services.coaching import today_for
    from hingecoach.services.video import set_from_clip

    engine, catalogue = get_engine(ctx), get_catalogue(ctx)
    rx = today_for(engine, name, catalogue).prescription
    exercise_id = find_exercise(catalogue, exercise).id if exercise else None
    if exercise_id is None:
        if rx is None:
            from hingecoach.errors import InputError

            raise InputError("no hinge session today: name the exercise with --exercise")
        exercise_id = rx.exercise_id
    followed = rx if rx is not None and rx.exercise_id == exercise_id else None
    load = load_kg if load_kg is not None else (followed.load_kg if followed else None)
    from hingecoach.cli.output import err_console

    out = err_console() if quiet_stdout else console()
    sets = []
    for number, clip in enumerate(clips, start=1):
        logged, report = set_from_clip(
            clip, exercise_id=exercise_id, catalogue=catalogue, load_kg=load, rpe=rpe, pain=pain
        )
        faults = ", ".join(report.fault_ids) or "no faults"
        out.print(
            f"Set {number} from {clip.name}: {logged.reps} reps, form {logged.form.value} "
            f"({faults}). {report.next_session}"
        )
        sets.append(logged)
    return Session(
        date=day,
        exercise_id=exercise_id,
        prescription=followed,
        sets=tuple(sets),
        notes="sets judged from video",
    )


def log(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The trainee's name.")],
    file: Annotated[
        Path | None, typer.Option("--file", help="A whole session (JSON or YAML) to log.")
    ] = None,
    morning_pain: Annotated[
        int | None,
        typer.Option(
            "--morning-pain",
            min=0,
            max=10,
            help="Record next-morning pain (0-10) for the last session instead.",
        ),
    ] = None,
    date: Annotated[
        str | None, typer.Option(help="Session date, YYYY-MM-DD (default: today).")
    ] = None,
    video: Annotated[
        list[Path] | None,
        typer.Option(
            "--video",
            metavar="CLIP",
            help="A side-on clip (or pose track) of a set; repeat for each set. The reps, "
            "form and faults come from the analysis.",
        ),
    ] = None,
    exercise: Annotated[
        str | None, typer.Option(help="With --video: the exercise (default: today's).")
    ] = None,
    load_kg: Annotated[
        float | None, typer.Option(help="With --video: the load (default: today's).")
    ] = None,
    rpe: Annotated[float | None, typer.Option(help="With --video: effort, RPE 1-10.")] = None,
    pain: Annotated[int, typer.Option(min=0, max=10, help="With --video: pain 0-10.")] = 0,
    confirm_spacing: Annotated[
        bool,
        typer.Option(
            "--confirm-spacing",
            help="Log a hinge session under 48 h from another without asking (R-PLAN-1).",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Log a session set by set (the next set adjusted after each), from a file, or from
    clips of the sets (--video)."""
    from hingecoach.cli.cards import print_card
    from hingecoach.cli.files import read_model
    from hingecoach.coach import Session
    from hingecoach.errors import InputError
    from hingecoach.services.coaching import log_session, record_morning_pain

    engine, catalogue = get_engine(ctx), get_catalogue(ctx)
    if morning_pain is not None:
        result = record_morning_pain(engine, name, morning_pain, catalogue)
    else:
        try:
            day = dt.date.fromisoformat(date) if date else dt.date.today()
        except ValueError:
            raise InputError(f"--date wants YYYY-MM-DD, got {date!r}") from None
        if file is not None:
            session = read_model(file, Session)
        elif video:
            session = _session_from_clips(
                ctx, name, day, video, exercise, load_kg, rpe, pain, as_json
            )
        else:
            session = _log_interactive(ctx, name, day)
        _confirm_spacing(engine, name, session, catalogue, confirm_spacing)
        result = log_session(engine, name, session, catalogue, dt.date.today())
    if as_json:
        print_json(_today_json(result))
        return
    console().print(f"Saved. [bold]Next time for {name}:[/]")
    print_card(result.decision, result.prescription)


def _confirm_spacing(engine: Any, name: str, session: Any, catalogue: Any, confirmed: bool) -> None:
    """R-PLAN-1: a hinge session under 48 h from another is logged once confirmed (asked
    at a terminal; elsewhere ``--confirm-spacing``)."""
    import sys

    from hingecoach.services.spacing import require_spacing, spacing_warning

    if not confirmed and sys.stdin.isatty():
        warning = spacing_warning(engine, name, session, catalogue)
        if warning is None:
            return
        console().print(warning.message)
        confirmed = typer.confirm("Log it anyway?", default=False)
    require_spacing(
        engine,
        name,
        session,
        catalogue,
        confirmed=confirmed,
        how_to_confirm="run the command again with --confirm-spacing",
    )


# ---------------------------------------------------------------- decisions / override


def decisions(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The trainee's name.")],
    last: Annotated[int | None, typer.Option(min=1, help="Only the last N.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Every decision the coach made for this trainee, with rule ids, reason and overrides."""
    from hingecoach.services.coaching import list_decisions

    records = list_decisions(get_engine(ctx), name, last)
    rows: list[dict[str, Any]] = [
        {
            "id": r.id,
            "made_at": r.made_at.isoformat(timespec="seconds"),
            "context": r.context,
            "action": r.action,
            "rules": r.rules,
            "reason": r.reason,
            "exercise_id": r.exercise_id,
            "overrides": [
                {
                    "made_at": o.made_at.isoformat(timespec="seconds"),
                    "made_by": o.made_by,
                    "why": o.why,
                    "exercise_id": o.exercise_id,
                }
                for o in r.overrides
            ],
        }
        for r in records
    ]
    if as_json:
        print_json(rows)
        return
    out = console()
    if not rows:
        out.print(f"No decisions for {name} yet.")
        return
    for row in rows:
        ex = f" -> {exercise_name(ctx, row['exercise_id'])}" if row["exercise_id"] else ""
        out.print(
            f"[bold]#{row['id']}[/] {row['made_at']}  {row['context']}: "
            f"[bold]{row['action']}[/]{ex}  [dim]({', '.join(row['rules'])})[/]"
        )
        out.print(f"    {row['reason']}")
        for o in row["overrides"]:
            out.print(
                f"    [yellow]overridden[/] by {o['made_by']} on {o['made_at']}: "
                f"{exercise_name(ctx, o['exercise_id'])}. Why: {o['why']}"
            )


def override(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The trainee's name.")],
    why: Annotated[str, typer.Option("--why", help="Why you override the coach.")],
    by: Annotated[str, typer.Option("--by", help="Who overrides (your name).")],
    decision_id: Annotated[
        int | None, typer.Option("--decision", help="Decision id (default: the latest).")
    ] = None,
    exercise: Annotated[
        str | None,
        typer.Option(help="Put the trainee on this exercise (default: keep the current rung)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Override a decision of the coach; recorded with who and why, used for the next session."""
    from hingecoach.services.coaching import override_decision

    record, target = override_decision(
        get_engine(ctx),
        name,
        decision_id,
        made_by=by,
        why=why,
        exercise_id=exercise,
        catalogue=get_catalogue(ctx),
    )
    if as_json:
        print_json({"decision_id": record.id, "exercise_id": target, "by": by, "why": why})
        return
    console().print(
        f"Recorded: decision #{record.id} overridden by {by}. "
        f"Next session for {name}: {exercise_name(ctx, target)}."
    )
