"""Reads for the statutory clocks: advice requests due and overdue, timeliness by service and
quarter, reviews overdue, and SEN2-style figures from Fulfil's own records.

Access: `advice_requests_visible_to` is the one check for advice requests; area-wide figures
take an area and are for roles that see aggregates. Due dates come from `fulfil.plans.clocks`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404

from fulfil.accounts.models import Role, User
from fulfil.accounts.policy import Capability, roles_with
from fulfil.plans.clocks import (
    RULES,
    ClockException,
    ClockKind,
    ClockState,
    ClockStatus,
    ExceptionKind,
    allowed_exceptions,
    annual_review_due_date,
    clock_status,
)
from fulfil.plans.models import AdviceRequest, AdviceService, AnnualReview, AssessmentOutcome, AssessmentRequest, Plan, RecordedException
from fulfil.plans.sen2 import (
    AnnualReviewRecord,
    PlanRecord,
    RequestOutcome,
    RequestRecord,
    ReviewMeetingRecord,
    Sen2Caseload,
    Sen2Figures,
    percentage,
    sen2_caseload,
    sen2_figures,
)

# Read from the one capability policy (fulfil.accounts.policy).
ADVICE_ROLES = roles_with(Capability.SEE_ADVICE)
TIMELINESS_ROLES = roles_with(Capability.SEE_TIMELINESS)
THERAPY_SERVICES = (AdviceService.SALT, AdviceService.OT, AdviceService.PHYSIO)


def advice_requests_visible_to(user: User) -> QuerySet[AdviceRequest]:
    """The council sees every advice request of its area; a therapy service sees those sent to it;
    a therapist those for their service and discipline. Deny by default."""
    if not user.is_authenticated or user.local_area_id is None:
        return AdviceRequest.objects.none()
    base = AdviceRequest.objects.filter(local_area_id=user.local_area_id, assessment__child__archived_at__isnull=True)
    if user.role == Role.COUNCIL_OFFICER:
        return base
    if user.role == Role.SERVICE_MANAGER and user.provider_id:
        return base.filter(provider_id=user.provider_id)
    if user.role == Role.THERAPIST and user.therapist_id:
        me = user.therapist
        return base.filter(provider_id=me.provider_id, service=me.discipline)
    return AdviceRequest.objects.none()


def advice_request_get_for_user(user: User, pk: int) -> AdviceRequest:
    try:
        return (advice_requests_visible_to(user)
                .select_related("assessment__child__current_setting", "therapist", "written_by", "provider").get(pk=pk))
    except AdviceRequest.DoesNotExist:
        raise Http404("No advice request found") from None


def _exception(row: RecordedException) -> ClockException:
    return ClockException(kind=ExceptionKind(row.kind), reason=row.reason, starts_on=row.starts_on, ends_on=row.ends_on,
                          advice_requested_on=row.advice_requested_on)


def advice_status(advice: AdviceRequest, *, today: dt.date, exceptions: list[RecordedException] | None = None) -> ClockStatus:
    """Where the 6-week advice clock stands (SEND Regulations 2014 reg 8(1)), with any recorded
    exceptions for this request or its whole case."""
    if exceptions is None:
        exceptions = list(RecordedException.objects.filter(assessment_id=advice.assessment_id))
    relevant = [_exception(e) for e in exceptions if e.advice_request_id in (None, advice.pk)]
    allowed = [e for e in relevant if e.kind in _ADVICE_KINDS]
    withdrawn = advice.assessment.decided_on if advice.assessment.outcome == AssessmentOutcome.WITHDRAWN else None
    return clock_status(ClockKind.ADVICE, advice.requested_on, advice.provided_on, today, allowed,
                        subject=advice.get_service_display(), withdrawn_on=withdrawn)


_ADVICE_KINDS = allowed_exceptions(ClockKind.ADVICE)


@dataclass
class AdviceDue:
    overdue: list[tuple[AdviceRequest, ClockStatus]] = field(default_factory=list)
    this_week: list[tuple[AdviceRequest, ClockStatus]] = field(default_factory=list)
    later: list[tuple[AdviceRequest, ClockStatus]] = field(default_factory=list)
    by_therapist: list[dict] = field(default_factory=list)


def advice_due(user: User, *, today: dt.date) -> AdviceDue:
    """Open advice requests: overdue, due this week (to Sunday), and later; with counts by
    discipline and therapist, most overdue first."""
    open_requests = list(
        advice_requests_visible_to(user).filter(provided_on__isnull=True, service__in=THERAPY_SERVICES)
        .exclude(assessment__outcome__in=[AssessmentOutcome.WITHDRAWN, AssessmentOutcome.NOT_ASSESS])
        .select_related("assessment__child", "therapist")
    )
    exceptions = defaultdict(list)
    for row in RecordedException.objects.filter(assessment_id__in={a.assessment_id for a in open_requests}):
        exceptions[row.assessment_id].append(row)
    sunday = today + dt.timedelta(days=6 - today.weekday())
    due = AdviceDue()
    counts: dict[tuple, dict] = {}
    for advice in open_requests:
        status = advice_status(advice, today=today, exceptions=exceptions[advice.assessment_id])
        key = (advice.get_service_display(), advice.therapist.full_name if advice.therapist else "Not allocated")
        row = counts.setdefault(key, {"service": key[0], "therapist": key[1], "overdue": 0, "this_week": 0, "later": 0})
        if status.state == ClockState.OVERDUE:
            due.overdue.append((advice, status))
            row["overdue"] += 1
        elif status.due_on <= sunday:
            due.this_week.append((advice, status))
            row["this_week"] += 1
        else:
            due.later.append((advice, status))
            row["later"] += 1
    due.overdue.sort(key=lambda pair: pair[1].due_on)
    due.this_week.sort(key=lambda pair: pair[1].due_on)
    due.later.sort(key=lambda pair: pair[1].due_on)
    due.by_therapist = sorted(counts.values(), key=lambda r: (-r["overdue"], -r["this_week"], r["service"], r["therapist"]))
    return due


def quarter_of(day: dt.date) -> tuple[int, int]:
    """(financial year starting April, quarter 1-4): the NHS and council reporting quarters."""
    year = day.year if day.month >= 4 else day.year - 1
    return year, (day.month - 4) % 12 // 3 + 1


def quarter_label(key: tuple[int, int]) -> str:
    year, quarter = key
    return f"Q{quarter} {year}/{str(year + 1)[-2:]}"


@dataclass
class Rate:
    """On time out of due, for one group and period."""

    on_time: int = 0
    due: int = 0
    late_with_exception: int = 0

    @property
    def pct(self) -> Decimal | None:
        return percentage(self.on_time, self.due)


@dataclass
class Timeliness:
    quarters: list[tuple[int, int]]
    advice: dict[str, dict[tuple[int, int], Rate]]  # service label -> quarter -> rate
    decisions: dict[tuple[int, int], Rate]
    plans: dict[tuple[int, int], Rate]
    reviews_overdue: int
    reviews_due_next_month: int
    today: dt.date

    def quarter_labels(self) -> list[str]:
        return [quarter_label(q) for q in self.quarters]


def area_timeliness(local_area_id: int, *, today: dt.date, quarters: int = 6) -> Timeliness:
    """Advice on time (6 weeks, reg 8(1)) by service, decisions within 6 weeks (reg 5(1)) and plans
    within 20 weeks (reg 13(2)) by the quarter their due date fell in; reviews overdue today.

    A step counts in the quarter its due date falls in, once it is done or overdue: an open step not
    yet due is not counted anywhere yet, and an overdue one counts as not on time.
    """
    current = quarter_of(today)
    keys = [current]
    while len(keys) < quarters:
        year, q = keys[0]
        keys.insert(0, (year, q - 1) if q > 1 else (year - 1, 4))
    first_day = dt.date(keys[0][0], 4 + 3 * (keys[0][1] - 1), 1) if keys[0][1] < 4 else dt.date(keys[0][0] + 1, 1, 1)
    # Anything due in the window started at most the longest of its clocks before it (a week spare).
    longest = max(RULES[kind].weeks for kind in (ClockKind.ADVICE, ClockKind.DECISION_TO_ASSESS, ClockKind.FINAL_PLAN))
    start = first_day - dt.timedelta(weeks=longest + 1)
    requests = list(AssessmentRequest.objects.filter(local_area_id=local_area_id, received_on__gte=start, child__archived_at__isnull=True))
    exceptions = defaultdict(list)
    for row in RecordedException.objects.filter(assessment__in=requests):
        exceptions[row.assessment_id].append(row)
    advice: dict[str, dict] = {AdviceService(s).label: {k: Rate() for k in keys} for s in AdviceService.values}
    decisions = {k: Rate() for k in keys}
    plans = {k: Rate() for k in keys}

    def count(bucket: dict, status: ClockStatus) -> None:
        if status.state in (ClockState.OPEN, ClockState.WITHDRAWN):
            return
        key = quarter_of(status.due_on)
        if key in bucket:
            bucket[key].due += 1
            bucket[key].on_time += status.on_time
            bucket[key].late_with_exception += status.late_with_exception

    by_pk = {r.pk: r for r in requests}
    for request in requests:
        case = [_exception(e) for e in exceptions[request.pk] if e.advice_request_id is None]
        withdrawn = request.decided_on if request.outcome == AssessmentOutcome.WITHDRAWN else None
        decided = None if withdrawn else request.decided_on
        count(decisions, clock_status(ClockKind.DECISION_TO_ASSESS, request.received_on, decided, today,
                                      [e for e in case if e.kind in allowed_exceptions(ClockKind.DECISION_TO_ASSESS)], withdrawn_on=withdrawn))
        if request.outcome == AssessmentOutcome.ASSESS and not request.decision_not_to_issue_on:
            count(plans, clock_status(ClockKind.FINAL_PLAN, request.received_on, request.final_plan_on, today,
                                      [e for e in case if e.kind in allowed_exceptions(ClockKind.FINAL_PLAN)]))
    for item in AdviceRequest.objects.filter(assessment__in=requests):
        item.assessment = by_pk[item.assessment_id]
        count(advice[item.get_service_display()], advice_status(item, today=today, exceptions=exceptions[item.assessment_id]))
    overdue = next_month = 0
    for review in AnnualReview.objects.filter(local_area_id=local_area_id, decision_on__isnull=True, plan__child__archived_at__isnull=True):
        due_on = annual_review_due_date(review.period_starts_on)
        overdue += due_on < today
        next_month += today <= due_on <= today + dt.timedelta(days=31)
    return Timeliness(keys, {s: q for s, q in advice.items() if any(r.due for r in q.values())}, decisions, plans, overdue, next_month, today)


def records_that_hold(build, rows, problems: list[str] | None) -> list:
    """`build(row)` for each row, leaving out a record whose dates contradict each other (the pure
    record refuses it with ValueError, e.g. a decision before its request): it cannot be counted
    either way, so it is named in `problems` (by its reference, never a child's name) for someone to
    correct, and the rest are counted. Records entered through Fulfil's forms never contradict;
    imported or older ones can."""
    records = []
    for row in rows:
        try:
            records.append(build(row))
        except ValueError as error:
            if problems is not None:
                problems.append(str(error))
    return records


def area_sen2(local_area_id: int, *, year: int, as_of: dt.date, problems: list[str] | None = None) -> Sen2Figures:
    """SEN2-style figures for a calendar year from the area's own records (definitions in
    `fulfil.plans.sen2`); records that cannot be counted are named in `problems`."""
    requests = AssessmentRequest.objects.filter(local_area_id=local_area_id, child__archived_at__isnull=True).filter(
        received_on__year__gte=year - 1, received_on__lte=dt.date(year, 12, 31)
    )
    excused: dict[int, set[str]] = defaultdict(set)
    for assessment_id, kind in RecordedException.objects.filter(assessment__in=requests, advice_request__isnull=True).values_list(
        "assessment_id", "kind"
    ):
        excused[assessment_id].add(kind)
    records = records_that_hold(lambda r: RequestRecord(
        received_on=r.received_on, decided_on=r.decided_on, decision=RequestOutcome(r.outcome) if r.outcome else None,
        plan_issued_on=r.final_plan_on, decision_not_to_issue_on=r.decision_not_to_issue_on,
        exception_to_6_weeks=bool(excused[r.pk] & allowed_exceptions(ClockKind.DECISION_TO_ASSESS)),
        exception_to_20_weeks=bool(excused[r.pk] & allowed_exceptions(ClockKind.FINAL_PLAN)),
        reference=r.reference,
    ), requests, problems)
    reviews = records_that_hold(
        lambda row: AnnualReviewRecord(meeting_on=row[0], decision_on=row[1], reference=row[2]),
        AnnualReview.objects.filter(
            local_area_id=local_area_id, meeting_on__year=year, plan__child__archived_at__isnull=True
        ).values_list("meeting_on", "decision_on", "reference"),
        problems,
    )
    return sen2_figures(records, reviews, year, as_of=as_of)


def area_sen2_caseload(local_area_id: int, *, year: int, as_of: dt.date, problems: list[str] | None = None) -> Sen2Caseload:
    """Plans held on the census day and the year's review meetings (definitions in
    `fulfil.plans.sen2`): plans of children not archived, and each meeting with the 12 months it
    fell due in; meetings that cannot be counted are named in `problems`."""
    plans = [PlanRecord(issued, ceased) for issued, ceased in Plan.objects.filter(
        local_area_id=local_area_id, archived_at__isnull=True, child__archived_at__isnull=True).values_list("first_issued_on", "ceased_on")]
    meetings = records_that_hold(lambda row: ReviewMeetingRecord(*row), AnnualReview.objects.filter(
        local_area_id=local_area_id, meeting_on__year=year, plan__child__archived_at__isnull=True,
    ).values_list("period_starts_on", "meeting_on", "reference"), problems)
    return sen2_caseload(plans, meetings, year, as_of=as_of)
