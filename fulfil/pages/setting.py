"""The setting page: a school's pupils with plans, each with their ledger position."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef

from fulfil.accounts.models import User
from fulfil.accounts.scopes import children_visible_to
from fulfil.children.models import Child
from fulfil.ledger.positions import child_positions_stored
from fulfil.ledger.selectors import STATE_ORDER
from fulfil.plans.models import ProvisionItem
from fulfil.schools.models import EducationSetting

NOT_COUNTABLE = {"state": "not_countable", "owed": 0, "reason": ""}


def setting_pupils(user: User, setting: EducationSetting, *, now: dt.datetime, today: dt.date) -> list[Child]:
    """Pupils with plans at the setting whom the user may see, each with `has_therapy` and their
    ledger `position`; those behind or at risk first, so the SENCO sees who needs chasing."""
    with_therapy = ProvisionItem.objects.filter(child=OuterRef("pk"), plan_version__status="final")
    pupils = (
        children_visible_to(user, now=now)
        .filter(current_setting=setting, sen_status="ehcp")
        .annotate(has_therapy=Exists(with_therapy))
        .order_by("last_name", "first_name")
    )
    positions = child_positions_stored(pupils, local_area=setting.local_area, today=today)
    rows = list(pupils)
    for pupil in rows:
        pupil.position = positions.get(pupil.pk, NOT_COUNTABLE)
    rows.sort(key=lambda c: (STATE_ORDER[c.position["state"]], -c.position["owed"], c.last_name, c.first_name))
    return rows
