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
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from fulfil.planning.solver.schema import Need, TermInstance
from fulfil.planning.solver.variables import PlanVariables, segment_caps

FIRST_PER_PRIORITY = 30
EARLY_BONUS = 10
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


def piece_weights(need: Need, instance: TermInstance) -> tuple[int, int, int]:
    """Points for the first session, for each early session and for each later session."""
    weight = priority(need, instance)
    later = BASE_PRIORITY + (weight - BASE_PRIORITY) // 4
    return FIRST_PER_PRIORITY * weight, later + EARLY_BONUS, later


def gain(need: Need, have: int, instance: TermInstance) -> int:
    """The points one more session earns a line that already has `have` sessions."""
    first, early, later = piece_weights(need, instance)
    return first if have == 0 else early if have <= segment_caps(need)[0] else later


def reward(need: Need, sessions: int, instance: TermInstance) -> int:
    """The points a line earns for `sessions` sessions (the same function the model optimises)."""
    early_cap, _later_cap = segment_caps(need)
    first = min(sessions, 1)
    early = min(sessions - first, early_cap)
    later = sessions - first - early
    weights = piece_weights(need, instance)
    return weights[0] * first + weights[1] * early + weights[2] * later


def add_pieces(v: PlanVariables) -> None:
    """Create the reward pieces of every line (first, early, later sessions).

    The pieces are not ordered by constraints: their weights fall, so an optimal (indeed any
    improving) solution fills the first piece before the second, and `reward` is what counts.
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
