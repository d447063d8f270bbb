"""Training history from other apps: Strong, Hevy and FitNotes CSV exports, in and out.

Pure code (no database, no web): :func:`read_rows` reads a file into sets,
:func:`plan_import` maps names and checks everything before anything is written, and
:func:`strong_csv` writes sessions back out in Strong's format.
"""

from hingecoach.importers.build import ImportedSession, ImportPlan, plan_import
from hingecoach.importers.formats import HistoryFormat, detect_format, read_rows
from hingecoach.importers.names import OTHER_TRAINING, NameMap, builtin_names
from hingecoach.importers.rows import SetKind, SourceSet, Unit
from hingecoach.importers.strong_export import strong_csv

__all__ = [
    "OTHER_TRAINING",
    "HistoryFormat",
    "ImportPlan",
    "ImportedSession",
    "NameMap",
    "SetKind",
    "SourceSet",
    "Unit",
    "builtin_names",
    "detect_format",
    "plan_import",
    "read_rows",
    "strong_csv",
]
