"""The baseline a manager builds by hand: first come, first served.

Take the lines in list order; give each all its sessions with its current therapist (or, if they
have no room, the first therapist on the list who covers the setting and has room), on their
working days from Monday on, in any week the diary still has room, joining a group of the same
kind when the plan allows groups. No look-ahead: an early child gets everything; a child late
in the list gets what is left. It books into the same `Diary` as the optimiser, so the two are
compared under exactly the same rules.
"""

from __future__ import annotations

from fulfil.planning.solver.diary import Diary
from fulfil.planning.solver.schema import Need, TermInstance, Therapist


def candidates(instance: TermInstance, need: Need) -> list[Therapist]:
    """Therapists of the line's discipline covering its setting: current therapist first."""
    covering = [t for t in instance.therapists if t.discipline == need.discipline and need.setting_id in t.settings_covered]
    covering.sort(key=lambda t: t.id != need.current_therapist_id)  # stable: keeps list order otherwise
    return covering


def greedy_diary(instance: TermInstance) -> Diary:
    diary = Diary(instance)
    for need in instance.needs:
        if need.required <= 0:
            continue
        for therapist in candidates(instance, need):
            got = 0
            for day in sorted(therapist.working_days):
                got += diary.book_many(need, therapist, day, need.required - got, grouped=need.group_allowed)
                if got >= need.required:
                    break
            if got:
                break
    return diary
