"""Writes for plans."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from fulfil.plans.clocks import ClockException, ClockKind, ExceptionKind, RequestOutcome, allowed_exceptions, annual_review_timeline, ehcna_timeline
from fulfil.plans.models import (
    AdviceRequest,
    AdviceService,
    AnnualReview,
    AssessmentOutcome,
    AssessmentRequest,
    PlanVersion,
    ProvisionItem,
    RecordedException,
    StepRevision,
)
from fulfil.workforce.models import Provider


@transaction.atomic
def provision_item_add(
    *,
    plan_version: PlanVersion,
    discipline: str,
    section: str,
    kind: str,
    sessions: int | None,
    minutes: int | None,
    period: str,
    deliverer: str,
    starts_on: dt.date,
    wording: str,
    group_allowed: bool = False,
) -> ProvisionItem:
    """Add a therapy line to a plan version, keeping the plan's own words beside the
    structured fields the ledger counts."""
    plan = plan_version.plan
    item = ProvisionItem(
        local_area_id=plan.local_area_id, plan_version=plan_version, child_id=plan.child_id, discipline=discipline,
        section=section, kind=kind, sessions=sessions, minutes=minutes, period=period or "", deliverer=deliverer,
        starts_on=starts_on, wording=wording.strip(), group_allowed=group_allowed,
    )
    item.full_clean()
    item.save()
    return item


def advice_sent_record(*, advice, provided_on: dt.date, summary: str, written_by, today: dt.date):
    """Record that the advice was sent to the council: when, and who wrote it. The 6-week clock
    (SEND Regulations 2014 reg 8(1)) stops on `provided_on`; nothing else changes."""
    problems = {}
    if provided_on < advice.requested_on:
        problems["provided_on"] = f"The advice cannot be sent before it was requested ({advice.requested_on:%-d %B %Y})"
    if provided_on > today:
        problems["provided_on"] = "The date sent must be today or in the past"
    if advice.provided_on is not None:
        problems["provided_on"] = f"This advice was already recorded as sent on {advice.provided_on:%-d %B %Y}"
    if problems:
        raise ValidationError(problems)
    advice.provided_on, advice.summary, advice.written_by = provided_on, summary, written_by
    advice.save(update_fields=["provided_on", "summary", "written_by", "updated_at"])
    return advice


def exception_record(*, assessment, advice_request, kind: str, reason: str, starts_on: dt.date, ends_on: dt.date, recorded_by,
                     advice_requested_on: dt.date | None = None):
    """Record an exception the regulations allow, with its reason. It never moves a due date
    (see `fulfil.plans.clocks`); the pure rules decide whether it is well formed."""
    clock = ClockKind.ADVICE if advice_request is not None else ClockKind.FINAL_PLAN
    try:
        exception_kind = ExceptionKind(kind)
    except ValueError:
        raise ValidationError({"kind": "Choose the kind of exception"}) from None
    if exception_kind not in allowed_exceptions(clock):
        raise ValidationError({"kind": f"The regulations do not allow '{exception_kind.label}' for this timescale"})
    if advice_request is not None:
        advice_requested_on = advice_request.requested_on
    try:
        ClockException(kind=exception_kind, reason=reason, starts_on=starts_on, ends_on=ends_on, advice_requested_on=advice_requested_on)
    except ValueError as error:
        raise ValidationError({"reason": str(error)}) from None
    row = RecordedException(local_area_id=assessment.local_area_id, assessment=assessment, advice_request=advice_request,
                            kind=exception_kind.value, reason=reason.strip(), starts_on=starts_on, ends_on=ends_on,
                            advice_requested_on=advice_requested_on, recorded_by=recorded_by)
    row.full_clean()
    row.save()
    return row


ASSESSMENT_STEPS = ("decided_on", "draft_sent_on", "final_plan_on", "decision_not_to_issue_on")
REVIEW_STEPS = ("meeting_on", "report_on", "decision_on", "amendment_notice_on", "amended_plan_on")
# What the steps pages edit: the day the clocks start (a typo there moves every due date, so it
# can be corrected, with a revision) and the steps.
ASSESSMENT_FIELDS = ("received_on", *ASSESSMENT_STEPS)
REVIEW_FIELDS = ("period_starts_on", *REVIEW_STEPS)


def _not_in_future(dates: dict[str, dt.date | None], today: dt.date, problems: dict[str, str]) -> None:
    for field, day in dates.items():
        if day is not None and day > today:
            problems.setdefault(field, "The date must be today or in the past")


def _not_before(dates: dict[str, dt.date | None], start: dt.date, what: str, problems: dict[str, str]) -> None:
    for field, day in dates.items():
        if day is not None and day < start:
            problems.setdefault(field, f"The date cannot be before {what} ({start:%-d %B %Y})")


@transaction.atomic
def assessment_request_record(*, child, reference: str, received_on: dt.date, today: dt.date):
    """Log a request for an EHC needs assessment (CFA 2014 s.36): the 6-week decision clock
    (SEND Regulations 2014 reg 5(1)) and the 20-week clock (reg 13(2)) start on `received_on`."""
    reference = reference.strip()
    problems: dict[str, str] = {}
    if AssessmentRequest.objects.filter(local_area_id=child.local_area_id, reference=reference).exists():
        problems["reference"] = f"Reference {reference} is already used for another request: check it and enter it again"
    _not_in_future({"received_on": received_on}, today, problems)
    if problems:
        raise ValidationError(problems)
    return AssessmentRequest.objects.create(local_area_id=child.local_area_id, child=child, reference=reference,
                                            received_on=received_on)


def _revision_of(case, fields) -> dict:
    return {name: (value.isoformat() if isinstance(value, dt.date) else value) for name in fields for value in [getattr(case, name)]}


@transaction.atomic  # the steps and the revision that keeps what they replaced land together
def assessment_steps_record(*, assessment, today: dt.date, changed_by, outcome: str, **steps: dt.date | None):
    """Record the steps of an assessment so far. Dates are facts, never due dates (those are
    computed by `fulfil.plans.clocks`); the pure timeline refuses impossible combinations, such
    as a plan after a refusal to assess, in words the officer can act on. A change keeps what it
    replaced (`StepRevision`)."""
    received = steps.get("received_on") or assessment.received_on
    dates = {name: steps.get(name) for name in ASSESSMENT_STEPS}
    problems: dict[str, str] = {}
    _not_in_future({"received_on": received} | dates, today, problems)
    _not_before(dates, received, "the request was received", problems)
    first_advice = assessment.advice_requests.order_by("requested_on").values_list("requested_on", flat=True).first()
    if first_advice is not None and first_advice < received:
        problems.setdefault("received_on", f"Advice was asked for on {first_advice:%-d %B %Y}, before this date")
    if dates["decided_on"] is not None:
        _not_before({k: dates[k] for k in ASSESSMENT_STEPS[1:]}, dates["decided_on"], "the decision to assess", problems)
    if dates["draft_sent_on"] is not None:
        _not_before({"final_plan_on": dates["final_plan_on"]}, dates["draft_sent_on"], "the draft plan was sent", problems)
    if bool(outcome) != (dates["decided_on"] is not None):
        problems.setdefault("outcome" if not outcome else "decided_on",
                            "Choose the decision" if not outcome else "Enter the date of the decision")
    if dates["draft_sent_on"] and outcome != RequestOutcome.ASSESS:
        problems.setdefault("draft_sent_on", "A draft plan follows only a decision to assess")
    if not problems:
        try:
            ehcna_timeline(received, today=today, decided_on=dates["decided_on"],
                           outcome=RequestOutcome(outcome) if outcome else None, final_plan_on=dates["final_plan_on"],
                           decision_not_to_issue_on=dates["decision_not_to_issue_on"])
        except ValueError as error:
            problems["__all__"] = str(error)
    if problems:
        raise ValidationError(problems)
    before = _revision_of(assessment, ("outcome", *ASSESSMENT_FIELDS))
    assessment.outcome, assessment.received_on = outcome, received
    for name, day in dates.items():
        setattr(assessment, name, day)
    after = _revision_of(assessment, ("outcome", *ASSESSMENT_FIELDS))
    if after != before:
        assessment.save(update_fields=[*ASSESSMENT_FIELDS, "outcome", "updated_at"])
        StepRevision.objects.create(assessment=assessment, before=before, after=after, changed_by=changed_by)
    return assessment


@transaction.atomic
def annual_review_record(*, plan, reference: str, period_starts_on: dt.date, today: dt.date):
    """Log a review of a plan: the 12-month clock (CFA 2014 s.44(1)) runs from `period_starts_on`."""
    reference = reference.strip()
    problems: dict[str, str] = {}
    if AnnualReview.objects.filter(local_area_id=plan.local_area_id, reference=reference).exists():
        problems["reference"] = f"Reference {reference} is already used for another review: check it and enter it again"
    _not_in_future({"period_starts_on": period_starts_on}, today, problems)
    if plan.first_issued_on and period_starts_on < plan.first_issued_on:
        problems.setdefault("period_starts_on", f"The date cannot be before the plan was first issued ({plan.first_issued_on:%-d %B %Y})")
    if problems:
        raise ValidationError(problems)
    return AnnualReview.objects.create(local_area_id=plan.local_area_id, plan=plan, reference=reference,
                                       period_starts_on=period_starts_on)


@transaction.atomic
def review_steps_record(*, review, today: dt.date, changed_by, **steps: dt.date | None):
    """Record the steps of a review so far (SEND Regulations 2014 regs 20-22): the pure timeline
    refuses a report or decision without a meeting, or an amended plan without a notice."""
    period = steps.get("period_starts_on") or review.period_starts_on
    dates = {name: steps.get(name) for name in REVIEW_STEPS}
    problems: dict[str, str] = {}
    _not_in_future({"period_starts_on": period} | dates, today, problems)
    first_issued = review.plan.first_issued_on
    if first_issued and period < first_issued:
        problems.setdefault("period_starts_on", f"The date cannot be before the plan was first issued ({first_issued:%-d %B %Y})")
    _not_before(dates, period, "the period under review began", problems)
    if dates["meeting_on"] is not None:
        _not_before({k: dates[k] for k in ("report_on", "decision_on", "amendment_notice_on", "amended_plan_on")},
                    dates["meeting_on"], "the review meeting", problems)
    if dates["amendment_notice_on"] is not None:
        _not_before({"amended_plan_on": dates["amended_plan_on"]}, dates["amendment_notice_on"],
                    "the notice of proposed amendments", problems)
    if not problems:
        try:
            annual_review_timeline(period, today=today, meeting_on=dates["meeting_on"], report_on=dates["report_on"],
                                   decision_on=dates["decision_on"], amendment_notice_on=dates["amendment_notice_on"],
                                   amended_plan_on=dates["amended_plan_on"])
        except ValueError as error:
            problems["__all__"] = str(error)
    if problems:
        raise ValidationError(problems)
    before = _revision_of(review, REVIEW_FIELDS)
    review.period_starts_on = period
    for name, day in dates.items():
        setattr(review, name, day)
    after = _revision_of(review, REVIEW_FIELDS)
    if after != before:
        review.save(update_fields=[*REVIEW_FIELDS, "updated_at"])
        StepRevision.objects.create(review=review, before=before, after=after, changed_by=changed_by)
    return review



@transaction.atomic
def advice_request_record(*, assessment, service: str, provider_id: int | None, requested_on: dt.date, today: dt.date):
    """Ask a service for advice for an assessment (SEND Regulations 2014 reg 6(1)). Its 6 weeks
    run from the day the service receives the request (reg 8(1)); Fulfil counts from
    `requested_on`, the day it was sent: the same day for a request sent by email, and
    otherwise a due date a little early, never late. Advice is sought once the council has decided to assess."""
    problems: dict[str, str] = {}
    if assessment.outcome in (AssessmentOutcome.NOT_ASSESS, AssessmentOutcome.WITHDRAWN):
        problems["__all__"] = "Advice is asked for only in an assessment: this request was refused or withdrawn"
    _not_in_future({"requested_on": requested_on}, today, problems)
    _not_before({"requested_on": requested_on}, assessment.received_on, "the request was received", problems)
    provider = None
    if provider_id is not None:
        provider = Provider.objects.filter(pk=provider_id, local_area_id=assessment.local_area_id).first()
        if provider is None:
            problems["provider"] = "Choose a provider from the list"
    if service in (AdviceService.SALT, AdviceService.OT, AdviceService.PHYSIO) and provider_id is None:
        problems.setdefault("provider", "Choose the therapy provider asked for this advice, so its therapists see the request")
    waiting = AdviceRequest.objects.filter(assessment=assessment, service=service, provided_on__isnull=True).first()
    if waiting is not None:
        problems.setdefault("service", f"{waiting.get_service_display()} advice was already asked for on "
                                       f"{waiting.requested_on:%-d %B %Y} and has not been sent yet")
    if problems:
        raise ValidationError(problems)
    return AdviceRequest.objects.create(local_area_id=assessment.local_area_id, assessment=assessment, service=service,
                                        provider=provider, requested_on=requested_on)
