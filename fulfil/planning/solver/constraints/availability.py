"""Visits are held only in weeks the therapist can go, and a child has at most one session a
week at a visit, so never more sessions there than the weeks it is held.

A weekday's usable weeks for a therapist are the term's weeks in which that weekday is open and
they are not on leave (`TermInstance.usable_weeks`). The second inequality also ties the visit
to the children seen in it, which is what makes a visit count in the travel objective; in the LP
bound it is a strong cut: a line needing k sessions keeps k weeks of visits, journeys included.
"""

from __future__ import annotations

from fulfil.planning.solver.variables import PlanVariables


def apply(v: PlanVariables) -> None:
    for (therapist_id, day, _setting_id), weeks in v.visit_weeks.items():
        v.model.add(weeks <= v.usable(therapist_id, day))
    for (need_id, therapist_id, day) in v.one_to_one:
        setting_id = v.instance.need_by_id[need_id].setting_id
        v.model.add(v.sessions(need_id, therapist_id, day) <= v.visit_weeks[therapist_id, day, setting_id])
