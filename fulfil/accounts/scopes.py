"""Which children, settings and therapists a user may see: THE access checks (issue 18, 19).

A role is half of access (`fulfil.accounts.policy`); the other half is a relationship in force
on the day: a caseload, a service, a school roll, a family link, an advice request, an hour of
emergency access. Pages, exports, commands and the API all start from these querysets, and no
access looks the same as no record: 404.

They live in accounts because the relationships are accounts knowledge (the user's role, their
setting, service and therapist, family links, break-glass grants), and accounts sits above
children, schools and workforce (docs/adr/0021-pages-on-top-domains-below.md).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fulfil.accounts.models import BreakGlassGrant, FamilyLink, Role, User
from fulfil.accounts.policy import Capability, can, roles_with
from fulfil.children.models import Child, Enrolment

# The one upward import in the domain apps (named in fulfil/tests/test_layers.py and ADR 0021):
# a request for advice opens the child's record to the service asked, and the request is a plans
# record. Plans cannot sit below accounts: its steps name the user who recorded them.
from fulfil.plans.models import AdviceRequest
from fulfil.schools.models import EducationSetting
from fulfil.workforce.models import CaseloadAssignment, Therapist

# Roles that work with individual children. Commissioners see aggregates only and
# administrators manage configuration: for them child pages do not exist (404).
ROLES_WITH_CHILD_ACCESS = roles_with(Capability.SEE_CHILDREN)
# Clinicians who may need a child outside their caseload in an emergency (covering a colleague,
# a safeguarding call). The council already sees every child of its area.
BREAK_GLASS_ROLES = roles_with(Capability.BREAK_GLASS)
SETTING_LIST_ROLES = roles_with(Capability.SEE_SETTINGS)
THERAPIST_LIST_ROLES = roles_with(Capability.SEE_THERAPISTS)

# Roles that work across the area's settings. Commissioners see aggregates only, families
# see their own child; neither browses settings' pupil lists.
_AREA_SETTING_ROLES = {Role.COUNCIL_OFFICER, Role.SERVICE_MANAGER, Role.THERAPIST}


def _active(prefix: str, today: dt.date) -> Q:
    """A relationship that has started and not yet ended."""
    return Q(**{f"{prefix}starts_on__lte": today}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today})
    )


def sixteenth_birthday_cutoff(today: dt.date) -> dt.date:
    """Children born on or before this date are 16 or over today."""
    try:
        return today.replace(year=today.year - 16)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 16, day=28)


def _advice_for(*, child_ref, provider_id: int, today: dt.date, service: str = "") -> QuerySet:
    """Advice requests to this service for the child in the last year (open or recently sent)."""
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
    if user.role == Role.THERAPIST and (therapist := user.therapist) is not None:
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
        if user.local_area is not None and user.local_area.parent_access_needs_consent_from_16:
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


def settings_visible_to(user: User) -> QuerySet[EducationSetting]:
    """Settings this user may open: the area's for those who work across it, a SENCO's own."""
    if not user.is_authenticated or user.local_area_id is None:
        return EducationSetting.objects.none()
    base = EducationSetting.objects.filter(local_area_id=user.local_area_id, archived_at__isnull=True)
    if user.role in _AREA_SETTING_ROLES:
        return base
    if user.role == Role.SENCO and user.setting_id:
        return base.filter(pk=user.setting_id)
    return EducationSetting.objects.none()


def setting_get_for_user(user: User, pk: int) -> EducationSetting:
    try:
        return settings_visible_to(user).get(pk=pk)
    except EducationSetting.DoesNotExist:
        raise Http404("No setting found") from None


def therapists_visible_to(user: User) -> QuerySet[Therapist]:
    """Therapists this user may see: the area's for the council, a service's for its manager,
    a therapist's own team (same service, same discipline)."""
    if not user.is_authenticated or user.local_area_id is None:
        return Therapist.objects.none()
    base = Therapist.objects.filter(local_area_id=user.local_area_id, archived_at__isnull=True)
    if user.role == Role.COUNCIL_OFFICER:
        return base
    if user.role == Role.SERVICE_MANAGER and user.provider_id:
        return base.filter(provider_id=user.provider_id)
    if user.role == Role.THERAPIST and (me := user.therapist) is not None:
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
