"""The decision variables of the term model, in one container.

Every rule module (`constraints/`) and objective module (`objectives/`) reads its variables from
here, so a rule can be tested on its own: build the container, apply one module, fix a value,
ask CP-SAT whether that is feasible.

Variables (t therapist, d weekday, s setting, n need, l session length in minutes):
- `assign[n, t]`      1 if t is the child's therapist for this line (one therapist per line);
- `in_group[n]`       1 if a group-allowed line is delivered in groups (one mode per line);
- `one_to_one[n,t,d]` one-to-one sessions of n with t on weekday d over the term;
- `group[n,t,d]`      group sessions of n with t on weekday d over the term;
- `planned[n]`        sessions of n over the term;
- `visit[t,d,s]`      1 if t visits s every (usable) weekday d;
- `lanes[t,d,s,l]`    weekly one-to-one slots of l minutes in that visit;
- `group_lanes[t,d,s,l]` weekly group slots of l minutes in that visit.

Counts are over the term, slots are per week: a slot of l minutes held every usable week gives
`usable_weeks` sessions, shared in blocks among children. That is exactly realisable week by
week (see `timetable.realise`), so the model never promises a plan it cannot lay out.

With `prune=True` (the default) variables are only created where the coverage, working-day and
availability rules allow them (asking those modules, so the rule lives in one place); the modules
still add their constraints, which then bind nothing. Tests build with `prune=False` to check
that each module, on its own, forbids what it should.
"""

from __future__ import annotations

from collections import defaultdict
from math import ceil

from ortools.sat.python import cp_model

from fulfil.planning.solver.allocation import Allocation
from fulfil.planning.solver.constraints.rules import can_visit, covers
from fulfil.planning.solver.schema import WEEKDAYS, Need, TermInstance, Therapist

VisitKey = tuple[str, int, str]
LaneKey = tuple[str, int, str, int]


def segment_caps(need: Need) -> tuple[int, int]:
    """Sizes of the second and third pieces of a line's reward: sessions 2 .. half the
    requirement ("early"), then the rest ("later"). The first session is its own piece."""
    early = max(0, ceil(need.required / 2) - 1)
    return early, max(0, need.required - 1 - early)


