"""The package's public surface: __all__ is honest and importing it is cheap."""

from __future__ import annotations

import subprocess
import sys

import hingecoach
from hingecoach import errors


def test_every_name_in_all_resolves() -> None:
    for name in hingecoach.__all__:
        assert getattr(hingecoach, name) is not None, name


def test_every_lazy_export_is_in_all() -> None:
    assert set(hingecoach._EXPORTS) | {"__version__"} == set(hingecoach.__all__)


def test_errors_form_one_tree() -> None:
    for name in errors.__all__:
        obj = getattr(errors, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, errors.HingecoachError), name


def test_import_does_no_heavy_work() -> None:
    """No pydantic, YAML, Rich or catalogue at `import hingecoach` or the CLI's import."""
    code = (
        "import sys, hingecoach, hingecoach.cli;"
        "heavy = {'pydantic', 'yaml', 'rich', 'numpy', 'sqlalchemy', 'cv2', 'mediapipe'};"
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
