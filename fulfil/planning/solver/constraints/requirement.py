"""Sessions planned for a line add up, and never exceed what is due plus what is owed.

Planning beyond the statutory requirement would spend scarce time on a child whose plan is
already met while another's is not; extra sessions are a clinical decision, not the planner's.
"""

from __future__ import annotations

from fulfil.planning.solver.variables import PlanVariables


def apply(v: PlanVariables) -> None:
    for need in v.needs:
        total = sum(v.sessions_with(need.id, t.id) for t in v.therapists_for[need.id])
        v.model.add(v.planned[need.id] == total)
        v.model.add(v.planned[need.id] <= need.required)
