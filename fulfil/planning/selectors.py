"""Reads for capacity, the term planner and recovery: load the area's rows once and hand plain
data to the pure modules (`capacity`, `solver`, `solver.recovery`).

Access: planning pages are for the council and the therapy service (aggregate figures); the
planner's input names children only by internal ids.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from fulfil.accounts.policy import Capability, roles_with
from fulfil.core.calendar import Term
from fulfil.core.models import Discipline, LocalArea
from fulfil.core.selectors import calendar_for_area
from fulfil.ledger.models import LedgerSettings
from fulfil.ledger.selectors import item_ledgers, ledger_context
from fulfil.planning.capacity import DemandRow, Overheads, StaffMember, VacantPost, discipline_capacity, term_gaps, with_overheads
from fulfil.planning.models import PlanningSettings
from fulfil.planning.solver.recovery import RecoveryInput, RecoveryLine
from fulfil.planning.terms import term_weeks
from fulfil.plans.clocks import RULES, ClockKind, advice_request_due_date, annual_review_due_date
from fulfil.plans.models import AdviceRequest, AnnualReview, ProvisionItem, VersionStatus
from fulfil.workforce.models import Absence, Therapist, Vacancy

# Read from the one capability policy (fulfil.accounts.policy).
PLANNING_ROLES = roles_with(Capability.RUN_PLANNER)
# Booking puts sessions in therapists' diaries: that belongs to the managers of the service that
# employs them (issue 18), never to the council, which plans and reads.
BOOKING_ROLES = roles_with(Capability.BOOK_SERVICE_DIARIES)
CAPACITY_ROLES = roles_with(Capability.SEE_CAPACITY)
DISCIPLINES = tuple(Discipline.values)
# A group line's session is shared: the therapist's time per child is the session over the group.
# Four is the planner's largest group; groups in plans usually run with three to six children.
TYPICAL_GROUP_SIZE = 4


def therapist_hours(item, minutes: float) -> float:
    """Therapist hours a line's minutes take: a group session's minutes are shared."""
    return minutes / 60 / (TYPICAL_GROUP_SIZE if item.kind == "group" else 1)


def overheads_for(local_area: LocalArea) -> Overheads:
    row = PlanningSettings.objects.filter(local_area=local_area).first() or PlanningSettings(local_area=local_area)
    return Overheads(
        non_clinical_fraction=float(row.non_clinical_fraction), other_work_fraction=float(row.other_work_fraction),
        indirect_fraction=float(row.indirect_fraction),
        training_hours_per_term=float(row.training_hours_per_term), report_hours_per_advice=float(row.report_hours_per_advice),
        report_hours_per_review=float(row.report_hours_per_review), travel_minutes_per_visit=row.travel_minutes_per_visit,
    )


def journey_minutes_for(local_area: LocalArea) -> int:
    """The journey between two settings the area plans with; bookings leave this gap too."""
    row = PlanningSettings.objects.filter(local_area=local_area).values_list("travel_minutes_per_visit", flat=True).first()
    return row if row is not None else PlanningSettings._meta.get_field("travel_minutes_per_visit").default


def setting_cluster(postcode: str | None) -> str:
    """A setting's patch: its postcode district (SM1, SM5 ...), which is how therapy teams
    usually split a borough between them."""
    return (postcode or "").split(" ")[0].upper() or "No setting"


@dataclass
class TermLedger:
    """Each final provision line's due and owed for the term, in sessions and minutes."""

    items: list  # ProvisionItem rows with child and setting
    due: dict[int, tuple[float, float]]  # item pk -> (sessions, minutes) due in the term
    owed: dict[int, tuple[int, float]]  # item pk -> (whole sessions, minutes) owed before the term


def term_ledger(local_area: LocalArea, term: Term, *, today: dt.date, discipline: str = "", plan_from: dt.date | None = None) -> TermLedger:
    """What is due in the term (from `plan_from`, the whole term without it) and what is owed
    before it. The planner plans a term in progress from today: what is due in the weeks left,
    and everything owed up to yesterday, this term's missed sessions included."""
    # Only lines a therapist delivers take therapist time; programmes run by school staff do not.
    items = ProvisionItem.objects.filter(local_area=local_area, plan_version__status=VersionStatus.FINAL, child__archived_at__isnull=True,
                                         deliverer="therapist")
    if discipline:
        items = items.filter(discipline=discipline)
    context = ledger_context(local_area, start=min(term.starts_on, today), end=term.ends_on)
    # The ledger counts due only up to the day before `today`; the whole term's due is wanted here,
    # so it is read as if on the day after the term ends.
    start = plan_from or term.starts_on
    in_term = item_ledgers(items, context=context, start=start, end=term.ends_on, today=term.ends_on + dt.timedelta(days=1))
    owed_until = min(start, today) - dt.timedelta(days=1)
    before = {}
    if owed_until > context.records_from:
        before = item_ledgers(items, context=context, start=context.records_from, end=owed_until, today=today)
    return TermLedger(
        items=list(items.select_related("child__current_setting")),
        due={pk: (led.due, led.due_minutes) for pk, led in in_term.items()},
        owed={pk: (led.owed_contacts, led.owed_minutes) for pk, led in before.items()},
    )


