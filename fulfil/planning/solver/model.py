"""Assemble the CP-SAT model of one term (or one part of it): the variables container plus
every rule in `constraints.ALL`. Objectives are added by `solve.py`, stage by stage, after the
LP bound has been taken from exactly this model."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from fulfil.planning.solver import constraints
from fulfil.planning.solver.schema import TermInstance
from fulfil.planning.solver.variables import PlanVariables


@dataclass
class BuiltModel:
    instance: TermInstance
    model: cp_model.CpModel
    variables: PlanVariables

    @property
    def size(self) -> int:
        """A rough measure of search effort, used to share the time limit between parts."""
        v = self.variables
        return len(v.one_to_one) + len(v.group) + len(v.visit) + len(v.lanes) + len(v.group_lanes)

    def contacts(self) -> dict[int, float]:
        """Sessions planned over all lines, as {variable index: coefficient} for the LP bound."""
        return {var.index: 1.0 for var in self.variables.planned.values()}


def build_model(instance: TermInstance) -> BuiltModel:
    model = cp_model.CpModel()
    variables = PlanVariables(instance, model)
    for rule in constraints.ALL:
        rule.apply(variables)
    return BuiltModel(instance, model, variables)
