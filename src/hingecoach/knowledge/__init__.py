"""What the coach knows: the exercise catalogue, its faults, signs and modifiers (R-CAT).

Every text in the catalogue data is written for the trainee in plain words and in this
project's own wording (R-CAT-5; a test checks that no run of eight words is copied from
the seed articles).
"""

from hingecoach.knowledge.graph import REQUIRED_EXERCISE_IDS, REQUIRED_FAULT_IDS, check_graph
from hingecoach.knowledge.loader import (
    ENV_CATALOGUE,
    builtin_catalogue_dir,
    catalogue_dirs_from_env,
    load_catalogue,
    validate_catalogue_dirs,
)
from hingecoach.knowledge.lookup import find_exercise, find_fault, ladder_by_stage, normalise
from hingecoach.knowledge.schema import (
    Catalogue,
    DoseMode,
    Equipment,
    Exercise,
    Fault,
    Graduation,
    LoadMode,
    Modifier,
    ModifierKind,
    Pattern,
    RegressionSign,
    Sign,
    SingleLeg,
    Stage,
    Tempo,
)

__all__ = [
    "ENV_CATALOGUE",
    "REQUIRED_EXERCISE_IDS",
    "REQUIRED_FAULT_IDS",
    "Catalogue",
    "DoseMode",
    "Equipment",
    "Exercise",
    "Fault",
    "Graduation",
    "LoadMode",
    "Modifier",
    "ModifierKind",
    "Pattern",
    "RegressionSign",
    "Sign",
    "SingleLeg",
    "Stage",
    "Tempo",
    "builtin_catalogue_dir",
    "catalogue_dirs_from_env",
    "check_graph",
    "find_exercise",
    "find_fault",
    "ladder_by_stage",
    "load_catalogue",
    "normalise",
    "validate_catalogue_dirs",
]
