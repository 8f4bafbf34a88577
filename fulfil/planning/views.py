"""Capacity, the term planner and the recovery plan: pages for the council and the therapy
service (aggregate figures; no child is named on these pages)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fulfil.core.models import Discipline
from fulfil.core.selectors import calendar_for_area
from fulfil.planning.capacity import Scenario
from fulfil.planning.selectors import CAPACITY_ROLES, capacity_report
from fulfil.planning.terms import current_and_next_terms, term_name, term_named


def _require(request: HttpRequest, roles) -> None:
    if request.user.role not in roles or request.user.local_area_id is None:
        raise Http404("Not available for this role")


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def capacity(request: HttpRequest) -> HttpResponse:
    """Demand against capacity for a term, with a what-if beside it."""
    from fulfil.workforce.models import Therapist, Vacancy

    _require(request, CAPACITY_ROLES)
    area = request.user.local_area
    today = timezone.localdate()
    calendar = calendar_for_area(area)
    terms = current_and_next_terms(calendar, today)
    chosen = request.GET.get("term") or term_name(terms[0])
    try:
        term = term_named(chosen, calendar)
    except ValueError:
        term = terms[0]
    errors = []
    what_if: dict = {"label": "With the changes"}
    vacancy = request.GET.get("vacancy", "")
    if vacancy:
        filled = _date(request.GET.get("filled_from"))
        if filled is None:
            errors.append(("filled_from", "Enter the date the vacancy would be filled from"))
        elif vacancy.isdigit():
            what_if["fill_vacancy"] = (int(vacancy), filled)
    leave_of = request.GET.get("leave_of", "")
    if leave_of:
        start, end = _date(request.GET.get("leave_from")), _date(request.GET.get("leave_to"))
        if start is None or end is None or end < start:
            errors.append(("leave_from", "Enter the first and last day of the leave, the last on or after the first"))
        elif leave_of.isdigit():
            what_if["leave"] = (int(leave_of), start, end)
    bought = request.GET.get("bought_hours", "").strip()
    if bought:
        try:
            what_if["bought_hours"] = float(bought)
            if what_if["bought_hours"] < 0:
                raise ValueError
        except ValueError:
            errors.append(("bought_hours", "Enter hours bought as a number, for example 120"))
            what_if.pop("bought_hours", None)
    scenarios = [Scenario()] + ([Scenario(**what_if)] if len(what_if) > 1 and not errors else [])
    table = capacity_report(area, term, today=today, scenarios=scenarios)
    largest = max((max(g.demand, g.capacity.available) for row in table for g in row), default=1) or 1
    return render(request, "planning/capacity.html", {
        "term": term, "term_name": term_name(term), "terms": [(term_name(t), t.label) for t in terms], "table": table,
        "largest": largest, "errors": errors, "labels": dict(Discipline.choices),
        "vacancies": Vacancy.objects.filter(local_area=area, filled_on__isnull=True).order_by("discipline", "open_from"),
        "therapists": Therapist.objects.filter(local_area=area, archived_at__isnull=True).order_by("discipline", "last_name"),
        "params": request.GET,
    }, status=400 if errors else 200)
