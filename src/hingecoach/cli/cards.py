"""Friendly cards for the terminal: what to do today and why, a placement, a next set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hingecoach.cli.output import console

if TYPE_CHECKING:
    from rich.console import Console

    from hingecoach.coach.decisions import Decision, NextSet, Placement, Prescription


def _rules(rules: tuple[str, ...]) -> str:
    return ", ".join(rules)


def print_decision(decision: Decision, out: Console | None = None) -> None:
    out = out or console()
    title = decision.action.heading
    style = "bold red" if decision.blocks_hinging else "bold"
    out.print(f"[{style}]{title}[/]  [dim]({_rules(decision.rules)})[/]")
    out.print(f"  Why: {decision.reason}")
    out.print(f"  Now: {decision.do_now}")
    for line in decision.advice:
        out.print(f"  - {line}")
    if decision.evidence:
        out.print("  Based on:", style="dim")
        for ev in decision.evidence[:6]:
            when = f"{ev.date}: " if ev.date and not ev.note.startswith(str(ev.date)) else ""
            out.print(f"    {when}{ev.note}", style="dim")
    out.print(f"  What would change this: {decision.would_change}")


def print_prescription(rx: Prescription, out: Console | None = None) -> None:
    out = out or console()
    out.print(f"\n[bold]{rx.exercise_name}[/]  ({rx.exercise_id}, {rx.purpose.value})")
    out.print(f"  {rx.dose_label()}  |  load: {rx.load_label}  |  tempo: {rx.tempo}")
    rest = f"{rx.rest_s // 60}:{rx.rest_s % 60:02d}"
    if rx.rest_max_s > rx.rest_s:
        rest += f"-{rx.rest_max_s // 60}:{rx.rest_max_s % 60:02d}"
    out.print(
        f"  rest {rest} min between sets  |  effort: RPE {rx.rpe_min:g}-{rx.rpe_max:g} "
        f"(about {10 - rx.rpe_target:g} reps left in the tank)"
    )
    for mod in rx.modifiers:
        out.print(f"  Easier version: {mod.label()}. To earn it back: {mod.how_to_undo}")
    if rx.cues:
        out.print("  Cues:")
        for cue in rx.cues:
            out.print(f"    - {cue}")
    if rx.changes:
        out.print("  Changed since last time:")
        for change in rx.changes:
            before = f"{change.before} -> " if change.before else ""
            out.print(
                f"    - {change.what}: {before}{change.after}. {change.reason} [{change.rule}]"
            )
    for note in rx.notes:
        out.print(f"  Note: {note}")


def print_card(decision: Decision, rx: Prescription | None) -> None:
    """Today's card: the decision and its reason, then the session."""
    out = console()
    print_decision(decision, out)
    if rx is not None:
        print_prescription(rx, out)


def print_placement(placement: Placement) -> None:
    out = console()
    if placement.safety is not None and placement.blocked:
        print_decision(placement.safety, out)
    else:
        out.print(f"[bold]Start on: {placement.exercise_name}[/]  ({placement.exercise_id})")
        for mod in placement.modifiers:
            out.print(f"  with {mod.label()}: {mod.how_to_undo}")
    out.print("  Because:")
    for line in placement.reasons:
        out.print(f"    - {line.screen}: {line.text} [dim]({_rules(line.rules)})[/]")


def print_next_set(decision: Decision, nxt: NextSet | None) -> None:
    out = console()
    if decision.action.value != "hold" or decision.blocks_hinging:
        print_decision(decision, out)
    if nxt is None:
        return
    dose = f"{nxt.seconds} s" if nxt.seconds is not None else str(nxt.reps)
    out.print(f"[bold]Set {nxt.set_number}:[/] {dose} at {nxt.load_label}, tempo {nxt.tempo}")
    for change in nxt.changes:
        out.print(f"  - {change.what}: {change.after}. {change.reason} [{change.rule}]")
    for cue in nxt.cues:
        out.print(f"  Cue: {cue}")
