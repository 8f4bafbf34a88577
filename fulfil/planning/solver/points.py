"""The points of objective 1 (`objectives.fair_contacts`: statutory contacts, delivered fairly),
as plain arithmetic on a line and its term: a first session is worth 30 x priority points, each
session up to half the requirement 110 to 135, each later one 100 to 125 (the reasons are in
`objectives.fair_contacts`).

No model here: the diary, the start plan and the visit patterns score week-by-week plans with
`gain` and `reward`, and the model builds its reward pieces from `piece_weights` and
`segment_caps`, so a plan is scored the same way whichever side looks at it.
"""

from __future__ import annotations

from math import ceil

from fulfil.planning.solver.schema import Need, TermInstance

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


def segment_caps(need: Need) -> tuple[int, int]:
    """Sizes of the second and third pieces of a line's reward: sessions 2 .. half the
    requirement ("early"), then the rest ("later"). The first session is its own piece."""
    early = max(0, ceil(need.required / 2) - 1)
    return early, max(0, need.required - 1 - early)
