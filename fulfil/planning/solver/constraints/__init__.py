"""The rules a term plan must keep, one module each, each with `apply(variables)`.

`ALL` lists them in the order `model.build_model` applies them. Each module's docstring says the
rule in words; `validate.py` checks the same rules on a finished plan, week by week.
"""

from fulfil.planning.solver.constraints import (
    assignment,
    availability,
    capacity,
    coverage,
    groups,
    requirement,
    settings_per_day,
    working_days,
)

ALL = (coverage, working_days, availability, assignment, requirement, groups, capacity, settings_per_day)

__all__ = ["ALL", "assignment", "availability", "capacity", "coverage", "groups", "requirement", "settings_per_day",
           "working_days"]