class PlanVariables:
    """Creates and holds the variables for one instance (usually one part of an area)."""

    def __init__(self, instance: TermInstance, model: cp_model.CpModel, *, prune: bool = True) -> None:
        self.instance = instance
        self.model = model
        self.needs: list[Need] = [n for n in instance.needs if n.required > 0]
        self.weeks = len(instance.weeks)
        team: dict[str, list[Therapist]] = defaultdict(list)
        for therapist in instance.therapists:
            team[therapist.discipline].append(therapist)
        self.needs_at: dict[tuple[str, str], list[Need]] = defaultdict(list)  # (discipline, setting) -> needs
        for need in self.needs:
            self.needs_at[need.discipline, need.setting_id].append(need)

        self.visit: dict[VisitKey, cp_model.IntVar] = {}
        self.lanes: dict[LaneKey, cp_model.IntVar] = {}
        self.group_lanes: dict[LaneKey, cp_model.IntVar] = {}
        for therapist in instance.therapists:
            for day in WEEKDAYS:
                for setting in instance.settings:
                    here = self.needs_at.get((therapist.discipline, setting.id))
                    if not here or (prune and not can_visit(instance, therapist, day, setting.id)):
                        continue
                    self.visit[therapist.id, day, setting.id] = model.new_bool_var(f"visit[{therapist.id},{day},{setting.id}]")
                    for length in sorted({n.session_minutes for n in here}):
                        key = (therapist.id, day, setting.id, length)
                        self.lanes[key] = model.new_int_var(0, therapist.minutes_per_day // length, f"lanes[{key}]")
                    for length in sorted({n.session_minutes for n in here if n.group_allowed}):
                        key = (therapist.id, day, setting.id, length)
                        self.group_lanes[key] = model.new_int_var(0, therapist.minutes_per_day // length, f"group_lanes[{key}]")

        self.therapists_for: dict[str, list[Therapist]] = {}
        self.days_for: dict[tuple[str, str], list[int]] = {}
        self.assign: dict[tuple[str, str], cp_model.IntVar] = {}
        self.in_group: dict[str, cp_model.IntVar] = {}
        self.one_to_one: dict[tuple[str, str, int], cp_model.IntVar] = {}
        self.group: dict[tuple[str, str, int], cp_model.IntVar] = {}
        self.planned: dict[str, cp_model.IntVar] = {}
        # Filled by objectives.fair_contacts: (first session, early sessions, later sessions).
        self.segments: dict[str, tuple[cp_model.IntVar, cp_model.IntVar, cp_model.IntVar]] = {}
        for need in self.needs:
            top = min(need.required, self.weeks)
            self.planned[need.id] = model.new_int_var(0, need.required, f"planned[{need.id}]")
            if need.group_allowed:
                self.in_group[need.id] = model.new_bool_var(f"in_group[{need.id}]")
            self.therapists_for[need.id] = [t for t in team[need.discipline] if not prune or covers(t, need.setting_id)]
            for therapist in self.therapists_for[need.id]:
                self.assign[need.id, therapist.id] = model.new_bool_var(f"assign[{need.id},{therapist.id}]")
                days = [d for d in WEEKDAYS if (therapist.id, d, need.setting_id) in self.visit]
                self.days_for[need.id, therapist.id] = days
                for day in days:
                    self.one_to_one[need.id, therapist.id, day] = model.new_int_var(0, top, f"one_to_one[{need.id},{therapist.id},{day}]")
                    if need.group_allowed:
                        self.group[need.id, therapist.id, day] = model.new_int_var(0, top, f"group[{need.id},{therapist.id},{day}]")

    # -- reading helpers used by the modules ---------------------------------------------------
    def sessions(self, need_id: str, therapist_id: str, day: int) -> cp_model.LinearExprT:
        """All sessions of a line with one therapist on one weekday (one-to-one plus group)."""
        total: cp_model.LinearExprT = self.one_to_one[need_id, therapist_id, day]
        if (need_id, therapist_id, day) in self.group:
            total = total + self.group[need_id, therapist_id, day]
        return total

    def sessions_with(self, need_id: str, therapist_id: str) -> cp_model.LinearExprT:
        """All sessions of a line with one therapist over the term."""
        return sum(self.sessions(need_id, therapist_id, day) for day in self.days_for[need_id, therapist_id])

    def usable(self, therapist_id: str, day: int) -> int:
        return len(self.instance.usable_weeks(therapist_id, day))

    def all_variables(self) -> list[cp_model.IntVar]:
        groups = (self.assign, self.in_group, self.one_to_one, self.group, self.planned, self.visit, self.lanes, self.group_lanes)
        found = [var for group in groups for var in group.values()]
        return found + [var for parts in self.segments.values() for var in parts]

    # -- moving between a solution and an Allocation ------------------------------------------
    def allocation(self, value: dict[int, int]) -> Allocation:
        """Read an Allocation out of a solution (`value[var.index]`)."""
        result = Allocation()
        for need in self.needs:
            grouped = bool(need.group_allowed and value[self.in_group[need.id].index])
            for therapist in self.therapists_for[need.id]:
                if not value[self.assign[need.id, therapist.id].index]:
                    continue
                for day in self.days_for[need.id, therapist.id]:
                    count = value[self.one_to_one[need.id, therapist.id, day].index]
                    if need.group_allowed:
                        count += value[self.group[need.id, therapist.id, day].index]
                    result.add(need.id, therapist.id, day, count, group=grouped)
        return result

    def hint_values(self, allocation: Allocation) -> dict[int, int]:
        """A complete assignment of every variable that reproduces `allocation` (used to start
        CP-SAT from the greedy plan). Sessions the model has no variable for are dropped."""
        value: dict[int, int] = {var.index: 0 for var in self.all_variables()}
        cells: dict[tuple[str, int, str, int, bool], int] = defaultdict(int)
        for need in self.needs:
            therapist_id = allocation.therapist.get(need.id)
            grouped = allocation.in_group.get(need.id, False)
            if need.group_allowed:
                value[self.in_group[need.id].index] = int(grouped)
            if therapist_id is None or (need.id, therapist_id) not in self.assign:
                continue
            total = 0
            target = self.group if grouped else self.one_to_one
            for day in self.days_for[need.id, therapist_id]:
                count = allocation.sessions.get((need.id, day), 0)
                if not count:
                    continue
                total += count
                value[target[need.id, therapist_id, day].index] = count
                value[self.visit[therapist_id, day, need.setting_id].index] = 1
                cells[therapist_id, day, need.setting_id, need.session_minutes, grouped] += count
            value[self.assign[need.id, therapist_id].index] = int(total > 0)
            value[self.planned[need.id].index] = total
        size = self.instance.max_group_size
        for (therapist_id, day, setting_id, length, grouped), count in cells.items():
            weeks = self.usable(therapist_id, day)
            if grouped:
                value[self.group_lanes[therapist_id, day, setting_id, length].index] = ceil(count / (weeks * size))
            else:
                value[self.lanes[therapist_id, day, setting_id, length].index] = ceil(count / weeks)
        for need_id, (first, early, later) in self.segments.items():
            total = value[self.planned[need_id].index]
            value[first.index] = min(total, 1)
            value[early.index] = min(total - value[first.index], segment_caps(self.instance.need_by_id[need_id])[0])
            value[later.index] = total - value[first.index] - value[early.index]
        return value
