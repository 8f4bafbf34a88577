"""Reads of education settings. Who may see which setting is `fulfil.accounts.scopes`'
`settings_visible_to`: these reads start from what it returns."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from fulfil.schools.models import EducationSetting


def settings_with_pupil_counts(settings: QuerySet[EducationSetting], *, query: str = "", setting_type: str = "") -> QuerySet[EducationSetting]:
    """`settings` (already limited to those the user may see), searched and filtered, each with
    its number of pupils with plans."""
    if query:
        settings = settings.filter(Q(name__icontains=query) | Q(urn=query.strip()) | Q(postcode__iexact=query.strip()))
    if setting_type:
        settings = settings.filter(setting_type=setting_type)
    return settings.annotate(
        pupils_with_plans=Count("pupils", filter=Q(pupils__sen_status="ehcp", pupils__archived_at__isnull=True))
    ).order_by("name")
