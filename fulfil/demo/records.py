"""What the area generator and its statutory processes share: the area's specification, the ids
and counts a run hands out, and `Area`, the part of the generator `fulfil.demo.statutory` reads.

Both `generator.py` and `statutory.py` import this module and neither imports the other's
internals for its types: the generator builds a `StatutoryGenerator` and hands it itself.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

from fulfil.demo.need_mix import SUTTON_PLANS_BY_NEED


@dataclass
class AreaSpec:
    name: str
    la_number: int
    ons_code: str
    region: str
    children_with_plans: int = 2600
    sen_support_children: int = 900
    postcode_prefix: str = "SM"
    need_counts: dict[str, int] = field(default_factory=lambda: dict(SUTTON_PLANS_BY_NEED))
    with_users: bool = True

    @property
    def scale(self) -> float:
        return self.children_with_plans / 2600


class Ids:
    """Primary keys handed out by the generator, so rows can be streamed before they are
    stored and the same run always gives the same ids."""

    def __init__(self, start: dict[str, int] | None = None) -> None:
        self._next: defaultdict[str, int] = defaultdict(lambda: 1, start or {})

    def __call__(self, table: str) -> int:
        value = self._next[table]
        self._next[table] = value + 1
        return value


@dataclass
class GenerationStats:
    rows: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # Exceptions to statutory timescales: counted here; their rows (no id, no `recorded_by`) wait
    # for a user to have recorded them (`fulfil.demo.services.demo_users_create`).
    exceptions: int = 0
    exceptions_to_record: list[dict[str, Any]] = field(default_factory=list)


class Area(Protocol):
    """What the statutory processes read of the area being generated (`AreaGenerator` is one):
    its spec, day and ids, where rows go, its providers and therapists (rows as dicts), and the
    dates of the OT shortage."""

    PLAN_NEWEST_DAYS: int
    spec: AreaSpec
    today: dt.date
    ids: Ids
    stats: GenerationStats
    area_id: int
    providers: dict[str, int]
    therapists: dict[str, list[dict[str, Any]]]
    cover: dict[tuple[int, str], list[dict[str, Any]]]
    ot_left: dict[str, Any]
    ot_on_leave: dict[str, Any]
    squeeze_from: dt.date
    squeeze_to: dt.date

    def plan_age_days(self, age: int) -> tuple[int, int]: ...

    def emit(self, table: str, row: dict[str, Any]) -> None: ...

    def stamp(self, row: dict[str, Any]) -> dict[str, Any]: ...
