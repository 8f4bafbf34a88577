"""The access log: every read of personal data about a child leaves a row.

Only ids go in; the log is for the council's privacy officer, not application logging.
Refused requests and Django admin pages leave a row too (`access_record_route`), naming only
the route, never the path: a path such as /children/123/ says which child someone looked for.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from fulfil.accounts.models import AccessRecord


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


def access_record_route(*, request: HttpRequest, action: str, detail: str = "") -> None:
    """A row that says who asked for which route and how, with no personal data: the route's
    name (e.g. children:detail) stands in for the path, whose ids and query string are left out."""
    match = request.resolver_match
    route = match.view_name if match is not None else ""
    record = _record(request, action, None, detail)
    record.path = route[:500]
    record.save()
