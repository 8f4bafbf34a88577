"""The setting page: a school's pupils with plans, each with their ledger position."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from fulfil.accounts.models import User
from fulfil.accounts.scopes import children_visible_to
from fulfil.children.models import Child, SenStatus
from fulfil.ledger.positions import child_positions_stored
from fulfil.ledger.selectors import NOT_COUNTABLE, STATE_ORDER
from fulfil.plans.models import ProvisionItem, VersionStatus
from fulfil.schools.models import EducationSetting


@dataclass
class PupilRow:
    child: Child
    has_therapy: bool  # a line of therapy in the child's current plan
    position: dict  # `child_positions_stored`: state, owed, reason


def setting_pupils(user: User, setting: EducationSetting, *, now: dt.datetime, today: dt.date) -> list[PupilRow]:
    """Pupils with plans at the setting whom the user may see, each with `has_therapy` and their
    ledger `position`; those behind or at risk first, so the SENCO sees who needs chasing."""
    with_therapy = ProvisionItem.objects.filter(child=OuterRef("pk"), plan_version__status=VersionStatus.FINAL)
    pupils = (
        children_visible_to(user, now=now)
        .filter(current_setting=setting, sen_status=SenStatus.EHCP)
        .annotate(has_therapy=Exists(with_therapy))
        .order_by("last_name", "first_name")
    )
    positions = child_positions_stored(pupils, local_area=setting.local_area, today=today)
    rows = [PupilRow(pupil, pupil.has_therapy, positions.get(pupil.pk, NOT_COUNTABLE)) for pupil in pupils]
    rows.sort(key=lambda r: (STATE_ORDER[r.position["state"]], -r.position["owed"], r.child.last_name, r.child.first_name))
    return rows
