"""Writes for the ledger."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from fulfil.ledger.models import ProvisionPause


@transaction.atomic
def provision_pause_record(*, child, provision_item=None, starts_on: dt.date, ends_on: dt.date, reason: str, recorded_by) -> ProvisionPause:
    """Record an exception that stops the clock (SEND Regulations 2014 allow for a child's
    absence; e.g. in hospital for 4 weeks or more). It needs dates and a reason, and it is kept:
    pauses are never deleted, so the ledger's history can always be explained."""
    if provision_item is not None and provision_item.child_id != child.pk:
        raise ValidationError({"provision_item": "Choose a line from this child's plan"})
    pause = ProvisionPause(
        local_area=child.local_area, child=child, provision_item=provision_item, starts_on=starts_on,
        ends_on=ends_on, reason=reason.strip(), recorded_by=recorded_by,
    )
    pause.full_clean()
    pause.save()
    return pause
