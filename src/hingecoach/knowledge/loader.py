"""Read catalogue directories, validate them, and keep the result (R-CAT-1, R-CAT-3).

A catalogue directory holds::

    exercises/<id>.yaml   one exercise a file (the file's stem is its id)
    faults/<id>.yaml      one fault a file
    signs.yaml            a list of regression signs
    modifiers.yaml        a list of regression modifiers

The built-in directory ships inside the package. A coach's own directories (``--catalogue
PATH`` or ``HINGECOACH_CATALOGUE``, several joined with ``:``) are laid over it: an item
with the same id replaces the built-in one, a new id is added. Every problem in every file
is collected and reported at once, with file and field, before anything is used.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from hingecoach.errors import CatalogueError, CatalogueProblem
from hingecoach.knowledge.graph import check_graph
from hingecoach.knowledge.schema import Catalogue, Exercise, Fault, Modifier, Sign

__all__ = [
    "ENV_CATALOGUE",
    "builtin_catalogue_dir",
    "catalogue_dirs_from_env",
    "load_catalogue",
    "validate_catalogue_dirs",
]

ENV_CATALOGUE = "HINGECOACH_CATALOGUE"

# libyaml's safe loader when the wheel has it (10x faster), else the pure-Python one.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

M = TypeVar("M", bound=BaseModel)
PerFile = TypeVar("PerFile", Exercise, Fault)
PerList = TypeVar("PerList", Sign, Modifier)


def builtin_catalogue_dir() -> Path:
    """The catalogue shipped inside the package."""
    return Path(str(resources.files("hingecoach.knowledge") / "data"))


def catalogue_dirs_from_env() -> list[Path]:
    """Extra catalogue directories named by ``HINGECOACH_CATALOGUE`` (``:``-separated)."""
    raw = os.environ.get(ENV_CATALOGUE, "")
    return [Path(part) for part in raw.split(os.pathsep) if part.strip()]


@dataclass
class _Parts:
    """Items read so far, each with the file it came from (for problem reports)."""

    exercises: dict[str, Exercise] = field(default_factory=dict)
    faults: dict[str, Fault] = field(default_factory=dict)
    signs: dict[str, Sign] = field(default_factory=dict)
    modifiers: dict[str, Modifier] = field(default_factory=dict)
    sources: dict[tuple[str, str], str] = field(default_factory=dict)
    problems: list[CatalogueProblem] = field(default_factory=list)


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _read_yaml(path: Path, parts: _Parts) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        parts.problems.append(CatalogueProblem(_display(path), where, f"not valid YAML: {exc}"))
    except OSError as exc:
        parts.problems.append(CatalogueProblem(_display(path), "", f"cannot be read: {exc}"))
    return None


def _validate(model: type[M], data: Any, file: str, prefix: str, parts: _Parts) -> M | None:
    if not isinstance(data, dict):
        kind = type(data).__name__
        parts.problems.append(CatalogueProblem(file, prefix, f"expected a mapping, got {kind}"))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            where = f"{prefix}.{loc}" if prefix and loc else (prefix or loc)
            parts.problems.append(CatalogueProblem(file, where, err["msg"]))
        return None


def _add(
    kind: str, table: dict[str, Any], item: Any, file: str, seen: dict[str, str], parts: _Parts
) -> None:
    """Add one item; a second item with the same id in the same directory is a problem."""
    if item.id in seen:
        parts.problems.append(
            CatalogueProblem(
                file, "id", f"duplicate {kind} id {item.id!r} (also in {seen[item.id]})"
            )
        )
        return
    seen[item.id] = file
    table[item.id] = item
    parts.sources[(kind, item.id)] = file


def _read_one_per_file(
    kind: str, model: type[PerFile], folder: Path, table: dict[str, PerFile], parts: _Parts
) -> None:
    if not folder.is_dir():
        return
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.y*ml")):
        file = _display(path)
        item = _validate(model, _read_yaml(path, parts), file, "", parts)
        if item is None:
            continue
        if path.stem != item.id:
            parts.problems.append(
                CatalogueProblem(file, "id", f"id {item.id!r} does not match the file name")
            )
        _add(kind, table, item, file, seen, parts)


def _read_list_file(
    kind: str, model: type[PerList], path: Path, table: dict[str, PerList], parts: _Parts
) -> None:
    if not path.is_file():
        return
    file = _display(path)
    data = _read_yaml(path, parts)
    if data is None:
        return
    if not isinstance(data, list):
        parts.problems.append(CatalogueProblem(file, "", "expected a list of entries"))
        return
    seen: dict[str, str] = {}
    for index, entry in enumerate(data):
        item = _validate(model, entry, file, f"[{index}]", parts)
        if item is not None:
            _add(kind, table, item, f"{file}[{index}]", seen, parts)


def _read_dir(directory: Path, parts: _Parts) -> None:
    if not directory.is_dir():
        parts.problems.append(
            CatalogueProblem(_display(directory), "", "is not a directory of catalogue files")
        )
        return
    _read_one_per_file("exercise", Exercise, directory / "exercises", parts.exercises, parts)
    _read_one_per_file("fault", Fault, directory / "faults", parts.faults, parts)
    _read_list_file("sign", Sign, directory / "signs.yaml", parts.signs, parts)
    _read_list_file("modifier", Modifier, directory / "modifiers.yaml", parts.modifiers, parts)


def _build(dirs: Iterable[Path]) -> tuple[Catalogue, list[CatalogueProblem]]:
    """Read each directory over the previous ones, then run the graph checks."""
    merged = _Parts()
    for directory in dirs:
        layer = _Parts()
        _read_dir(directory, layer)
        merged.problems.extend(layer.problems)
        merged.exercises.update(layer.exercises)
        merged.faults.update(layer.faults)
        merged.signs.update(layer.signs)
        merged.modifiers.update(layer.modifiers)
        merged.sources.update(layer.sources)
    catalogue = Catalogue(
        exercises=dict(sorted(merged.exercises.items())),
        faults=dict(sorted(merged.faults.items())),
        signs=merged.signs,
        modifiers=merged.modifiers,
    )
    problems = merged.problems + check_graph(catalogue, merged.sources)
    return catalogue, problems


def validate_catalogue_dirs(
    dirs: Sequence[Path], *, over_builtin: bool = True
) -> list[CatalogueProblem]:
    """Every problem in ``dirs`` (laid over the built-in catalogue unless told otherwise)."""
    layers = [builtin_catalogue_dir(), *dirs] if over_builtin else list(dirs)
    _, problems = _build(layers)
    return problems


@lru_cache(maxsize=8)
def _load_cached(dirs: tuple[Path, ...]) -> Catalogue:
    catalogue, problems = _build((builtin_catalogue_dir(), *dirs))
    if problems:
        raise CatalogueError(problems)
    return catalogue


def load_catalogue(extra_dirs: Sequence[Path] | None = None) -> Catalogue:
    """The validated catalogue: built-in data plus the coach's own directories.

    ``extra_dirs`` defaults to ``HINGECOACH_CATALOGUE``. Read once per set of directories
    and cached; raises :class:`CatalogueError` listing every problem.
    """
    dirs = catalogue_dirs_from_env() if extra_dirs is None else list(extra_dirs)
    return _load_cached(tuple(p.resolve() for p in dirs))
