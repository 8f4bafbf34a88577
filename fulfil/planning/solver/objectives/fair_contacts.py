"""Objective 1: statutory contacts, delivered fairly.

Each line's reward is concave in the sessions it gets, in three pieces (`piece_weights`):

- its first session earns 30 x priority points (3,000 to 6,000; priority is 100..200, see
  `priority`);
- sessions 2 .. half its requirement earn 110 to 135 points each;
- the rest earn 100 to 125 points each.

A first session is worth at least 3,000 points and any other session at most 135, so one child's
first session outweighs 22 top-up sessions elsewhere: more than the minutes of one session can
buy even in groups of four with the longest sessions at twice the shortest. So no child is left
at zero while the minutes that could reach them top someone else up. After that every session
counts about the same (within 35%), so the plan delivers close to the most contacts, with a
quarter more weight for the children furthest behind and with the earliest deadlines, and a
tenth more for the first half of a requirement (half for everyone before all for some).

The points themselves are plain arithmetic in `points.py`, which the diary, the start and the
patterns also use to score plans; this module turns them into the model's reward pieces.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from fulfil.planning.solver.points import piece_weights, segment_caps
from fulfil.planning.solver.variables import PlanVariables


def add_pieces(v: PlanVariables) -> None:
    """Create the reward pieces of every line (first, early, later sessions).

    The pieces are not ordered by constraints: their weights fall, so an optimal (indeed any
    improving) solution fills the first piece before the second, and `points.reward` is what counts.
    """
    for need in v.needs:
        if need.id in v.segments:
            continue
        early_cap, later_cap = segment_caps(need)
        first = v.model.new_int_var(0, 1, f"first[{need.id}]")
        early = v.model.new_int_var(0, early_cap, f"early[{need.id}]")
        later = v.model.new_int_var(0, later_cap, f"later[{need.id}]")
        v.model.add(first + early + later == v.planned[need.id])
        v.segments[need.id] = (first, early, later)


def weights(v: PlanVariables) -> dict[int, float]:
    """The objective as {variable index: weight}, for the LP that guides the start plan."""
    add_pieces(v)
    found: dict[int, float] = {}
    for need in v.needs:
        pieces = v.segments[need.id]
        for var, weight in zip(pieces, piece_weights(need, v.instance), strict=True):
            found[var.index] = float(weight)
    return found


def expression(v: PlanVariables) -> cp_model.LinearExprT:
    """The total reward to maximise (creating the pieces if they are not there yet)."""
    add_pieces(v)
    terms = []
    for need in v.needs:
        first, early, later = v.segments[need.id]
        w_first, w_early, w_later = piece_weights(need, v.instance)
        terms.append(w_first * first + w_early * early + w_later * later)
    return sum(terms)
