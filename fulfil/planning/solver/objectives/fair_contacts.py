"""Objective 1: statutory contacts, delivered fairly.

Every line's reward is concave in the sessions it gets, in three pieces:

- its first session earns `FIRST` (100) points,
- sessions 2 .. half its requirement earn `EARLY` (3) points each,
- the rest earn `LATER` (2) points each,

all multiplied by the line's priority (100..200, see `priority`). A first session is worth at
least 100 x 100 = 10,000 points and any later session at most 200 x 3 = 600, so one child's first
session outweighs 16 top-up sessions elsewhere: more than one session's minutes can buy even in
groups of four with the longest sessions at twice the shortest. So no child is left at zero
while the minutes that could reach them go to someone else's second session. Between top-ups the
children furthest behind (highest share of their requirement owed from earlier terms) and those
with the earliest deadline (e.g. an annual review) come first, and half a requirement for
everyone comes before the whole of it for some.

Maximising this is not quite maximising contacts: it may give a 60-minute first session rather
than two 30-minute top-ups. The benchmark reports contacts against the bound on contacts so the
price of fairness is visible.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from fulfil.planning.solver.schema import Need, TermInstance
from fulfil.planning.solver.variables import PlanVariables, segment_caps

FIRST, EARLY, LATER = 100, 3, 2
BASE_PRIORITY, BEHIND_WEIGHT, DEADLINE_WEIGHT = 100, 60, 40


def priority(need: Need, instance: TermInstance) -> int:
    """100 for a line with nothing owed and no deadline this term, up to 200.

    Up to +60 for being behind: the share of this term's requirement that is owed from earlier
    terms (owed / (due + owed), which orders lines exactly as owed / due does, without dividing
    by zero when nothing new is due). Up to +40 for a deadline in (or before) the term: the
    earlier the week, the more.
    """
    behind = need.sessions_owed / need.required if need.required else 0.0
    urgency = 0.0
    if need.deadline_week is not None and instance.weeks:
        first, last = instance.week_indices[0], instance.week_indices[-1]
        if need.deadline_week <= last:
            urgency = 1.0 if last == first else min(1.0, max(0.0, (last - need.deadline_week) / (last - first)))
    return BASE_PRIORITY + round(BEHIND_WEIGHT * behind) + round(DEADLINE_WEIGHT * urgency)


def reward(need: Need, sessions: int, instance: TermInstance) -> int:
    """The points a line earns for `sessions` sessions (the same function the model optimises)."""
    early_cap, _later_cap = segment_caps(need)
    first = min(sessions, 1)
    early = min(sessions - first, early_cap)
    later = sessions - first - early
    return priority(need, instance) * (FIRST * first + EARLY * early + LATER * later)


def expression(v: PlanVariables) -> cp_model.LinearExprT:
    """Create the reward pieces of every line and return the total reward to maximise.

    The pieces are not ordered by constraints: their weights fall, so an optimal (indeed any
    improving) solution fills the first piece before the second, and `reward` is what counts.
    """
    terms = []
    for need in v.needs:
        early_cap, later_cap = segment_caps(need)
        first = v.model.new_int_var(0, 1, f"first[{need.id}]")
        early = v.model.new_int_var(0, early_cap, f"early[{need.id}]")
        later = v.model.new_int_var(0, later_cap, f"later[{need.id}]")
        v.model.add(first + early + later == v.planned[need.id])
        v.segments[need.id] = (first, early, later)
        weight = priority(need, v.instance)
        terms.append(weight * (FIRST * first + EARLY * early + LATER * later))
    return sum(terms)
