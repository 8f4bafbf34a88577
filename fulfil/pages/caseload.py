"""A therapist's caseload page: the children on it whom the viewer may see, each with their
ledger position in the therapist's discipline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from fulfil.accounts.models import User
from fulfil.accounts.scopes import children_visible_to
from fulfil.children.models import Child, SenStatus
from fulfil.ledger.positions import child_positions_stored
from fulfil.ledger.selectors import NOT_COUNTABLE, STATE_ORDER
from fulfil.workforce.models import CaseloadAssignment, Therapist
from fulfil.workforce.selectors import caseload_for_therapist


@dataclass
class CaseloadRow:
    assignment: CaseloadAssignment
    position: dict  # `child_positions_stored`: state, owed, reason

    @property
    def has_plan(self) -> bool:
        """An EHC plan, so a position to show; otherwise the child's SEN status is shown."""
        return self.assignment.child.sen_status == SenStatus.EHCP


def caseload_with_positions(user: User, therapist: Therapist, *, now: dt.datetime, today: dt.date) -> list[CaseloadRow]:
    """Children behind or at risk first: the therapist's next visit should start with them."""
    caseload = caseload_for_therapist(therapist, visible=children_visible_to(user, now=now), today=timezone.localdate(now))
    positions = child_positions_stored(
        Child.objects.filter(pk__in=[a.child_id for a in caseload]), local_area=therapist.local_area,
        today=today, discipline=therapist.discipline,
    )
    rows = [CaseloadRow(assignment, positions.get(assignment.child_id, NOT_COUNTABLE)) for assignment in caseload]
    rows.sort(key=lambda r: (STATE_ORDER[r.position["state"]], -r.position["owed"], r.assignment.child.last_name,
                             r.assignment.child.first_name))
    return rows
