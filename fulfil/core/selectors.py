"""Reads shared by every domain: the calendar of a local area."""

from __future__ import annotations

from fulfil.core.calendar import AcademicCalendar, Term
from fulfil.core.disclosure import round_for_release  # the small-number rule, written once there
from fulfil.core.models import ClosureDay, LocalArea, TermDates


def calendar_for_area(local_area: LocalArea) -> AcademicCalendar:
    """The area's published term dates and closures; years it has not entered use the default
    London pattern (see `fulfil.core.calendar.default_terms`)."""
    terms = [
        Term(
            academic_year=row.academic_year,
            name=row.term,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            half_term_starts_on=row.half_term_starts_on,
            half_term_ends_on=row.half_term_ends_on,
        )
        for row in TermDates.objects.filter(local_area=local_area)
    ]
    closures = set(ClosureDay.objects.filter(local_area=local_area).values_list("date", flat=True))
    return AcademicCalendar(terms=terms, closures=closures)


def area_overview(user) -> dict | None:
    """Headline counts for the user's area, rounded for release. No child-level data."""
    from django.db.models import Count, Q

    from fulfil.children.models import Child
    from fulfil.plans.models import ProvisionItem

    if not user.is_authenticated or user.local_area_id is None:
        return None
    children = Child.objects.filter(local_area_id=user.local_area_id, archived_at__isnull=True)
    counts = children.aggregate(
        with_plans=Count("pk", filter=Q(sen_status="ehcp")),
        sen_support=Count("pk", filter=Q(sen_status="sen_support")),
    )
    lines = (
        ProvisionItem.objects.filter(local_area_id=user.local_area_id, plan_version__status="final")
        .values("discipline")
        .annotate(n=Count("pk"), children=Count("child", distinct=True))
        .order_by("discipline")
    )
    labels = {"salt": "Speech and language therapy", "ot": "Occupational therapy", "physio": "Physiotherapy"}
    return {
        "with_plans": round_for_release(counts["with_plans"]),
        "sen_support": round_for_release(counts["sen_support"]),
        "disciplines": [
            {"label": labels[row["discipline"]], "lines": round_for_release(row["n"]),
             "children": round_for_release(row["children"])}
            for row in lines
        ],
    }
