"""Build the planner's input (`solver.TermInstance`) for one discipline and term from the
area's records. Children appear only as internal ids: the solver never sees a name.

Assumptions a service can change in its data (each is written on the planner page):
- A therapist works the weekdays their service manager recorded (`Therapist.working_days`);
  where none are recorded, `round(contracted hours / 7.5)` days a week, spread by their id so
  part-time staff do not all work Mondays. Clinical minutes a day are their weekly hours over
  those days, less the service's non-clinical share and its share of work outside plans
  (`PlanningSettings`).
- A week is lost to leave when an absence covers three or more of its teaching days.
- A therapist covers the settings recorded against them, or, if none are, the settings of the
  children on their caseload.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q

from fulfil.core.calendar import Term
from fulfil.core.models import LocalArea
from fulfil.core.selectors import calendar_for_area
from fulfil.planning.selectors import overheads_for, setting_cluster, term_ledger
from fulfil.planning.solver.schema import Need, PlannerConfig, Setting, TeachingWeek, TermInstance, Therapist
from fulfil.planning.terms import term_name, term_weeks
from fulfil.plans.clocks import annual_review_due_date
from fulfil.plans.models import AnnualReview
from fulfil.workforce.models import Absence, CaseloadAssignment
from fulfil.workforce.models import Therapist as TherapistRow  # the solver's Therapist is imported above

FULL_DAY_HOURS = 7.5


def working_days(therapist_id: int, contracted_hours: float) -> tuple[int, ...]:
    """Assumed weekdays for a therapist whose working days are not recorded."""
    days = max(1, min(5, round(contracted_hours / FULL_DAY_HOURS)))
    return tuple(sorted((therapist_id + k) % 5 for k in range(days)))


def term_instance(local_area: LocalArea, discipline: str, term: Term, *, today: dt.date, time_limit: float = 60.0) -> TermInstance:
    calendar = calendar_for_area(local_area)
    # A term in progress is planned from today: sessions cannot be booked in the days that have
    # passed, and what was missed in them is owed (term_ledger counts it up to yesterday).
    plan_from = max(term.starts_on, today)
    weeks = [(monday, tuple(d for d in days if monday + dt.timedelta(days=d) >= plan_from)) for monday, days in term_weeks(term, calendar)]
    weeks = [(monday, days) for monday, days in weeks if days]
    overheads = overheads_for(local_area)
    ledger = term_ledger(local_area, term, today=today, discipline=discipline, plan_from=plan_from)

    caseload = defaultdict(set)
    current: dict[int, int] = {}
    for child_id, therapist_id in CaseloadAssignment.objects.filter(
        local_area=local_area, discipline=discipline, starts_on__lte=term.starts_on
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=term.starts_on)).values_list("child_id", "therapist_id"):
        current[child_id] = therapist_id
        caseload[therapist_id].add(child_id)
    review_week: dict[int, int] = {}
    for child_id, starts in AnnualReview.objects.filter(local_area=local_area, decision_on__isnull=True).values_list(
        "plan__child_id", "period_starts_on"
    ):
        due = annual_review_due_date(starts)
        for index, (monday, _days) in enumerate(weeks):
            if monday <= due < monday + dt.timedelta(weeks=1):
                review_week[child_id] = index

    needs, setting_rows = [], {}
    child_setting: dict[int, int] = {}
    for item in ledger.items:
        setting = item.child.current_setting
        if setting is None or not item.sessions or not item.period:
            continue  # nowhere to visit, or a line the plan does not quantify: listed on the ledger, not planned
        due = round(ledger.due.get(item.pk, (0.0, 0.0))[0])
        owed = ledger.owed.get(item.pk, (0, 0.0))[0]
        if due + owed <= 0:
            continue
        setting_rows[setting.pk] = setting
        child_setting[item.child_id] = setting.pk
        owner = current.get(item.child_id)
        needs.append(Need(
            id=str(item.pk), child_id=str(item.child_id), discipline=discipline, setting_id=str(setting.pk),
            session_minutes=item.minutes or 30, sessions_due=due, sessions_owed=owed, group_allowed=item.group_allowed,
            current_therapist_id=str(owner) if owner else None, deadline_week=review_week.get(item.child_id),
        ))

    absences = defaultdict(list)
    for therapist_id, starts, ends in Absence.objects.filter(
        therapist__local_area=local_area, starts_on__lte=term.ends_on, ends_on__gte=term.starts_on
    ).values_list("therapist_id", "starts_on", "ends_on"):
        absences[therapist_id].append((starts, ends))
    therapists = []
    for row in TherapistRow.objects.filter(local_area=local_area, discipline=discipline, archived_at__isnull=True).prefetch_related(
        "settings_covered"
    ):
        hours = float(row.contracted_hours)
        days = row.weekdays or working_days(row.pk, hours)
        daily_minutes = hours / len(days) * 60 * (1 - overheads.non_clinical_fraction) * (1 - overheads.other_work_fraction)
        covered = {s.pk for s in row.settings_covered.all()} or {child_setting[c] for c in caseload[row.pk] if c in child_setting}
        away = []
        for index, (monday, open_days) in enumerate(weeks):
            lost = sum(1 for d in open_days if any(s <= monday + dt.timedelta(days=d) <= e for s, e in absences[row.pk]))
            if lost >= 3 or (open_days and lost == len(open_days)):
                away.append(index)
        therapists.append(Therapist(
            id=str(row.pk), discipline=discipline, minutes_per_day=int(daily_minutes), working_days=days,
            settings_covered=tuple(str(pk) for pk in sorted(covered)), unavailable_weeks=tuple(away),
        ))
    known = {t.id for t in therapists}
    needs = [n if n.current_therapist_id in known or n.current_therapist_id is None else
             Need(**{**n.__dict__, "current_therapist_id": None}) for n in needs]
    return TermInstance(
        term=term_name(term),
        weeks=tuple(TeachingWeek(index=i, open_weekdays=days, starts_on=monday.isoformat()) for i, (monday, days) in enumerate(weeks)),
        therapists=tuple(therapists),
        settings=tuple(Setting(id=str(pk), cluster=setting_cluster(s.postcode), visit_overhead_minutes=overheads.travel_minutes_per_visit)
                       for pk, s in sorted(setting_rows.items())),
        needs=tuple(needs),
        config=PlannerConfig(time_limit_seconds=time_limit, num_workers=2),
    )
