"""The child record page and the children list: one child's register entry beside their plans,
sessions, therapists, ledgers and clock pauses."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from fulfil.accounts.models import User
from fulfil.accounts.scopes import children_visible_to
from fulfil.children.models import Child, Enrolment
from fulfil.delivery.models import Attendance
from fulfil.ledger.models import ProvisionPause
from fulfil.plans.models import Plan, PlanVersion, ProvisionItem
from fulfil.workforce.models import CaseloadAssignment


def child_search(
    *,
    user: User,
    now: dt.datetime,
    query: str = "",
    setting_id: int | None = None,
    need: str = "",
    discipline: str = "",
    sen_status: str = "",
) -> QuerySet[Child]:
    """Search by name, NHS number or UPN, with the list page's filters."""
    children = children_visible_to(user, now=now).select_related("current_setting")
    query = query.strip()
    if query:
        compact = query.replace(" ", "")
        if compact.isascii() and compact.isdigit():
            children = children.filter(nhs_number__startswith=compact)
        elif len(compact) == 13 and compact[1:12].isdigit():
            children = children.filter(
                Q(upn__iexact=compact) | Q(upn_history__upn__iexact=compact)
            ).distinct()
        else:
            for word in query.split():
                children = children.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    if setting_id:
        children = children.filter(current_setting_id=setting_id)
    if need:
        children = children.filter(Q(primary_need=need) | Q(secondary_need=need))
    if discipline:
        children = children.filter(
            Exists(ProvisionItem.objects.filter(child=OuterRef("pk"), discipline=discipline))
        )
    if sen_status:
        children = children.filter(sen_status=sen_status)
    return children.order_by("last_name", "first_name", "pk")


def child_record(child: Child) -> dict:
    """Everything the child record page shows, in a fixed number of queries."""
    items = ProvisionItem.objects.filter(child=child).select_related("plan_version__plan")
    attendances = (
        Attendance.objects.filter(child=child)
        .select_related("session__therapist", "session__setting", "provision_item")
        .order_by("-session__date", "-session__starts_at")
    )
    plans = Plan.objects.filter(child=child).prefetch_related(
        Prefetch("versions", queryset=PlanVersion.objects.prefetch_related("outcomes"))
    )
    enrolments = Enrolment.objects.filter(child=child).select_related("setting")
    therapists = CaseloadAssignment.objects.filter(child=child).select_related("therapist")
    pauses = ProvisionPause.objects.filter(child=child).select_related("provision_item", "recorded_by")
    return {
        "plans": list(plans),
        "items": list(items),
        "attendances": list(attendances),
        "enrolments": list(enrolments),
        "caseload": list(therapists),
        "pauses": list(pauses),
    }
