"""Signals a lower layer sends so a higher one can keep what it derives in step (ADR 23).

`ledger_inputs_changed`: a write changed what a child's provision ledger counts (a session
recorded, corrected, marked in error, cancelled, booked or moved). Sent inside the write's
transaction with `child_ids` and `today` (the day the write knows, or None); the ledger's
receiver brings the children's stored positions up to date in the same transaction. Delivery
and plans sit below the ledger, so they announce the change rather than call up into it.
"""

from __future__ import annotations

from django.dispatch import Signal

ledger_inputs_changed = Signal()
