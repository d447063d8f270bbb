"""hingecoach: a coach for the hip hinge.

The public API is re-exported here and loaded lazily, so ``import hingecoach`` (and the
command line's ``--help``) stays instant: nothing heavy is imported until it is used.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# name -> module that defines it
_EXPORTS: dict[str, str] = {
    "HingecoachError": "hingecoach.errors",
    "InputError": "hingecoach.errors",
    "UnknownIdError": "hingecoach.errors",
    "CatalogueError": "hingecoach.errors",
    "CatalogueProblem": "hingecoach.errors",
    "Catalogue": "hingecoach.knowledge",
    "Exercise": "hingecoach.knowledge",
    "Fault": "hingecoach.knowledge",
    "Modifier": "hingecoach.knowledge",
    "Sign": "hingecoach.knowledge",
    "Stage": "hingecoach.knowledge",
    "load_catalogue": "hingecoach.knowledge",
    "find_exercise": "hingecoach.knowledge",
    "validate_catalogue_dirs": "hingecoach.knowledge",
}

__all__ = [
    "Catalogue",
    "CatalogueError",
    "CatalogueProblem",
    "Exercise",
    "Fault",
    "HingecoachError",
    "InputError",
    "Modifier",
    "Sign",
    "Stage",
    "UnknownIdError",
    "__version__",
    "find_exercise",
    "load_catalogue",
    "validate_catalogue_dirs",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'hingecoach' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
