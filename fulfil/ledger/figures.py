"""The shortfall figures for one discipline: shared by the page (ORM) and the national path
(numpy), so both report the same fields. No Django here."""

from __future__ import annotations

from dataclasses import dataclass

from fulfil.core.disciplines import DISCIPLINE_LABELS

__all__ = ["DISCIPLINE_LABELS", "DisciplineFigures"]


@dataclass
class DisciplineFigures:
    discipline: str
    label: str
    children_with_provision: int = 0
    fully_delivered: int = 0
    short: int = 0
    received_none: int = 0
    due: float = 0.0
    delivered_within_due: float = 0.0
    owed_hours: float = 0.0
    owed_cost: float = 0.0

    @property
    def pct_contacts_delivered(self) -> float | None:
        return round(100 * self.delivered_within_due / self.due, 1) if self.due >= 0.5 else None
