"""Why a line is planned short, in the words a service manager would use.

Works on any finished plan (the optimiser's, the greedy baseline's, or one reloaded from JSON):
it looks at the weekly pattern the plan uses and asks, for each short line, which rule stops one
more session: nobody covers the setting; the setting is shut on the therapists' days; they are on
leave; there are not enough weeks; the settings-per-day limit; or the therapists' minutes are all
used. If none of those binds, capacity that could serve the child is unused, which an optimal
plan never leaves (one more session always earns reward), so it is reported as such.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from fulfil.planning.solver.schema import GROUP, Need, TermInstance, Therapist, Unmet, Visit

NO_THERAPIST = "no therapist of this discipline covers the setting"
NOT_OPEN = "setting not open on the therapist's working days"
ON_LEAVE = "the therapists who cover the setting are unavailable in every week they could visit"
TOO_FEW_WEEKS = "not enough usable weeks: at most one session a week on each of the therapist's days at the setting"
SETTINGS_PER_DAY = "the covering therapists already visit the most settings a day allows"
OWN_THERAPIST_FULL = "the child's therapist is fully booked (others in the patch have room, but a child keeps one therapist)"
CAPACITY = "therapist capacity in the patch is used up"
UNUSED = "capacity that could serve this child is unused (the solver stopped at its time limit)"


@dataclass
class _Slot:
    grouped: bool
    minutes: int
    seats_taken: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # week -> children


@dataclass
class Pattern:
    """The weekly pattern a plan uses: slots per visit, minutes and settings per therapist-day."""

    instance: TermInstance
    visits: tuple[Visit, ...]
    slots: dict[tuple[str, int, str], dict[int, _Slot]] = field(default_factory=dict)
    minutes: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    settings_on: dict[tuple[str, int], set[str]] = field(default_factory=lambda: defaultdict(set))
    need_weeks: dict[tuple[str, str, int], set[int]] = field(default_factory=lambda: defaultdict(set))
    need_grouped: dict[str, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for visit in self.visits:
            key = (visit.therapist_id, visit.weekday, visit.setting_id)
            slots: dict[int, _Slot] = self.slots.setdefault(key, {})
            for session in visit.sessions:
                slot = slots.setdefault(session.lane, _Slot(session.kind == GROUP, session.minutes))
                slot.minutes = max(slot.minutes, session.minutes)
                for week in session.weeks:
                    slot.seats_taken[week] += len(session.need_ids)
                    for need_id in session.need_ids:
                        self.need_weeks[need_id, visit.therapist_id, visit.weekday].add(week)
                for need_id in session.need_ids:
                    self.need_grouped[need_id] = session.kind == GROUP
            overhead = self.instance.setting_by_id[visit.setting_id].visit_overhead_minutes
            self.minutes[visit.therapist_id, visit.weekday] += overhead + sum(slot.minutes for slot in slots.values())
            self.settings_on[visit.therapist_id, visit.weekday].add(visit.setting_id)

    def room(self, need: Need, therapist: Therapist, day: int) -> str | None:
        """"room" if one more session of `need` fits with `therapist` on `day`, "settings" if only
        the settings-per-day limit stops it, None if it does not fit."""
        weeks = self.instance.usable_weeks(therapist.id, day)
        setting = self.instance.setting_by_id[need.setting_id]
        if not weeks or day not in setting.open_weekdays or need.setting_id not in therapist.settings_covered:
            return None
        mine = self.need_weeks.get((need.id, therapist.id, day), set())
        if len(mine) >= len(weeks):
            return None
        grouped = self.need_grouped.get(need.id)  # None: not seen yet, either mode is open
        modes = {grouped} if grouped is not None else ({False, True} if need.group_allowed else {False})
        key = (therapist.id, day, need.setting_id)
        spare = therapist.minutes_per_day - self.minutes[therapist.id, day]
        if key in self.slots:
            for slot in self.slots[key].values():
                if slot.minutes != need.session_minutes or slot.grouped not in modes:
                    continue
                seats = self.instance.max_group_size if slot.grouped else 1
                if any(slot.seats_taken.get(week, 0) < seats and week not in mine for week in weeks):
                    return "room"
            return "room" if spare >= need.session_minutes else None
        if spare < need.session_minutes + setting.visit_overhead_minutes:
            return None
        if len(self.settings_on[therapist.id, day]) >= self.instance.config.max_settings_per_day:
            return "settings"
        return "room"


def covering(instance: TermInstance, need: Need) -> list[Therapist]:
    return [t for t in instance.therapists if t.discipline == need.discipline and need.setting_id in t.settings_covered]


def reason(instance: TermInstance, pattern: Pattern, need: Need, planned: int, therapist_id: str | None) -> str:
    """The binding constraint for one short line (see the module docstring for the order)."""
    therapists = covering(instance, need)
    if not therapists:
        return NO_THERAPIST
    setting = instance.setting_by_id[need.setting_id]
    open_days = {day for week in instance.weeks for day in week.open_weekdays} & set(setting.open_weekdays)
    pairs = [(t, day) for t in therapists for day in t.working_days if day in open_days]
    if not pairs:
        return NOT_OPEN
    if all(not instance.usable_weeks(t.id, day) for t, day in pairs):
        return ON_LEAVE
    reach = [instance.therapist_by_id[therapist_id]] if therapist_id and planned > 0 else therapists
    most = max(sum(len(instance.usable_weeks(t.id, day)) for day in t.working_days if day in open_days) for t in reach)
    if planned >= most:
        return TOO_FEW_WEEKS
    verdicts = {pattern.room(need, t, day) for t in reach for day in t.working_days}
    if "room" in verdicts:
        return UNUSED
    if "settings" in verdicts:
        return SETTINGS_PER_DAY
    if len(reach) == 1 and len(therapists) > 1:
        others = {pattern.room(need, t, day) for t in therapists if t.id != reach[0].id for day in t.working_days}
        if "room" in others:
            return OWN_THERAPIST_FULL
    return CAPACITY


def unmet_lines(instance: TermInstance, visits: tuple[Visit, ...], planned: dict[str, int],
                assignments: dict[str, str]) -> tuple[Unmet, ...]:
    """Every line planned below due + owed, with its shortfall and reason, in input order."""
    pattern = Pattern(instance, visits)
    found = []
    for need in instance.needs:
        got = planned.get(need.id, 0)
        if got < need.required:
            found.append(Unmet(need.id, need.required - got, reason(instance, pattern, need, got, assignments.get(need.id))))
    return tuple(found)