def term_demand(local_area: LocalArea, term: Term, *, today: dt.date, overheads: Overheads, ledger: TermLedger | None = None) -> list[DemandRow]:
    """Demand per discipline and setting cluster for the term, in hours."""
    ledger = ledger or term_ledger(local_area, term, today=today)
    weeks = len(term_weeks(term, calendar_for_area(local_area)))
    rows: dict[tuple[str, str], dict] = defaultdict(lambda: {"due": 0.0, "owed": 0.0, "children": set(), "settings": set(),
                                                             "advice": 0, "reviews": 0})
    child_cluster: dict[int, str] = {}
    disciplines_of_child: dict[int, set[str]] = defaultdict(set)
    for item in ledger.items:
        setting = item.child.current_setting
        cluster = setting_cluster(setting.postcode if setting else None)
        child_cluster[item.child_id] = cluster
        disciplines_of_child[item.child_id].add(item.discipline)
        row = rows[item.discipline, cluster]
        row["due"] += therapist_hours(item, ledger.due.get(item.pk, (0, 0.0))[1])
        row["owed"] += therapist_hours(item, ledger.owed.get(item.pk, (0, 0.0))[1])
        row["children"].add(item.child_id)
        if setting:
            row["settings"].add(setting.pk)
    # Advice to write in the term: open requests falling due in it (reg 8(1)).
    open_advice = AdviceRequest.objects.filter(local_area=local_area, provided_on__isnull=True, service__in=DISCIPLINES).filter(
        requested_on__gte=term.starts_on - dt.timedelta(weeks=RULES[ClockKind.ADVICE].weeks), requested_on__lte=term.ends_on
    ).select_related("assessment__child__current_setting")
    for advice in open_advice:
        if term.starts_on <= advice_request_due_date(advice.requested_on) <= term.ends_on:
            setting = advice.assessment.child.current_setting
            rows[advice.service, setting_cluster(setting.postcode if setting else None)]["advice"] += 1
    # Reviews falling due in the term for children with that discipline in their plan.
    for review in AnnualReview.objects.filter(local_area=local_area, decision_on__isnull=True).select_related("plan"):
        if term.starts_on <= annual_review_due_date(review.period_starts_on) <= term.ends_on:
            child_id = review.plan.child_id
            for discipline in disciplines_of_child.get(child_id, ()):
                rows[discipline, child_cluster.get(child_id, "No setting")]["reviews"] += 1
    result = []
    for (discipline, cluster), row in sorted(rows.items()):
        direct = DemandRow(discipline, cluster, due_hours=row["due"], owed_hours=row["owed"], children=len(row["children"]))
        result.append(with_overheads(direct, overheads, advice=row["advice"], reviews=row["reviews"], settings=len(row["settings"]),
                                     weeks=weeks))
    return result


def staff_and_posts(local_area: LocalArea, term: Term) -> tuple[list[StaffMember], list[VacantPost]]:
    absences = defaultdict(list)
    for therapist_id, starts, ends in Absence.objects.filter(therapist__local_area=local_area, starts_on__lte=term.ends_on,
                                                             ends_on__gte=term.starts_on).values_list("therapist_id", "starts_on", "ends_on"):
        absences[therapist_id].append((starts, ends))
    staff = [
        StaffMember(t.pk, t.full_name, t.discipline, float(t.contracted_hours), t.provider.kind == "independent", tuple(absences[t.pk]))
        for t in Therapist.objects.filter(local_area=local_area, archived_at__isnull=True).select_related("provider")
    ]
    posts = [
        VacantPost(v.pk, v.discipline, float(v.hours), v.open_from, v.filled_on)
        for v in Vacancy.objects.filter(local_area=local_area, open_from__lte=term.ends_on).filter(
            Q(filled_on__isnull=True) | Q(filled_on__gt=term.starts_on))
    ]
    return staff, posts


def therapists_without_working_days(local_area: LocalArea) -> dict[str, int]:
    """Per discipline, active therapists whose working days are not recorded (the planner
    assumes theirs from contracted hours), so the planner page can say so."""
    rows = (Therapist.objects.filter(local_area=local_area, archived_at__isnull=True, working_days="")
            .values("discipline").annotate(n=Count("id")))
    return {row["discipline"]: row["n"] for row in rows}


def teaching_days_of(local_area: LocalArea, term: Term) -> list[dt.date]:
    return list(calendar_for_area(local_area).teaching_days(term.starts_on, term.ends_on))


