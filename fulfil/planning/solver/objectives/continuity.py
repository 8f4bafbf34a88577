"""Objective 2: keep each child with their current therapist.

Counted per line seen by the therapist it already has; a line with no current therapist (a new
plan) or whose therapist is not in this part of the area scores nothing either way.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from fulfil.planning.solver.variables import PlanVariables


def expression(v: PlanVariables) -> cp_model.LinearExprT:
    kept = [v.assign[need.id, need.current_therapist_id] for need in v.needs
            if need.current_therapist_id is not None and (need.id, need.current_therapist_id) in v.assign]
    return sum(kept)
