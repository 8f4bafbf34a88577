"""Writes for the ledger."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from fulfil.ledger.models import ProvisionPause


@transaction.atomic
def provision_pause_record(*, child, provision_item=None, starts_on: dt.date, ends_on: dt.date, reason: str, recorded_by) -> ProvisionPause:
    """Record a pause of the child's clock: a period in which, by the council's decision, no
    therapy falls due (e.g. the child was in hospital and could not be seen). No regulation
    pauses the duty to secure the provision (Children and Families Act 2014 s.42); the
    absence exceptions in the SEND Regulations 2014 excuse assessment time limits only. So a
    pause is the council's own recorded decision: it needs dates and a reason, and it is kept
    (pauses are never deleted), so the ledger's history can always be explained."""
    if provision_item is not None and provision_item.child_id != child.pk:
        raise ValidationError({"provision_item": "Choose a line from this child's plan"})
    pause = ProvisionPause(
        local_area=child.local_area, child=child, provision_item=provision_item, starts_on=starts_on,
        ends_on=ends_on, reason=reason.strip(), recorded_by=recorded_by,
    )
    pause.full_clean()
    pause.save()
    return pause
