"""Graph checks on the catalogue (R-CAT-3) and the ids others rely on (R-CAT-2, section 10).

The ladder is a graph: progressions go up the stages (or stay level), every hinge exercise
but the floor has a regression, no cycle runs along progressions, every hinge exercise is
reachable from the floor, and every id that is referenced exists. Each check returns
problems instead of raising, so one run reports everything.
"""

from __future__ import annotations

from collections.abc import Mapping

from hingecoach.errors import CatalogueProblem
from hingecoach.knowledge.lookup import normalise
from hingecoach.knowledge.schema import Catalogue, Exercise, Pattern, RegressionSign

__all__ = [
    "REQUIRED_EXERCISE_IDS",
    "REQUIRED_FAULT_IDS",
    "check_graph",
    "find_floor",
    "progression_cycles",
]

# RULES.md section 10: ids the rest of the system and users' scripts rely on (R-CAT-2).
REQUIRED_EXERCISE_IDS: tuple[str, ...] = (
    "hero-squat",
    "wall-hip-hinge",
    "bodyweight-hip-hinge",
    "dowel-hip-hinge",
    "hinge-to-squat",
    "banded-hip-hinge",
    "cable-pull-through",
    "weighted-hip-hinge",
    "elevated-kettlebell-deadlift",
    "kettlebell-deadlift",
    "romanian-deadlift",
    "trap-bar-deadlift",
    "conventional-deadlift",
    "banded-pull-through",
    "kettlebell-swing",
    "supported-single-leg-rdl",
    "single-leg-rdl",
    "push-up",
    "bench-press",
    "overhead-press",
)
REQUIRED_FAULT_IDS: tuple[str, ...] = (
    "back-rounding",
    "squatting",
    "hips-drop",
    "weight-on-toes",
    "chest-drop",
    "head-misaligned",
    "arms-initiate",
    "dowel-contact-lost",
    "knees-locked",
    "past-hamstring-tension",
    "rushed-tempo",
    "balance-loss",
    "hips-rise-early",
    "hyperextension",
)

Sources = Mapping[tuple[str, str], str]


def _where(sources: Sources, kind: str, item_id: str) -> str:
    return sources.get((kind, item_id), f"<{kind} {item_id}>")


def find_floor(exercises: Mapping[str, Exercise]) -> list[str]:
    """Hinge exercises with no regression: the floor of the ladder (there should be one)."""
    return sorted(ex.id for ex in exercises.values() if ex.is_hinge and not ex.regresses_to)


def progression_cycles(exercises: Mapping[str, Exercise]) -> list[list[str]]:
    """Each cycle along ``progresses_to``, as the ids around it (first id repeated last)."""
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in exercises[node].progresses_to:
            if nxt not in exercises:
                continue
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(exercises):
        if node not in state:
            visit(node)
    return cycles


def _check_references(cat: Catalogue, sources: Sources) -> list[CatalogueProblem]:
    problems: list[CatalogueProblem] = []
    for ex in cat.exercises.values():
        file = _where(sources, "exercise", ex.id)
        for fld in ("progresses_to", "regresses_to"):
            for target in getattr(ex, fld):
                other = cat.exercises.get(target)
                if other is None:
                    problems.append(CatalogueProblem(file, fld, f"unknown exercise {target!r}"))
                elif other.pattern is not ex.pattern:
                    problems.append(
                        CatalogueProblem(
                            file, fld, f"{target!r} is a {other.pattern} exercise, not {ex.pattern}"
                        )
                    )
                elif target == ex.id:
                    problems.append(
                        CatalogueProblem(file, fld, "an exercise cannot lead to itself")
                    )
        for fault_id in ex.faults:
            if fault_id not in cat.faults:
                problems.append(CatalogueProblem(file, "faults", f"unknown fault {fault_id!r}"))
        for mod in ex.modifiers:
            if mod not in cat.modifiers:
                problems.append(CatalogueProblem(file, "modifiers", f"unknown modifier {mod!r}"))
        if ex.superset_push is not None:
            push = cat.exercises.get(ex.superset_push)
            if push is None:
                problems.append(
                    CatalogueProblem(
                        file, "superset_push", f"unknown exercise {ex.superset_push!r}"
                    )
                )
            elif push.pattern is not Pattern.PUSH:
                problems.append(
                    CatalogueProblem(
                        file,
                        "superset_push",
                        f"{ex.superset_push!r} is a {push.pattern} exercise; a superset pairs "
                        "a hinge with a push",
                    )
                )
        for carry in ex.carryover:
            if carry.from_id not in cat.exercises:
                problems.append(
                    CatalogueProblem(file, "carryover", f"unknown exercise {carry.from_id!r}")
                )
    for fault in cat.faults.values():
        if fault.drill not in cat.exercises:
            problems.append(
                CatalogueProblem(
                    _where(sources, "fault", fault.id), "drill", f"unknown exercise {fault.drill!r}"
                )
            )
    for sign in cat.signs.values():
        for mod in sign.modifiers:
            if mod not in cat.modifiers:
                problems.append(
                    CatalogueProblem(
                        _where(sources, "sign", sign.id), "modifiers", f"unknown modifier {mod!r}"
                    )
                )
    return problems


