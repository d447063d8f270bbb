"""``python -m hingecoach``: the same as the ``hingecoach`` command."""

from hingecoach.cli import main

main()
