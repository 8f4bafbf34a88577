"""Each line has at most one therapist for the term, and a line is only assigned to a therapist
who actually sees the child.

Continuity of care is a clinical principle (the same clinician builds the relationship and knows
the targets), and `assignments` in the plan is what the service sends out; a child split between
two clinicians in one term would need two sets of notes and two parents' conversations.
"""

from __future__ import annotations

from fulfil.planning.solver.variables import PlanVariables


def apply(v: PlanVariables) -> None:
    for need in v.needs:
        therapists = v.therapists_for[need.id]
        v.model.add(sum(v.assign[need.id, t.id] for t in therapists) <= 1)
        for therapist in therapists:
            assigned = v.assign[need.id, therapist.id]
            seen = v.sessions_with(need.id, therapist.id)
            v.model.add(seen <= need.required * assigned)
            v.model.add(assigned <= seen)
