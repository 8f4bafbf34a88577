"""Reads of education settings; `settings_visible_to` is the one access check."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from fulfil.accounts.policy import Capability, roles_with
from fulfil.accounts.models import Role, User
from fulfil.schools.models import EducationSetting

# Roles that work across the area's settings. Commissioners see aggregates only, families
# see their own child; neither browses settings' pupil lists.
_AREA_ROLES = {Role.COUNCIL_OFFICER, Role.SERVICE_MANAGER, Role.THERAPIST}
# Read from the one capability policy (fulfil.accounts.policy).
SETTING_LIST_ROLES = roles_with(Capability.SEE_SETTINGS)


def settings_visible_to(user: User) -> QuerySet[EducationSetting]:
    if not user.is_authenticated or user.local_area_id is None:
        return EducationSetting.objects.none()
    base = EducationSetting.objects.filter(local_area_id=user.local_area_id, archived_at__isnull=True)
    if user.role in _AREA_ROLES:
        return base
    if user.role == Role.SENCO and user.setting_id:
        return base.filter(pk=user.setting_id)
    return EducationSetting.objects.none()


def setting_get_for_user(user: User, pk: int) -> EducationSetting:
    try:
        return settings_visible_to(user).get(pk=pk)
    except EducationSetting.DoesNotExist:
        raise Http404("No setting found") from None


def settings_with_pupil_counts(user: User, *, query: str = "", setting_type: str = "") -> QuerySet[EducationSetting]:
    settings = settings_visible_to(user)
    if query:
        settings = settings.filter(Q(name__icontains=query) | Q(urn=query.strip()) | Q(postcode__iexact=query.strip()))
    if setting_type:
        settings = settings.filter(setting_type=setting_type)
    return settings.annotate(
        pupils_with_plans=Count("pupils", filter=Q(pupils__sen_status="ehcp", pupils__archived_at__isnull=True))
    ).order_by("name")
