"""R-PLAN-1 when a session is logged: a hinge session under 48 h from another one is
saved only once the person confirms it (the web asks, the CLI asks or wants
``--confirm-spacing``, the API answers 409 unless ``confirm_spacing=true``)."""

from __future__ import annotations

from sqlalchemy import Engine

from hingecoach.coach import Session
from hingecoach.coach.spacing import SpacingWarning, check_spacing
from hingecoach.errors import ConflictError
from hingecoach.knowledge import Catalogue
from hingecoach.services.coaching import HISTORY_WINDOW
from hingecoach.services.uow import UnitOfWork

__all__ = ["SpacingNotConfirmedError", "require_spacing", "spacing_warning"]


class SpacingNotConfirmedError(ConflictError):
    """A hinge session under 48 h from another, not confirmed (409 in the API)."""

    def __init__(self, warning: SpacingWarning, how_to_confirm: str) -> None:
        super().__init__(f"{warning.message} To log it, {how_to_confirm}.")
        self.warning = warning


def spacing_warning(
    engine: Engine, name: str, session: Session, catalogue: Catalogue
) -> SpacingWarning | None:
    """The R-PLAN-1 warning for logging ``session`` now, or None."""
    with UnitOfWork(engine) as uow:
        stored = uow.sessions.sessions(uow.trainees.get(name), last=HISTORY_WINDOW)
    return check_spacing(stored, session, catalogue)


def require_spacing(
    engine: Engine,
    name: str,
    session: Session,
    catalogue: Catalogue,
    *,
    confirmed: bool,
    how_to_confirm: str,
) -> None:
    """Refuse an unconfirmed hinge session under 48 h from another (R-PLAN-1)."""
    if confirmed:
        return
    warning = spacing_warning(engine, name, session, catalogue)
    if warning is not None:
        raise SpacingNotConfirmedError(warning, how_to_confirm)
