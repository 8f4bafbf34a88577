"""Why a line is planned short, in the words a service manager would use.

Works on any finished plan (the optimiser's, the greedy baseline's, or one reloaded from JSON):
it rebuilds the plan's diary and asks, for each short line, which rule stops one more session,
in this order: nobody covers the setting; the setting is shut on the therapists' days; they are
on leave; there are not enough weeks (one session a week per visit day); capacity that could
serve the child is unused; the settings-per-day limit; the child's own therapist is full while
another has room; or the therapists' minutes in the patch are used up.

"Unused" means a session would fit in the diary as it stands, so a plan from `solve` (which tops
up every session that fits) never reports it; the benchmark checks exactly that.
"""

from __future__ import annotations

from fulfil.planning.solver.diary import Diary
from fulfil.planning.solver.schema import Need, TermInstance, Therapist, Unmet, Visit

NO_THERAPIST = "no therapist of this discipline covers the setting"
NOT_OPEN = "setting not open on the therapist's working days"
ON_LEAVE = "the therapists who cover the setting are unavailable in every week they could visit"
TOO_FEW_WEEKS = "not enough usable weeks: at most one session a week on each of the therapist's days at the setting"
SETTINGS_PER_DAY = "the covering therapists already visit the most settings a day allows"
OWN_THERAPIST_FULL = "the child's therapist is fully booked (others in the patch have room, but a child keeps one therapist)"
CAPACITY = "therapist capacity in the patch is used up"
UNUSED = "capacity that could serve this child is unused"


def covering(instance: TermInstance, need: Need) -> list[Therapist]:
    return [t for t in instance.therapists if t.discipline == need.discipline and need.setting_id in t.settings_covered]


def _fits(diary: Diary, need: Need, therapists: list[Therapist], *, as_new: bool) -> bool:
    modes = [diary.grouped[need.id]] if need.id in diary.grouped and not as_new else (
        [True, False] if need.group_allowed else [False])
    return any(diary.cost(need, t, day, week, grouped=grouped, as_new=as_new) is not None
               for t in therapists for day in t.working_days for week in diary.weeks(t.id, day) for grouped in modes)


def _blocked_by_settings_limit(diary: Diary, need: Need, therapists: list[Therapist]) -> bool:
    """A week where the session would fit in the minutes, but the day already has the most
    settings it may."""
    instance = diary.instance
    journey = instance.setting_by_id[need.setting_id].visit_overhead_minutes
    for t in therapists:
        for day in t.working_days:
            if day not in instance.setting_by_id[need.setting_id].open_weekdays:
                continue
            for week in diary.weeks(t.id, day):
                key = (t.id, day, week)
                if ((need.id, day, week) not in diary.busy and need.setting_id not in diary.visited[key]
                        and len(diary.visited[key]) >= instance.config.max_settings_per_day
                        and diary.load[key] + journey + need.session_minutes <= t.minutes_per_day):
                    return True
    return False


def reason(diary: Diary, need: Need) -> str:
    """The binding constraint for one short line (see the module docstring for the order)."""
    instance = diary.instance
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
    planned = diary.count.get(need.id, 0)
    assigned = diary.therapist.get(need.id) if planned else None
    reach = [instance.therapist_by_id[assigned]] if assigned else therapists
    most = max(sum(len(instance.usable_weeks(t.id, day)) for day in t.working_days if day in open_days) for t in reach)
    if planned >= most:
        return TOO_FEW_WEEKS
    if _fits(diary, need, reach, as_new=False):
        return UNUSED
    if _blocked_by_settings_limit(diary, need, reach):
        return SETTINGS_PER_DAY
    if assigned and _fits(diary, need, [t for t in therapists if t.id != assigned], as_new=True):
        return OWN_THERAPIST_FULL
    return CAPACITY


def unmet_lines(instance: TermInstance, visits: tuple[Visit, ...], planned: dict[str, int],
                assignments: dict[str, str]) -> tuple[Unmet, ...]:
    """Every line planned below due + owed, with its shortfall and reason, in input order."""
    diary = Diary.from_visits(instance, visits)
    found = []
    for need in instance.needs:
        got = planned.get(need.id, 0)
        if got < need.required:
            found.append(Unmet(need.id, need.required - got, reason(diary, need)))
    return tuple(found)