def _check_ladder(cat: Catalogue, sources: Sources) -> list[CatalogueProblem]:
    problems: list[CatalogueProblem] = []
    hinges = {k: v for k, v in cat.exercises.items() if v.is_hinge}
    for ex in hinges.values():
        file = _where(sources, "exercise", ex.id)
        assert ex.stage is not None  # guaranteed by the schema for hinge exercises
        for target in ex.progresses_to:
            other = hinges.get(target)
            if other is not None and other.stage is not None and other.stage < ex.stage:
                problems.append(
                    CatalogueProblem(
                        file,
                        "progresses_to",
                        f"{target!r} is stage {int(other.stage)}, below this stage "
                        f"{int(ex.stage)}: progressions go up the ladder",
                    )
                )
        for target in ex.regresses_to:
            other = hinges.get(target)
            if other is not None and other.stage is not None and other.stage > ex.stage:
                problems.append(
                    CatalogueProblem(
                        file,
                        "regresses_to",
                        f"{target!r} is stage {int(other.stage)}, above this stage "
                        f"{int(ex.stage)}: regressions go down the ladder",
                    )
                )
    floors = find_floor(hinges)
    if not floors:
        problems.append(
            CatalogueProblem("<catalogue>", "", "no hinge exercise is the floor of the ladder")
        )
    elif len(floors) > 1:
        # The floor is the lowest-stage rung without a regression; every other one needs one.
        floor = min(floors, key=lambda i: (hinges[i].stage, i))
        for extra in floors:
            if extra != floor:
                problems.append(
                    CatalogueProblem(
                        _where(sources, "exercise", extra),
                        "regresses_to",
                        f"has no regression; only the floor ({floor!r}) may have none",
                    )
                )
        floors = [floor]
    for cycle in progression_cycles(hinges):
        problems.append(
            CatalogueProblem(
                _where(sources, "exercise", cycle[0]),
                "progresses_to",
                "progressions run in a cycle: " + " -> ".join(cycle),
            )
        )
    if floors:
        seen = set(floors)
        todo = list(floors)
        while todo:
            for nxt in hinges[todo.pop()].progresses_to:
                if nxt in hinges and nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        unreachable = set(hinges) - seen
        # Report the lowest unreachable rungs, not every rung above them too.
        above = {t for u in unreachable for t in hinges[u].progresses_to if t in unreachable}
        roots = sorted(unreachable - above) or sorted(unreachable)
        for ex_id in roots:
            message = f"cannot be reached from the floor ({floors[0]!r}) by progressions"
            carried = _above(hinges, ex_id) & unreachable
            if carried:
                message += f" (nor can the {len(carried)} rungs above it)"
            problems.append(
                CatalogueProblem(_where(sources, "exercise", ex_id), "progresses_to", message)
            )
    return problems


def _above(hinges: Mapping[str, Exercise], start: str) -> set[str]:
    """Every rung reachable from ``start`` by progressions, ``start`` itself excluded."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in hinges[todo.pop()].progresses_to:
            if nxt in hinges and nxt not in seen and nxt != start:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _check_required(cat: Catalogue) -> list[CatalogueProblem]:
    problems: list[CatalogueProblem] = []
    for ex_id in REQUIRED_EXERCISE_IDS:
        if ex_id not in cat.exercises:
            problems.append(CatalogueProblem("exercises/", ex_id, "required exercise is missing"))
    for fault_id in REQUIRED_FAULT_IDS:
        if fault_id not in cat.faults:
            problems.append(CatalogueProblem("faults/", fault_id, "required fault is missing"))
    for sign in RegressionSign:
        if sign.value not in cat.signs:
            problems.append(CatalogueProblem("signs.yaml", sign.value, "required sign is missing"))
    return problems


def _check_aliases(cat: Catalogue, sources: Sources) -> list[CatalogueProblem]:

    problems: list[CatalogueProblem] = []
    owner: dict[str, str] = {}
    for ex in cat.exercises.values():
        for name in {ex.id, ex.name, *ex.aliases}:
            key = normalise(name)
            if key in owner and owner[key] != ex.id:
                problems.append(
                    CatalogueProblem(
                        _where(sources, "exercise", ex.id),
                        "aliases",
                        f"{name!r} also names {owner[key]!r}",
                    )
                )
            owner.setdefault(key, ex.id)
    return problems


def check_graph(cat: Catalogue, sources: Sources) -> list[CatalogueProblem]:
    """Every graph and reference problem of the catalogue (R-CAT-3), none raised."""
    return (
        _check_references(cat, sources)
        + _check_ladder(cat, sources)
        + _check_required(cat)
        + _check_aliases(cat, sources)
    )
