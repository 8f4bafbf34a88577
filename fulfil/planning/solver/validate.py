"""Check any term plan against the rules, week by week, independently of how it was made.

The model reasons in weekly slots and term totals; this reasons in concrete weeks (which week,
which day, who is in the room), so a bug in the model or the realisation shows up here rather
than in a therapist's diary. `solve` runs it on every plan it returns and raises if it fails;
the Django side can run it on a stored plan after the data have changed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from fulfil.planning.solver.schema import (
    GROUP,
    ONE_TO_ONE,
    PlannedSession,
    Setting,
    TeachingWeek,
    TermInstance,
    TermPlan,
    Therapist,
    Visit,
)

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class PlanInvalid(Exception):
    """The planner produced a plan that breaks a rule (a bug, never a data problem)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:10]) + (f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""))
        self.problems = problems


def _day(day: int) -> str:
    return DAY_NAMES[day] if 0 <= day < len(DAY_NAMES) else f"weekday {day}"


@dataclass
class _Tally:
    """The term's teaching weeks, and what the walk over the timetable has seen so far: the
    checks on one visit need what earlier visits planned (a child already seen that day, a lane
    already used that week)."""

    weeks: dict[int, TeachingWeek]
    counted: Counter[str] = field(default_factory=Counter)
    seen_need: set[tuple[str, int, int]] = field(default_factory=set)
    modes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    lane_weeks: set[tuple[str, int, str, int, int]] = field(default_factory=set)
    load: dict[tuple[str, int, int], int] = field(default_factory=lambda: defaultdict(int))
    held: dict[tuple[str, int, int], set[str]] = field(default_factory=lambda: defaultdict(set))
    visit_keys: set[tuple[str, int, str]] = field(default_factory=set)


def validate(instance: TermInstance, plan: TermPlan) -> list[str]:
    """Every broken rule, as a sentence. An empty list means the plan is valid.

    The timetable is walked visit by visit (who goes where on which day, each session's shape,
    each child in it, each week it runs); then each therapist's day, each line's delivery mode
    and assignment, and the term's totals are checked against what the walk counted."""
    problems: list[str] = []
    tally = _Tally(weeks={week.index: week for week in instance.weeks})
    for visit in plan.timetable:
        problems += _visit_problems(instance, plan, visit, tally)
    problems += _day_problems(instance, tally)
    problems += _mode_problems(tally)
    problems += _assignment_problems(instance, plan, tally)
    problems += _total_problems(instance, plan, tally)
    return problems


def _visit_problems(instance: TermInstance, plan: TermPlan, visit: Visit, tally: _Tally) -> list[str]:
    """A visit is listed once, by a therapist who covers the setting and works that day, on a
    day the setting is open; then each of its sessions is checked."""
    problems: list[str] = []
    therapist = instance.therapist_by_id.get(visit.therapist_id)
    setting, day = instance.setting_by_id.get(visit.setting_id), visit.weekday
    key = (visit.therapist_id, day, visit.setting_id)
    if key in tally.visit_keys:
        problems.append(f"{visit.therapist_id}'s {_day(day)} visit to {visit.setting_id} is listed twice")
    tally.visit_keys.add(key)
    if therapist is None or setting is None:
        problems.append(f"visit names an unknown therapist or setting: {visit.therapist_id} at {visit.setting_id}")
        return problems
    if setting.id not in therapist.settings_covered:
        problems.append(f"{therapist.id} does not cover {setting.id} but is planned there")
    if day not in therapist.working_days:
        problems.append(f"{therapist.id} does not work on {_day(day)} but is planned then")
    if day not in setting.open_weekdays:
        problems.append(f"{setting.id} is not open on {_day(day)} but a visit is planned then")
    for session in visit.sessions:
        problems += _session_shape_problems(instance, therapist, setting, day, session)
        for need_id in session.need_ids:
            problems += _child_problems(instance, plan, therapist, setting, session, need_id, tally)
        for week_index in session.weeks:
            problems += _week_problems(instance, therapist, setting, day, session, week_index, tally)
    return problems


def _session_shape_problems(instance: TermInstance, therapist: Therapist, setting: Setting, day: int,
                            session: PlannedSession) -> list[str]:
    """A session is one-to-one (one child) or a group (no bigger than the maximum group size),
    and names each of its children once."""
    problems: list[str] = []
    members, size = session.need_ids, instance.max_group_size
    if session.kind not in (ONE_TO_ONE, GROUP):
        problems.append(f"unknown session kind {session.kind!r}")
    if not members:
        problems.append(f"{therapist.id}'s {_day(day)} visit to {setting.id} has a session with nobody in it")
    if session.kind == ONE_TO_ONE and len(members) != 1:
        problems.append(f"a one-to-one session lists {len(members)} children: {', '.join(members)}")
    if len(members) > size:
        problems.append(f"a group of {len(members)} at {setting.id} is above the maximum group size of {size}")
    if len(set(members)) < len(members):
        problems.append(f"a session at {setting.id} lists the same line twice")
    return problems


def _child_problems(instance: TermInstance, plan: TermPlan, therapist: Therapist, setting: Setting,
                    session: PlannedSession, need_id: str, tally: _Tally) -> list[str]:
    """A child is seen by a therapist of their line's discipline, at the setting they attend,
    for the session length their plan says, in a group only if their plan allows it, and by
    the therapist the line is assigned to."""
    need = instance.need_by_id.get(need_id)
    if need is None:
        return [f"unknown line {need_id} in the timetable"]
    problems: list[str] = []
    if need.discipline != therapist.discipline:
        problems.append(f"{need_id} ({need.discipline}) is planned with {therapist.id} ({therapist.discipline})")
    if need.setting_id != setting.id:
        problems.append(f"{need_id} attends {need.setting_id} but is planned at {setting.id}")
    if session.minutes != need.session_minutes:
        problems.append(f"{need_id} needs {need.session_minutes}-minute sessions but is planned for {session.minutes}")
    if session.kind == GROUP and not need.group_allowed:
        problems.append(f"{need_id} is planned in a group but its plan does not allow group sessions")
    tally.modes[need_id].add(session.kind)
    if plan.assignments.get(need_id) != therapist.id:
        problems.append(f"{need_id} is seen by {therapist.id} but assigned to {plan.assignments.get(need_id)}")
    return problems


