"""A therapist only visits on a weekday they work, and only when the setting is open that
weekday (part-time nurseries and colleges close some days)."""

from __future__ import annotations

from fulfil.planning.solver.rules import works
from fulfil.planning.solver.variables import PlanVariables


def apply(v: PlanVariables) -> None:
    for (therapist_id, day, setting_id), weeks in v.visit_weeks.items():
        if not works(v.instance, v.instance.therapist_by_id[therapist_id], day, setting_id):
            v.model.add(weeks == 0)
