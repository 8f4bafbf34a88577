"""Reads of therapists and caseloads. Who may see which therapist or child is
`fulfil.accounts.scopes`' (`therapists_visible_to`, `children_visible_to`): these reads start
from what it returns."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from fulfil.children.models import Child
from fulfil.workforce.models import CaseloadAssignment, Therapist


def _active_assignments(today: dt.date) -> Q:
    return Q(caseload__starts_on__lte=today) & (
        Q(caseload__ends_on__isnull=True) | Q(caseload__ends_on__gte=today)
    )


def therapists_with_caseload_sizes(therapists: QuerySet[Therapist], *, today: dt.date, discipline: str = "") -> QuerySet[Therapist]:
    """`therapists` (already limited to those the user may see), each with its caseload size today."""
    therapists = therapists.select_related("provider")
    if discipline:
        therapists = therapists.filter(discipline=discipline)
    return therapists.annotate(caseload_size=Count("caseload", filter=_active_assignments(today)))


def caseload_for_therapist(therapist: Therapist, *, visible: QuerySet[Child], today: dt.date) -> list[CaseloadAssignment]:
    """The therapist's caseload on `today`, limited to the `visible` children (those the viewer
    may see then)."""
    return list(
        CaseloadAssignment.objects.filter(therapist=therapist, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .filter(child__in=visible)
        .select_related("child__current_setting")
        .order_by("child__last_name", "child__first_name")
    )
