"""Objective 3: fewest setting visits (travel), counted as visits over the term: a weekly
visit pattern on weekday d costs one journey in each week it can be held."""

from __future__ import annotations

from ortools.sat.python import cp_model

from fulfil.planning.solver.variables import PlanVariables


def expression(v: PlanVariables) -> cp_model.LinearExprT:
    return sum(v.usable(therapist_id, day) * visit for (therapist_id, day, _setting), visit in v.visit.items())
