"""The access log: every read of personal data about a child leaves a row.

Only ids go in; the log is for the council's privacy officer, not application logging.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from fulfil.core.models import AccessRecord


def _record(request: HttpRequest, action: str, child, detail: str) -> AccessRecord:
    user = request.user
    return AccessRecord(
        user=user,
        role=getattr(user, "role", ""),
        local_area_id=getattr(user, "local_area_id", None),
        action=action,
        child=child,
        path=request.path[:500],
        detail=detail[:500],
    )


def access_record(*, request: HttpRequest, action: str, child=None, detail: str = "") -> None:
    _record(request, action, child, detail).save()


def access_record_many(*, request: HttpRequest, action: str, children: Iterable, detail: str = "") -> None:
    """One row per child shown in a list, so a child's access history includes lists."""
    AccessRecord.objects.bulk_create([_record(request, action, child, detail) for child in children])
