"""A therapist only sees children at settings they cover.

Coverage is the service's allocation of schools to clinicians (the link therapist and their
cover); planning outside it would produce visits nobody has agreed to.
"""

from __future__ import annotations

from fulfil.planning.solver.rules import covers
from fulfil.planning.solver.variables import PlanVariables


def apply(v: PlanVariables) -> None:
    therapists = v.instance.therapist_by_id
    for (need_id, therapist_id), assigned in v.assign.items():
        if not covers(therapists[therapist_id], v.instance.need_by_id[need_id].setting_id):
            v.model.add(assigned == 0)
    for (therapist_id, _day, setting_id), weeks in v.visit_weeks.items():
        if not covers(therapists[therapist_id], setting_id):
            v.model.add(weeks == 0)
