"""Reads of children. `children_visible_to` is THE access check for child data: HTML views,
exports, the API and the portal all start from it, and no access means 404."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fulfil.accounts.policy import Capability, roles_with
from fulfil.accounts.models import BreakGlassGrant, FamilyLink, Role, User
from fulfil.children.models import Child, Enrolment
from fulfil.workforce.models import CaseloadAssignment


def _active(prefix: str, today: dt.date) -> Q:
    """A relationship that has started and not yet ended."""
    return Q(**{f"{prefix}starts_on__lte": today}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today})
    )


# Roles that work with individual children. Commissioners see aggregates only and
# administrators manage configuration: for them child pages do not exist (404).
ROLES_WITH_CHILD_ACCESS = roles_with(Capability.SEE_CHILDREN)
# Clinicians who may need a child outside their caseload in an emergency (covering a colleague,
# a safeguarding call). The council already sees every child of its area.
# Read from the one capability policy (fulfil.accounts.policy).
BREAK_GLASS_ROLES = roles_with(Capability.BREAK_GLASS)


def sixteenth_birthday_cutoff(today: dt.date) -> dt.date:
    """Children born on or before this date are 16 or over today."""
    try:
        return today.replace(year=today.year - 16)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 16, day=28)


def _advice_for(*, child_ref, provider_id: int, today: dt.date, service: str = "") -> QuerySet:
    """Advice requests to this service for the child in the last year (open or recently sent)."""
    from fulfil.plans.models import AdviceRequest

    since = today - dt.timedelta(days=365)
    requests = AdviceRequest.objects.filter(assessment__child=child_ref, provider_id=provider_id, requested_on__gte=since)
    return requests.filter(service=service) if service else requests


def children_visible_to(user: User, *, now: dt.datetime) -> QuerySet[Child]:
    """Children this user may see at `now`, the moment the edge read (`clock.now()`): caseloads,
    enrolments and family links are checked against its date, emergency access (an hour long)
    against the moment itself. Deny by default: an unknown role sees nobody."""
    if not user.is_authenticated or user.local_area_id is None:
        return Child.objects.none()
    today = timezone.localdate(now)
    # No query ever crosses local areas.
    base = Child.objects.filter(local_area_id=user.local_area_id, archived_at__isnull=True)
    if user.role == Role.COUNCIL_OFFICER:
        return base
    emergency = Exists(BreakGlassGrant.objects.filter(user=user, child=OuterRef("pk"), expires_at__gt=now))
    if user.role == Role.SERVICE_MANAGER and user.provider_id:
        known = CaseloadAssignment.objects.filter(
            _active("", today), child=OuterRef("pk"), therapist__provider_id=user.provider_id
        )
        return base.filter(Exists(known) | emergency | Exists(_advice_for(child_ref=OuterRef("pk"), provider_id=user.provider_id, today=today)))
    if user.role == Role.THERAPIST and user.therapist_id:
        therapist = user.therapist
        # Their own caseload and their team's (same service, same discipline): colleagues
        # cover each other's children during absence.
        team_caseload = CaseloadAssignment.objects.filter(
            _active("", today),
            child=OuterRef("pk"),
            therapist__provider_id=therapist.provider_id,
            therapist__discipline=therapist.discipline,
        )
        # A request for advice for an assessment is a relationship too: the service must see who
        # it is writing about before the child is on anyone's caseload.
        advice = _advice_for(child_ref=OuterRef("pk"), provider_id=therapist.provider_id, today=today, service=therapist.discipline)
        return base.filter(Exists(team_caseload) | emergency | Exists(advice))
    if user.role == Role.SENCO and user.setting_id:
        on_roll = Enrolment.objects.filter(child=OuterRef("pk"), setting_id=user.setting_id).filter(
            Q(on_roll_from__lte=today), Q(on_roll_to__isnull=True) | Q(on_roll_to__gte=today)
        )
        return base.filter(Exists(on_roll))
    if user.role == Role.PARENT:
        linked = FamilyLink.objects.filter(_active("", today), child=OuterRef("pk"), user=user)
        if user.local_area.parent_access_needs_consent_from_16:
            # From 16 the young person decides (CFA 2014 s.80): the link needs their consent.
            linked = linked.filter(Q(young_person_consents=True) | Q(child__date_of_birth__gt=sixteenth_birthday_cutoff(today)))
        return base.filter(Exists(linked))
    return Child.objects.none()


def child_get_for_user(user: User, public_id: uuid.UUID | str, *, now: dt.datetime) -> Child:
    """The child record for a page, or 404 if the user may not see it at `now` (or it does not
    exist: the two must look the same)."""
    try:
        return (
            children_visible_to(user, now=now)
            .select_related("current_setting", "local_area")
            .prefetch_related("parent_carers", "support_levels", "upn_history")
            .get(public_id=public_id)
        )
    except (Child.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404("No child found") from None


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
        from fulfil.plans.models import ProvisionItem

        children = children.filter(
            Exists(ProvisionItem.objects.filter(child=OuterRef("pk"), discipline=discipline))
        )
    if sen_status:
        children = children.filter(sen_status=sen_status)
    return children.order_by("last_name", "first_name", "pk")


def child_record(child: Child):
    """Everything the child record page shows, in a fixed number of queries."""
    from fulfil.delivery.models import Attendance
    from fulfil.plans.models import Plan, PlanVersion, ProvisionItem

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
    from fulfil.ledger.models import ProvisionPause

    pauses = ProvisionPause.objects.filter(child=child).select_related("provision_item", "recorded_by")
    return {
        "plans": list(plans),
        "items": list(items),
        "attendances": list(attendances),
        "enrolments": list(enrolments),
        "caseload": list(therapists),
        "pauses": list(pauses),
    }
