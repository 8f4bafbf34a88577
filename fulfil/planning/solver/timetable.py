"""Lay an Allocation out week by week: which child is in which slot of which visit, when.

Within one visit (therapist, weekday, setting) the lines of one kind (one-to-one or group) and
one session length share weekly slots. The slots are filled by wrap-around (McNaughton's rule):
line up the sessions, line after line, and deal them into a grid of `usable weeks` columns, one
row per slot (for groups, one row per seat, `max_group_size` seats to a slot). A line never has
more sessions in a visit than there are usable weeks, so its consecutive places fall in
different weeks: at most one session a week, no slot double-booked, and every slot the model
paid for is enough. Lines with the earliest deadline, then the highest priority, are dealt
first, so they get the earliest weeks.
"""

from __future__ import annotations

from collections import defaultdict
from math import ceil

from fulfil.planning.solver.allocation import Allocation
from fulfil.planning.solver.objectives.fair_contacts import priority
from fulfil.planning.solver.schema import GROUP, ONE_TO_ONE, Need, PlannedSession, TermInstance, Visit

NO_DEADLINE = 10**9


def realise(instance: TermInstance, allocation: Allocation) -> tuple[tuple[Visit, ...], dict[str, int]]:
    """The weekly timetable and the sessions each line gets over the term."""
    classes: dict[tuple[str, int, str], dict[tuple[bool, int], list[tuple[Need, int]]]] = defaultdict(lambda: defaultdict(list))
    for (need_id, day), count in allocation.sessions.items():
        if count <= 0:
            continue
        need = instance.need_by_id[need_id]
        therapist_id = allocation.therapist[need_id]
        grouped = allocation.in_group.get(need_id, False)
        classes[therapist_id, day, need.setting_id][grouped, need.session_minutes].append((need, count))

    planned = {need.id: 0 for need in instance.needs}
    visits: list[Visit] = []
    for (therapist_id, day, setting_id) in sorted(classes):
        weeks = instance.usable_weeks(therapist_id, day)
        sessions: list[PlannedSession] = []
        lane = 0
        # One-to-one slots first, then group slots; longer sessions first within each.
        for grouped, minutes in sorted(classes[therapist_id, day, setting_id], key=lambda key: (key[0], -key[1])):
            members = sorted(
                classes[therapist_id, day, setting_id][grouped, minutes],
                key=lambda pair: (pair[0].deadline_week if pair[0].deadline_week is not None else NO_DEADLINE,
                                  -priority(pair[0], instance), pair[0].id),
            )
            seats = instance.max_group_size if grouped else 1
            placed, used = _deal(members, len(weeks), seats)
            for need, count in members:
                planned[need.id] += count
            for (slot, column_members), columns in placed.items():
                sessions.append(PlannedSession(
                    lane=lane + slot, kind=GROUP if grouped else ONE_TO_ONE, minutes=minutes,
                    need_ids=column_members, weeks=tuple(weeks[column] for column in columns),
                ))
            lane += used
        sessions.sort(key=lambda s: (s.lane, s.weeks))
        visits.append(Visit(therapist_id, day, setting_id, tuple(sessions)))
    return tuple(visits), planned


def _deal(members: list[tuple[Need, int]], columns: int, seats: int) -> tuple[dict[tuple[int, tuple[str, ...]], list[int]], int]:
    """Wrap-around dealing: place p goes to week column p % columns, seat row p // columns, and
    slot row // seats. Returns {(slot, the lines in it that week): [columns]} and slots used."""
    grid: dict[tuple[int, int], list[str]] = defaultdict(list)
    place = 0
    for need, count in members:
        for _ in range(count):
            row, column = divmod(place, columns)
            grid[row // seats, column].append(need.id)
            place += 1
    used = ceil(ceil(place / columns) / seats) if place else 0
    placed: dict[tuple[int, tuple[str, ...]], list[int]] = defaultdict(list)
    for (slot, column), need_ids in sorted(grid.items()):
        placed[slot, tuple(sorted(need_ids))].append(column)
    return placed, used
