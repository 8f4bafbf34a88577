"""Writes for plans."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from fulfil.plans.models import PlanVersion, ProvisionItem


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
    from django.core.exceptions import ValidationError

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
    from django.core.exceptions import ValidationError

    from fulfil.plans.clocks import ClockException, ClockKind, ExceptionKind, allowed_exceptions
    from fulfil.plans.models import RecordedException

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
