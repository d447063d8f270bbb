"""The decision log a page at a time, newest first, with the corrections that made or
replaced each decision (so a person sees why the coach decided again)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from hingecoach.services.corrections import Correction, corrections_by_decision
from hingecoach.services.uow import UnitOfWork
from hingecoach.store.records import DecisionRecord

__all__ = ["DecisionPage", "decision_page"]


@dataclass(frozen=True)
class DecisionPage:
    items: tuple[DecisionRecord, ...]
    corrections: dict[int, Correction]  # by the id of a decision a correction made or replaced
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def decision_page(engine: Engine, name: str, page: int, per_page: int) -> DecisionPage:
    page = max(1, page)
    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.get(name)
        records, total = uow.decisions.page(trainee, offset=(page - 1) * per_page, limit=per_page)
        for record in records:
            _ = list(record.overrides)  # load before the session closes
    found = corrections_by_decision(engine, name, [r.id for r in records])
    return DecisionPage(tuple(records), found, total, page, per_page)
