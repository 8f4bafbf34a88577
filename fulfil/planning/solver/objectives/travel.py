"""Objective 3: fewest setting visits (travel), counted as visits over the term: the weeks each
visit is held, summed."""

from __future__ import annotations

from ortools.sat.python import cp_model

from fulfil.planning.solver.variables import PlanVariables


def expression(v: PlanVariables) -> cp_model.LinearExprT:
    return sum(v.visit_weeks.values())
