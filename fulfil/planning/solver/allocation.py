"""Who sees which child, how, and on which weekday, in term totals: the decision the CP-SAT
model (and its LP-guided start) produce, before it is laid out week by week in a `Diary`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Allocation:
    """`sessions[(need id, weekday)]` is how many sessions the need gets over the term on that
    weekday, with its therapist, at its own setting (at most one a week). `patterns[(therapist,
    weekday)]` says in how many weeks that day is spent at each setting alone or at each pair of
    settings (morning and afternoon), as the model decided."""

    therapist: dict[str, str] = field(default_factory=dict)
    in_group: dict[str, bool] = field(default_factory=dict)
    sessions: dict[tuple[str, int], int] = field(default_factory=dict)
    patterns: dict[tuple[str, int], dict[tuple[str, ...], int]] = field(default_factory=dict)

    def planned(self, need_id: str) -> int:
        return sum(count for (need, _day), count in self.sessions.items() if need == need_id)

    def add(self, need_id: str, therapist_id: str, weekday: int, count: int, *, group: bool) -> None:
        if count <= 0:
            return
        if self.therapist.setdefault(need_id, therapist_id) != therapist_id:
            raise ValueError(f"need {need_id} already has therapist {self.therapist[need_id]}")
        self.in_group[need_id] = group
        self.sessions[need_id, weekday] = self.sessions.get((need_id, weekday), 0) + count

    def update(self, other: Allocation) -> None:
        """Fold in the allocation of another (disjoint) part of the area."""
        self.therapist.update(other.therapist)
        self.in_group.update(other.in_group)
        self.sessions.update(other.sessions)
        self.patterns.update(other.patterns)
