"""Keep stored positions in step with every write that changes a line's inputs (ADR 23).

Connected in `LedgerConfig.ready`. Sessions and attendances are written by services that also
update rows in bulk (which sends no model signal), so those services send
`core.signals.ledger_inputs_changed` with the day they know. Lines, enrolments and pauses are
saved one row at a time by their services, the admin and imports alike, so their model signals
catch every route; they know no day, so the positions are recomputed as at the day they are
stored. Term dates, closure days, ledger rules and the booking horizon change every line in
an area: they are not written here but change `context_key`, so the next read recomputes.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from fulfil.children.models import Enrolment
from fulfil.core.signals import ledger_inputs_changed
from fulfil.ledger.models import ProvisionPause
from fulfil.ledger.positions import positions_refresh_children
from fulfil.plans.models import ProvisionItem


@receiver(ledger_inputs_changed, dispatch_uid="ledger-positions-inputs")
def refresh_after_write(sender, *, child_ids, today=None, **kwargs) -> None:
    positions_refresh_children(child_ids, today=today)


@receiver(post_save, sender=Enrolment, dispatch_uid="ledger-positions-enrolment-saved")
@receiver(post_delete, sender=Enrolment, dispatch_uid="ledger-positions-enrolment-deleted")
@receiver(post_save, sender=ProvisionItem, dispatch_uid="ledger-positions-line-saved")
@receiver(post_save, sender=ProvisionPause, dispatch_uid="ledger-positions-pause-saved")
@receiver(post_delete, sender=ProvisionPause, dispatch_uid="ledger-positions-pause-deleted")
def refresh_after_save(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # a fixture being loaded: nothing to keep in step yet
        positions_refresh_children([instance.child_id], today=None)