def _week_problems(instance: TermInstance, therapist: Therapist, setting: Setting, day: int,
                   session: PlannedSession, week_index: int, tally: _Tally) -> list[str]:
    """A session runs in a teaching week, on a day settings are open that week, when its
    therapist is available, with one session per lane of the visit and one per child per day;
    the week's minutes and settings are added to the therapist's day."""
    problems: list[str] = []
    week = tally.weeks.get(week_index)
    if week is None:
        problems.append(f"week {week_index} is not a teaching week of {instance.term}")
    elif day not in week.open_weekdays:
        problems.append(f"settings are closed on {_day(day)} of week {week_index} but a session is planned then")
    if week_index in therapist.unavailable_weeks:
        problems.append(f"{therapist.id} is unavailable in week {week_index} but has a session then")
    lane_week = (therapist.id, day, setting.id, session.lane, week_index)
    if lane_week in tally.lane_weeks:
        problems.append(f"lane {session.lane} of {therapist.id}'s {_day(day)} visit to {setting.id} "
                        f"has two sessions in week {week_index}")
    tally.lane_weeks.add(lane_week)
    tally.load[therapist.id, day, week_index] += session.minutes
    tally.held[therapist.id, day, week_index].add(setting.id)
    for need_id in session.need_ids:
        if (need_id, day, week_index) in tally.seen_need:
            problems.append(f"{need_id} has two sessions on {_day(day)} of week {week_index}")
        tally.seen_need.add((need_id, day, week_index))
        tally.counted[need_id] += 1
    return problems


def _day_problems(instance: TermInstance, tally: _Tally) -> list[str]:
    """A therapist's day fits their clinical minutes (sessions plus each visit's travel and
    setting up) and visits no more settings than the planner allows."""
    problems: list[str] = []
    for (therapist_id, day, week_index), visited in sorted(tally.held.items()):
        therapist = instance.therapist_by_id[therapist_id]
        minutes = tally.load[therapist_id, day, week_index] + sum(
            instance.setting_by_id[s].visit_overhead_minutes for s in visited)
        if minutes > therapist.minutes_per_day:
            problems.append(f"{therapist_id} is over capacity on {_day(day)} of week {week_index}: "
                            f"{minutes} minutes planned, {therapist.minutes_per_day} available")
        if len(visited) > instance.config.max_settings_per_day:
            problems.append(f"{therapist_id} visits {len(visited)} settings on {_day(day)} of week {week_index}, "
                            f"more than {instance.config.max_settings_per_day}")
    return problems


def _mode_problems(tally: _Tally) -> list[str]:
    """A line is delivered one way for the term: one-to-one or in groups, not both."""
    return [f"{need_id} is planned both one-to-one and in groups; a line is delivered one way for the term"
            for need_id, kinds in sorted(tally.modes.items()) if len(kinds) > 1]


def _assignment_problems(instance: TermInstance, plan: TermPlan, tally: _Tally) -> list[str]:
    """Each assignment names a known line and therapist, and the line is seen at least once."""
    problems: list[str] = []
    for need_id, therapist_id in plan.assignments.items():
        need, therapist = instance.need_by_id.get(need_id), instance.therapist_by_id.get(therapist_id)
        if need is None or therapist is None:
            problems.append(f"assignment of unknown line or therapist: {need_id} -> {therapist_id}")
        elif tally.counted[need_id] == 0:
            problems.append(f"{need_id} is assigned to {therapist_id} but never seen")
    return problems


def _total_problems(instance: TermInstance, plan: TermPlan, tally: _Tally) -> list[str]:
    """The plan's counts agree with its timetable; no line gets more than is due and owed, and
    every line planned short is on the unmet list, by the right amount, with a reason."""
    problems: list[str] = []
    counted = tally.counted
    unknown = set(plan.planned_sessions) - set(instance.need_by_id)
    if unknown:
        problems.append(f"planned sessions listed for unknown lines: {sorted(unknown)[:5]}")
    short = {item.need_id: item for item in plan.unmet}
    for need in instance.needs:
        got = counted[need.id]
        if plan.planned_sessions.get(need.id, 0) != got:
            problems.append(f"{need.id}: planned_sessions says {plan.planned_sessions.get(need.id, 0)} but the timetable has {got}")
        if got > need.required:
            problems.append(f"{need.id} is planned {got} sessions, more than the {need.required} due and owed")
        item = short.get(need.id)
        if got < need.required and (item is None or item.sessions_short != need.required - got or not item.reason):
            problems.append(f"{need.id} is {need.required - got} session(s) short but the unmet list does not say so")
        if got >= need.required and item is not None:
            problems.append(f"{need.id} is listed as unmet but is planned in full")
    if plan.stats.planned_contacts != sum(counted.values()):
        problems.append(f"stats say {plan.stats.planned_contacts} contacts planned but the timetable has {sum(counted.values())}")
    if plan.stats.required_contacts != sum(n.required for n in instance.needs):
        problems.append("stats.required_contacts is not the sum of due and owed sessions")
    return problems
