"""Exercise names from other apps, mapped to catalogue ids (``data/exercise-names.yaml``).

Apps name a lift with an equipment suffix in brackets ("Deadlift (Barbell)", "Romanian
Deadlift (Dumbbell)"). A name is tried as written, then with the suffix in front
("barbell deadlift"), then without a suffix that does not change the lift. Catalogue names
and aliases always map; a person's own mapping file comes first. A name that maps nowhere is
other training (``None``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from hingecoach.errors import InputError
from hingecoach.knowledge import Catalogue, normalise

__all__ = ["OTHER_TRAINING", "NameMap", "builtin_names"]

OTHER_TRAINING = "other-training"
_SUFFIX = re.compile(r"^(?P<base>.*?)\s*\((?P<suffix>[^()]*)\)\s*$")


@dataclass(frozen=True)
class NameMap:
    """Normalised name -> exercise id; ``same_lift`` suffixes may be dropped."""

    ids: dict[str, str]
    same_lift: frozenset[str] = field(default_factory=frozenset)

    def exercise_id(self, name: str) -> str | None:
        """The catalogue id for an app's exercise name, or ``None`` (other training)."""
        for key in self._candidates(name):
            found = self.ids.get(key)
            if found is not None:
                return found
        return None

    def _candidates(self, name: str) -> list[str]:
        keys = [normalise(name)]
        match = _SUFFIX.match(name.strip())
        if match:
            base, suffix = normalise(match["base"]), normalise(match["suffix"])
            keys += [f"{suffix} {base}", f"{base} {suffix}"]
            if suffix in self.same_lift:
                keys.append(base)
        return keys

    def with_user_names(
        self, names: Mapping[str, str], catalogue: Catalogue, source: str
    ) -> NameMap:
        """Add a person's own names (``{"Name in the app": "exercise-id"}``), which win."""
        ids = dict(self.ids)
        for name, exercise_id in names.items():
            if exercise_id != OTHER_TRAINING and exercise_id not in catalogue.exercises:
                raise InputError(
                    f"{source}: {name!r} maps to {exercise_id!r}, which is not an exercise id; "
                    "see `hingecoach catalogue list`"
                )
            ids[normalise(name)] = exercise_id
        return NameMap(ids, self.same_lift)


def _read_builtin() -> dict[str, Any]:
    import yaml

    text = (resources.files("hingecoach.importers") / "data" / "exercise-names.yaml").read_text(
        encoding="utf-8"
    )
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def builtin_names(catalogue: Catalogue) -> NameMap:
    """The shipped names plus every catalogue name and alias."""
    data = _read_builtin()
    ids: dict[str, str] = {}
    for ex in catalogue.exercises.values():
        if ex.id == OTHER_TRAINING:
            continue
        for name in (ex.id, ex.name, *ex.aliases):
            ids.setdefault(normalise(name), ex.id)
    for exercise_id, names in data["names"].items():
        if exercise_id not in catalogue.exercises:
            continue  # a trimmed catalogue: those names stay other training
        for name in names:
            ids[normalise(name)] = exercise_id
    same = frozenset(normalise(s) for s in data["same_lift_suffixes"])
    return NameMap(ids, same)