def capacity_report(local_area: LocalArea, term: Term, *, today: dt.date, scenarios: list, disciplines: tuple[str, ...] = DISCIPLINES):
    """Demand, capacity and gap per discipline for each scenario, side by side."""
    overheads = overheads_for(local_area)
    demand = term_demand(local_area, term, today=today, overheads=overheads)
    staff, posts = staff_and_posts(local_area, term)
    return term_gaps(demand, staff, posts, teaching_days_of(local_area, term), overheads, scenarios, disciplines)


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def recovery_input(local_area: LocalArea, *, discipline: str, by: dt.date, today: dt.date, rate: float | None = None,
                   horizon_months: int = 12):
    """The recovery planner's input for one discipline: per setting cluster, the hours owed today
    and, month by month from this month, the hours falling due and the in-house clinical hours.

    In-house hours are split between clusters in proportion to the settings each therapist
    covers there (a therapist covering none is split by where the hours are due)."""
    months = _month_starts(today, max(by, today + dt.timedelta(days=31 * horizon_months)))
    end = (months[-1] + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    items = ProvisionItem.objects.filter(local_area=local_area, plan_version__status=VersionStatus.FINAL, child__archived_at__isnull=True,
                                         discipline=discipline, deliverer="therapist")
    cluster_of = {pk: setting_cluster(postcode) for pk, postcode in items.values_list("pk", "child__current_setting__postcode")}
    shared = set(items.filter(kind="group").values_list("pk", flat=True))

    def hours(pk: int, minutes: float) -> float:
        return minutes / 60 / (TYPICAL_GROUP_SIZE if pk in shared else 1)

    context = ledger_context(local_area, start=today, end=end)
    owed: dict[str, float] = defaultdict(float)
    for pk, led in item_ledgers(items, context=context, start=context.records_from, end=today, today=today).items():
        owed[cluster_of[pk]] += hours(pk, led.owed_minutes)
    due: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(months))
    for m, first in enumerate(months):
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        start = max(first, today + dt.timedelta(days=1)) if m == 0 else first
        if start > last:
            continue
        # Read as if on the day after the month ends, so the whole month's due is counted.
        for pk, led in item_ledgers(items, context=context, start=start, end=last, today=last + dt.timedelta(days=1)).items():
            due[cluster_of[pk]][m] += hours(pk, led.due_minutes)
    clusters = sorted(set(owed) | set(due))
    overheads = overheads_for(local_area)
    staff: list[StaffMember] = []
    posts: list[VacantPost] = []  # no vacancies: recovery plans with the staff in post
    calendar = calendar_for_area(local_area)
    share: dict[int, dict[str, float]] = {}
    total_due = {c: sum(due[c]) + owed[c] for c in clusters}
    for therapist in Therapist.objects.filter(local_area=local_area, discipline=discipline, archived_at__isnull=True).select_related(
        "provider"
    ).prefetch_related("settings_covered"):
        if therapist.provider.kind == "independent":
            continue  # commissioned hours are what recovery buys more of; not in-house capacity
        staff.append(StaffMember(therapist.pk, therapist.full_name, discipline, float(therapist.contracted_hours)))
        covered = [setting_cluster(s.postcode) for s in therapist.settings_covered.all()]
        weights: dict[str, float] = {c: covered.count(c) for c in clusters if c in covered} or {c: total_due[c] for c in clusters}
        total = sum(weights.values()) or 1
        share[therapist.pk] = {c: w / total for c, w in weights.items()}
    absences = defaultdict(list)
    for therapist_id, s, e in Absence.objects.filter(therapist__in=[m.id for m in staff], ends_on__gte=today).values_list(
        "therapist_id", "starts_on", "ends_on"
    ):
        absences[therapist_id].append((s, e))
    capacity: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(months))
    for m, first in enumerate(months):
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        days = list(calendar.teaching_days(max(first, today + dt.timedelta(days=1)) if m == 0 else first, last))
        for member in staff:
            one = StaffMember(member.id, member.name, discipline, member.hours_per_week, absences=tuple(absences[member.id]))
            clinical = discipline_capacity(discipline, [one], posts, days, overheads).in_house_clinical
            for cluster, weight in share[member.id].items():
                capacity[cluster][m] += clinical * weight
    rules = LedgerSettings.objects.filter(local_area=local_area).first() or LedgerSettings(local_area=local_area)
    area_rate = float(rules.independent_hourly_rate)
    target = next(f"{d:%Y-%m}" for d in months if d.year == by.year and d.month == by.month)
    return RecoveryInput(
        months=tuple(f"{d:%Y-%m}" for d in months),
        lines=tuple(RecoveryLine(discipline, c, round(owed[c], 2), tuple(round(x, 2) for x in capacity[c]),
                                 tuple(round(x, 2) for x in due[c])) for c in clusters),
        rates={discipline: rate if rate is not None else area_rate},
        target_month=target,
    )
