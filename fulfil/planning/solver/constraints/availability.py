"""Sessions happen only at a visit, at most one per child per visit a week, and only in weeks
the therapist can actually go (weekday open that week, not on leave).

A weekly visit on weekday d is held in the therapist's usable weeks for d; over the term a child
can get at most that many sessions from it. This one inequality also switches the visit on
whenever a child is seen there (which is what makes the visit count in the travel objective),
and it is a strong cut for the LP bound: a line needing k sessions forces at least k/usable of
a visit, so the bound pays travel too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fulfil.planning.solver.variables import PlanVariables


def apply(v: PlanVariables) -> None:
    for (therapist_id, day, _setting_id), visit in v.visit.items():
        if v.usable(therapist_id, day) == 0:
            v.model.add(visit == 0)
    for (need_id, therapist_id, day) in v.one_to_one:
        setting_id = v.instance.need_by_id[need_id].setting_id
        weeks = v.usable(therapist_id, day)
        v.model.add(v.sessions(need_id, therapist_id, day) <= weeks * v.visit[therapist_id, day, setting_id])
