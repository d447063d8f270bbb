"""The ``hingecoach`` command line (Typer).

Heavy modules are imported inside the commands that need them, so ``hingecoach --help``
starts instantly. Any :class:`~hingecoach.errors.HingecoachError` becomes one clear line on
stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``hingecoach`` script."""
    from hingecoach.cli.app import app
    from hingecoach.errors import HingecoachError

    try:
        app(args=argv, prog_name="hingecoach")
    except HingecoachError as exc:
        from hingecoach.cli.output import print_error

        print_error(str(exc))
        sys.exit(exc.exit_code)
    except Exception as exc:
        from sqlalchemy.exc import DatabaseError

        if not isinstance(exc, DatabaseError):
            raise
        from hingecoach.cli.output import print_error
        from hingecoach.errors import StoreError

        # a page damaged past what the check on opening found: still one line, exit 4
        print_error(f"the database could not be read ({exc.orig}); restore it from a backup")
        sys.exit(StoreError.exit_code)
