"""Find catalogue items by id, name or alias, and suggest the closest ids when none match."""

from __future__ import annotations

import difflib
import re

from hingecoach.errors import UnknownIdError
from hingecoach.knowledge.schema import Catalogue, Exercise, Fault, Stage

__all__ = ["find_exercise", "find_fault", "ladder_by_stage", "normalise"]


def normalise(name: str) -> str:
    """A key for matching names loosely.

    Lower case, punctuation folded, a leading "the" and plural "s" dropped, so "The
    Kettlebell Swing", "KB/DB RDL" and "Push-ups" match "kettlebell swing", "kb db rdl" and
    "push-up".
    """
    words = re.sub(r"[^a-z0-9]+", " ", name.lower()).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(w[:-1] if len(w) > 2 and w.endswith("s") else w for w in words)


def _suggest(wanted: str, names: dict[str, str], limit: int = 3) -> list[str]:
    close = difflib.get_close_matches(normalise(wanted), list(names), n=limit * 2, cutoff=0.5)
    ids: list[str] = []
    for key in close:
        if names[key] not in ids:
            ids.append(names[key])
    return ids[:limit]


def find_exercise(catalogue: Catalogue, query: str) -> Exercise:
    """The exercise whose id, name or alias is ``query`` (R-CAT-1: seed names via aliases)."""
    if query in catalogue.exercises:
        return catalogue.exercises[query]
    names: dict[str, str] = {}
    for ex in catalogue.exercises.values():
        for name in (ex.id, ex.name, *ex.aliases):
            names.setdefault(normalise(name), ex.id)
    key = normalise(query)
    if key in names:
        return catalogue.exercises[names[key]]
    raise UnknownIdError("exercise", query, _suggest(query, names))


def find_fault(catalogue: Catalogue, query: str) -> Fault:
    """The fault whose id or name is ``query``."""
    if query in catalogue.faults:
        return catalogue.faults[query]
    names = {normalise(f.id): f.id for f in catalogue.faults.values()}
    names.update({normalise(f.name): f.id for f in catalogue.faults.values()})
    key = normalise(query)
    if key in names:
        return catalogue.faults[names[key]]
    raise UnknownIdError("fault", query, _suggest(query, names))


def ladder_by_stage(catalogue: Catalogue) -> dict[Stage, list[Exercise]]:
    """Hinge exercises grouped by stage, each stage in ladder order (floor first)."""
    order: dict[str, int] = {}
    frontier = [ex.id for ex in catalogue.exercises.values() if ex.is_hinge and not ex.regresses_to]
    depth = 0
    while frontier:
        nxt: list[str] = []
        for ex_id in frontier:
            if ex_id in order:
                continue
            order[ex_id] = depth
            nxt.extend(catalogue.exercises[ex_id].progresses_to)
        frontier = [i for i in nxt if i in catalogue.exercises]
        depth += 1
    stages: dict[Stage, list[Exercise]] = {stage: [] for stage in Stage}
    for ex in catalogue.exercises.values():
        if ex.is_hinge and ex.stage is not None:
            stages[ex.stage].append(ex)
    for members in stages.values():
        members.sort(key=lambda e: (order.get(e.id, 99), e.id))
    return stages
