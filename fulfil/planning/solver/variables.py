"""The decision variables of the term model, in one container.

Every rule module (`constraints/`) and objective module (`objectives/`) reads its variables from
here, so a rule can be tested on its own: build the container, apply one module, fix a value,
ask CP-SAT whether that is feasible.

Variables (t therapist, d weekday, s setting, n line, l session length in minutes), all counted
over the term:
- `assign[n, t]`        1 if t is the line's therapist (one therapist per line);
- `in_group[n]`         1 if a group-allowed line is delivered in groups (one mode per line);
- `one_to_one[n, t, d]` one-to-one sessions of n with t on weekday d;
- `group[n, t, d]`      group sessions of n with t on weekday d;
- `planned[n]`          sessions of n;
- `visit_weeks[t, d, s]` weeks in which t visits s on weekday d (every week = a weekly visit,
                        half of them = fortnightly, or a block of weeks);
- `alone_weeks[t, d, s]` of those, weeks in which s is the only setting visited that day;
- `shared_weeks[t, d, s, s2]` weeks in which t visits both s and s2 that day (s < s2);
- `alone_minutes[t, d, s]`, `shared_minutes[t, d, s, s2, x]` session minutes at setting x in
                        those weeks (how a shared day is divided is free, week by week);
- `meetings[t, d, s, l]` group sessions of l minutes that t runs at s on weekday d.

The model works in term totals; `diary.Diary` lays them out week by week and `validate.py`
checks the weeks. Every week-level rule has a term-total consequence stated here (at most one
session a week per child per visit: sessions <= visit weeks; a held week has its day minus the
journey for sessions: minutes <= (day - journey) x visit weeks; ...), so the model is a
relaxation of every valid diary, which is what makes its LP an honest bound.

With `prune=True` (the default) variables are only created where the coverage, working-day and
availability rules allow them (asking `rules`, so each rule lives in one place); the
modules still add their constraints, which then bind nothing. Tests build with `prune=False` to
check that each module, on its own, forbids what it should.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from fulfil.planning.solver.allocation import Allocation
from fulfil.planning.solver.diary import Diary
from fulfil.planning.solver.points import segment_caps
from fulfil.planning.solver.rules import can_visit, covers
from fulfil.planning.solver.schema import WEEKDAYS, Need, TermInstance, Therapist

VisitKey = tuple[str, int, str]
PairKey = tuple[str, int, str, str]
MeetingKey = tuple[str, int, str, int]


class PlanVariables:
    """Creates and holds the variables for one instance (usually one part of an area)."""

    def __init__(self, instance: TermInstance, model: cp_model.CpModel, *, prune: bool = True) -> None:
        self.instance = instance
        self.model = model
        self.needs: list[Need] = [n for n in instance.needs if n.required > 0]
        team: dict[str, list[Therapist]] = defaultdict(list)
        for therapist in instance.therapists:
            team[therapist.discipline].append(therapist)
        self.needs_at: dict[tuple[str, str], list[Need]] = defaultdict(list)  # (discipline, setting) -> needs
        for need in self.needs:
            self.needs_at[need.discipline, need.setting_id].append(need)

        self.visit_weeks: dict[VisitKey, cp_model.IntVar] = {}
        self.alone_weeks: dict[VisitKey, cp_model.IntVar] = {}
        self.alone_minutes: dict[VisitKey, cp_model.IntVar] = {}
        self.shared_weeks: dict[PairKey, cp_model.IntVar] = {}
        self.shared_minutes: dict[tuple[str, int, str, str, str], cp_model.IntVar] = {}
        self.meetings: dict[MeetingKey, cp_model.IntVar] = {}
        for therapist in instance.therapists:
            for day in WEEKDAYS:
                self._add_visits(therapist, day, prune=prune)

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
            self._add_line(need, team[need.discipline], prune=prune)

    def _add_visits(self, therapist: Therapist, day: int, *, prune: bool) -> None:
        """The visit variables of one therapist's weekday: a visit to each setting with children
        of their discipline that they may visit that day, its group meetings by session length,
        and, where a day may hold two settings, each pair of those visits."""
        instance, model, term = self.instance, self.model, len(self.instance.weeks)
        day_minutes = term * therapist.minutes_per_day
        here_today = []
        for setting in instance.settings:
            here = self.needs_at.get((therapist.discipline, setting.id))
            if not here or (prune and not can_visit(instance, therapist, day, setting.id)):
                continue
            here_today.append(setting.id)
            key3 = (therapist.id, day, setting.id)
            self.visit_weeks[key3] = model.new_int_var(0, term, f"visit_weeks[{key3}]")
            self.alone_weeks[key3] = model.new_int_var(0, term, f"alone_weeks[{key3}]")
            self.alone_minutes[key3] = model.new_int_var(0, day_minutes, f"alone_minutes[{key3}]")
            for length in sorted({n.session_minutes for n in here if n.group_allowed}):
                key = (therapist.id, day, setting.id, length)
                self.meetings[key] = model.new_int_var(0, term * (therapist.minutes_per_day // length), f"meetings[{key}]")
        if instance.config.max_settings_per_day < 2:
            return
        for i, first in enumerate(here_today):
            for second in here_today[i + 1:]:
                pair = (therapist.id, day, first, second)
                self.shared_weeks[pair] = model.new_int_var(0, term, f"shared_weeks[{pair}]")
                for setting_id in (first, second):
                    self.shared_minutes[(*pair, setting_id)] = model.new_int_var(0, day_minutes, f"shared_minutes[{pair},{setting_id}]")

    def _add_line(self, need: Need, team: list[Therapist], *, prune: bool) -> None:
        """The variables of one line: its planned sessions, its mode if groups are allowed, and,
        for each therapist of its discipline who covers its setting, the assignment and its
        sessions on each weekday that therapist may visit (at most a session a teaching week).
        Call after `_add_visits`: the weekdays are read from the visit variables."""
        model = self.model
        top = min(need.required, len(self.instance.weeks))
        self.planned[need.id] = model.new_int_var(0, need.required, f"planned[{need.id}]")
        if need.group_allowed:
            self.in_group[need.id] = model.new_bool_var(f"in_group[{need.id}]")
        self.therapists_for[need.id] = [t for t in team if not prune or covers(t, need.setting_id)]
        for therapist in self.therapists_for[need.id]:
            self.assign[need.id, therapist.id] = model.new_bool_var(f"assign[{need.id},{therapist.id}]")
            days = [d for d in WEEKDAYS if (therapist.id, d, need.setting_id) in self.visit_weeks]
            self.days_for[need.id, therapist.id] = days
            for day in days:
                self.one_to_one[need.id, therapist.id, day] = model.new_int_var(0, top, f"one_to_one[{need.id},{therapist.id},{day}]")
                if need.group_allowed:
                    self.group[need.id, therapist.id, day] = model.new_int_var(0, top, f"group[{need.id},{therapist.id},{day}]")

    # -- reading helpers used by the modules ---------------------------------------------------
    def sessions(self, need_id: str, therapist_id: str, day: int) -> cp_model.LinearExprT:
        """All sessions of a line with one therapist on one weekday (one-to-one plus group)."""
        one_to_one = self.one_to_one[need_id, therapist_id, day]
        group = self.group.get((need_id, therapist_id, day))
        return one_to_one if group is None else one_to_one + group

    def sessions_with(self, need_id: str, therapist_id: str) -> cp_model.LinearExprT:
        """All sessions of a line with one therapist over the term."""
        return sum(self.sessions(need_id, therapist_id, day) for day in self.days_for[need_id, therapist_id])

    def usable(self, therapist_id: str, day: int) -> int:
        return len(self.instance.usable_weeks(therapist_id, day))

    def all_variables(self) -> list[cp_model.IntVar]:
        groups = (self.assign, self.in_group, self.one_to_one, self.group, self.planned, self.visit_weeks, self.meetings,
                  self.alone_weeks, self.alone_minutes, self.shared_weeks, self.shared_minutes)
        found = [var for group in groups for var in group.values()]
        return found + [var for parts in self.segments.values() for var in parts]

    # -- moving between a solution and an Allocation ------------------------------------------
    def allocation(self, value: dict[int, int] | list[int]) -> Allocation:
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
        for (therapist_id, day, setting_id), var in self.alone_weeks.items():
            if value[var.index] > 0:
                result.patterns.setdefault((therapist_id, day), {})[(setting_id,)] = value[var.index]
        for (therapist_id, day, first, second), var in self.shared_weeks.items():
            if value[var.index] > 0:
                result.patterns.setdefault((therapist_id, day), {})[(first, second)] = value[var.index]
        return result

    def hint_from_diary(self, diary: Diary) -> dict[int, int]:
        """A complete assignment of every variable that reproduces a (valid) diary, used to start
        CP-SAT. Every valid diary is a solution of the model: the model is its relaxation."""
        value: dict[int, int] = {var.index: 0 for var in self.all_variables()}
        per_day: dict[tuple[str, int], int] = defaultdict(int)
        for need_id, day, _week in diary.busy:
            per_day[need_id, day] += 1
        for need in self.needs:
            therapist_id = diary.therapist.get(need.id)
            grouped = diary.grouped.get(need.id, False)
            if need.group_allowed:
                value[self.in_group[need.id].index] = int(grouped)
            if therapist_id is None or not diary.count.get(need.id):
                continue
            target = self.group if grouped else self.one_to_one
            for day in self.days_for[need.id, therapist_id]:
                value[target[need.id, therapist_id, day].index] = per_day.get((need.id, day), 0)
            value[self.assign[need.id, therapist_id].index] = 1
            value[self.planned[need.id].index] = diary.count[need.id]
        minutes: dict[tuple[str, int, int, str], int] = defaultdict(int)
        for (therapist_id, day, week, setting_id), need_ids in diary.solo.items():
            minutes[therapist_id, day, week, setting_id] += sum(self.instance.need_by_id[n].session_minutes for n in need_ids)
        for (therapist_id, day, week, setting_id, length), meetings in diary.meetings.items():
            minutes[therapist_id, day, week, setting_id] += length * len(meetings)
            value[self.meetings[therapist_id, day, setting_id, length].index] += len(meetings)
        for (therapist_id, day, week), settings in diary.visited.items():
            visited = sorted(settings)
            for setting_id in visited:
                value[self.visit_weeks[therapist_id, day, setting_id].index] += 1
            if len(visited) == 1:
                value[self.alone_weeks[therapist_id, day, visited[0]].index] += 1
                value[self.alone_minutes[therapist_id, day, visited[0]].index] += minutes[therapist_id, day, week, visited[0]]
            elif len(visited) == 2:
                # Pairs are keyed in the instance's setting order, which need not be sorted order.
                pair = (therapist_id, day, visited[0], visited[1])
                if pair not in self.shared_weeks:
                    pair = (therapist_id, day, visited[1], visited[0])
                value[self.shared_weeks[pair].index] += 1
                for setting_id in visited:
                    value[self.shared_minutes[(*pair, setting_id)].index] += minutes[therapist_id, day, week, setting_id]
        for need_id, (first, early, later) in self.segments.items():
            total = value[self.planned[need_id].index]
            value[first.index] = min(total, 1)
            value[early.index] = min(total - value[first.index], segment_caps(self.instance.need_by_id[need_id])[0])
            value[later.index] = total - value[first.index] - value[early.index]
        return value
