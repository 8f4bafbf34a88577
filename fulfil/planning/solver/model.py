"""Assemble the CP-SAT model of one term (or one part of it): the variables container plus
every rule in `constraints.ALL`. Objectives are added by `solve.py`, stage by stage, after the
LP bound has been taken from exactly this model."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from fulfil.planning.solver import constraints, objectives
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
        return len(v.one_to_one) + len(v.group) + len(v.visit_weeks) + len(v.meetings)

    def contacts(self) -> dict[int, float]:
        """Sessions planned over all lines, as {variable index: coefficient} for the LP bound."""
        return {var.index: 1.0 for var in self.variables.planned.values()}


def build_model(instance: TermInstance, *, prune: bool = True) -> BuiltModel:
    model = cp_model.CpModel()
    variables = PlanVariables(instance, model, prune=prune)
    for rule in constraints.ALL:
        rule.apply(variables)
    # The reward's pieces are variables too; they exist before the LP is taken so the same LP
    # can be re-solved for the reward (to guide the start plan).
    objectives.fair_contacts.add_pieces(variables)
    return BuiltModel(instance, model, variables)
