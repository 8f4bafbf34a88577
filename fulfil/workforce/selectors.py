"""Reads of therapists and caseloads; `therapists_visible_to` is the one access check."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fulfil.accounts.policy import Capability, can, roles_with
from fulfil.accounts.models import Role, User
from fulfil.children.selectors import children_visible_to
from fulfil.workforce.models import CaseloadAssignment, Therapist


# Read from the one capability policy (fulfil.accounts.policy).
THERAPIST_LIST_ROLES = roles_with(Capability.SEE_THERAPISTS)


def therapists_visible_to(user: User) -> QuerySet[Therapist]:
    if not user.is_authenticated or user.local_area_id is None:
        return Therapist.objects.none()
    base = Therapist.objects.filter(local_area_id=user.local_area_id, archived_at__isnull=True)
    if user.role == Role.COUNCIL_OFFICER:
        return base
    if user.role == Role.SERVICE_MANAGER and user.provider_id:
        return base.filter(provider_id=user.provider_id)
    if user.role == Role.THERAPIST and user.therapist_id:
        me = user.therapist
        return base.filter(provider_id=me.provider_id, discipline=me.discipline)
    return Therapist.objects.none()


def therapist_get_for_user(user: User, pk: int) -> Therapist:
    try:
        return therapists_visible_to(user).select_related("provider").get(pk=pk)
    except Therapist.DoesNotExist:
        raise Http404("No therapist found") from None


def therapist_to_manage(user: User, pk: int) -> Therapist:
    """A therapist whose working pattern this user may change: only their own service's
    manager. Everyone else gets 404, as for any record they may not change."""
    if not can(user, Capability.SET_WORKING_DAYS):
        raise Http404("No therapist found")
    return therapist_get_for_user(user, pk)


def _active_assignments(today: dt.date) -> Q:
    return Q(caseload__starts_on__lte=today) & (
        Q(caseload__ends_on__isnull=True) | Q(caseload__ends_on__gte=today)
    )


def therapists_with_caseload_sizes(user: User, *, today: dt.date, discipline: str = "") -> QuerySet[Therapist]:
    therapists = therapists_visible_to(user).select_related("provider")
    if discipline:
        therapists = therapists.filter(discipline=discipline)
    return therapists.annotate(caseload_size=Count("caseload", filter=_active_assignments(today)))


def caseload_for_therapist(user: User, therapist: Therapist, *, now: dt.datetime) -> list[CaseloadAssignment]:
    """The therapist's caseload at `now`, limited to children the viewer may see then."""
    today = timezone.localdate(now)
    visible = children_visible_to(user, now=now)
    return list(
        CaseloadAssignment.objects.filter(therapist=therapist, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .filter(child__in=visible)
        .select_related("child__current_setting")
        .order_by("child__last_name", "child__first_name")
    )
