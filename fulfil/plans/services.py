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
