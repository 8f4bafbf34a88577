"""Capacity, the term planner and the recovery plan: pages for the council and the therapy
service (aggregate figures; no child is named on these pages)."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fulfil.core import clock
from fulfil.core.exports import download
from fulfil.core.forms import date_in, error_pairs
from fulfil.core.models import Discipline
from fulfil.core.selectors import calendar_for_area
from fulfil.planning.capacity import Scenario
from fulfil.planning.exports import recovery_csv, recovery_workbook
from fulfil.planning.models import PlannerRun
from fulfil.planning.selectors import (
    BOOKING_ROLES,
    CAPACITY_ROLES,
    PLANNING_ROLES,
    capacity_report,
    recovery_input,
    therapists_without_working_days,
)
from fulfil.planning.services import planner_run_apply as apply  # the booking view below is called planner_run_apply
from fulfil.planning.services import planner_run_booking_preview, planner_run_create, planner_run_start
from fulfil.planning.solver.recovery import TARGET_WITHIN, earliest_month_for_budget, plan_recovery
from fulfil.planning.terms import current_and_next_terms, term_name, term_named
from fulfil.schools.models import EducationSetting
from fulfil.workforce.models import Therapist, Vacancy


def _require(request: HttpRequest, roles) -> None:
    if request.user.role not in roles or request.user.local_area_id is None:
        raise Http404("Not available for this role")


@login_required
def capacity(request: HttpRequest) -> HttpResponse:
    """Demand against capacity for a term, with a what-if beside it."""
    _require(request, CAPACITY_ROLES)
    area = request.user.local_area
    today = clock.today()
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
        filled = date_in(request.GET, "filled_from")
        if filled is None:
            errors.append(("filled_from_day", "Enter the date the vacancy would be filled from"))
        elif vacancy.isdigit():
            what_if["fill_vacancy"] = (int(vacancy), filled)
    leave_of = request.GET.get("leave_of", "")
    if leave_of:
        start, end = date_in(request.GET, "leave_from"), date_in(request.GET, "leave_to")
        if start is None or end is None or end < start:
            errors.append(("leave_from_day", "Enter the first and last day of the leave, the last on or after the first"))
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
        "params": request.GET, "can_plan": request.user.role in PLANNING_ROLES,
    }, status=400 if errors else 200)


def _runs_for(user):
    return PlannerRun.objects.filter(local_area_id=user.local_area_id)


@login_required
def planner(request: HttpRequest) -> HttpResponse:
    """Start a term plan and see earlier runs."""
    _require(request, PLANNING_ROLES)
    area = request.user.local_area
    terms = current_and_next_terms(calendar_for_area(area), clock.today())
    errors = []
    if request.method == "POST":
        discipline = request.POST.get("discipline", "")
        if discipline not in Discipline.values:
            errors.append(("discipline", "Choose a therapy"))
        try:
            time_limit = int(request.POST.get("time_limit", "60"))
        except ValueError:
            time_limit = 0
        if not errors:
            try:
                run = planner_run_create(local_area=area, discipline=discipline, term=request.POST.get("term", ""),
                                         time_limit=time_limit, started_by=request.user, today=clock.today())
            except ValidationError as error:
                errors += error_pairs(error)
            else:
                planner_run_start(run)
                return redirect("planning:run", pk=run.pk)

    unrecorded = therapists_without_working_days(area)
    return render(request, "planning/planner.html", {
        "runs": _runs_for(request.user)[:20], "terms": [(term_name(t), t.label) for t in terms], "errors": errors,
        "disciplines": Discipline.choices, "posted": request.POST,
        "unrecorded_days": [(label, unrecorded[value]) for value, label in Discipline.choices if unrecorded.get(value)],
    }, status=400 if errors else 200)


def _run_get(request: HttpRequest, pk: int):
    _require(request, PLANNING_ROLES)
    run = _runs_for(request.user).filter(pk=pk).first()
    if run is None:
        raise Http404("No planner run found")
    return run


@login_required
def planner_run(request: HttpRequest, pk: int) -> HttpResponse:
    """One run: progress while it works (the page polls), then its figures, what cannot be met and
    why, and each therapist's weekly timetable."""
    run = _run_get(request, pk)
    if request.headers.get("HX-Request"):
        if run.status in {"queued", "running"}:
            return render(request, "planning/_run_progress.html", {"run": run})
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"  # finished: reload the whole page to show the plan
        return response

    context = {"run": run, "can_book": request.user.role in BOOKING_ROLES and request.user.provider_id is not None}
    if run.plan:
        names = {pk: f"{first} {last}" for pk, first, last in
                 Therapist.objects.filter(local_area_id=run.local_area_id).values_list("pk", "first_name", "last_name")}
        settings_ = dict(EducationSetting.objects.filter(local_area_id=run.local_area_id).values_list("pk", "name"))
        days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
        timetable = defaultdict(list)
        for visit in run.plan["timetable"]:
            tid = int(visit["therapist_id"])
            children = sum(len(s["need_ids"]) for s in visit["sessions"])
            groups = sum(1 for s in visit["sessions"] if s["kind"] == "group")
            weeks = sorted({w for s in visit["sessions"] for w in s["weeks"]})
            timetable[names.get(tid, "")].append({
                "day": days[visit["weekday"]], "weekday": visit["weekday"], "setting": settings_.get(int(visit["setting_id"]), "?"),
                "children": children, "groups": groups, "weeks": len(weeks),
            })
        for rows in timetable.values():
            rows.sort(key=lambda r: (r["weekday"], r["setting"]))
        reasons = Counter(u["reason"] for u in run.plan["unmet"])
        short = Counter()
        for u in run.plan["unmet"]:
            short[u["reason"]] += u["sessions_short"]
        stats = run.stats or {}
        largest = max(stats.get("required_contacts", 0), 1)
        context.update({
            "timetable": sorted(timetable.items()), "reasons": [(r, n, short[r]) for r, n in reasons.most_common()],
            "bars": [(label, stats.get(key, 0), round(100 * stats.get(key, 0) / largest)) for label, key in (
                ("Required", "required_contacts"), ("Upper bound", "upper_bound_contacts"),
                ("Upper bound, seeing as many children", "fair_upper_bound_contacts"),
                ("Optimised plan", "planned_contacts"), ("First come, first served", "greedy_planned_contacts"))
                if stats.get(key, 0) >= 0],  # -1: not worked out (a run stored before the fair bound)
            "greedy_pct": round(100 * stats.get("greedy_planned_contacts", 0) / largest, 1),
            "planned_pct": round(100 * stats.get("planned_contacts", 0) / largest, 1),
            "how_good": _how_good(stats.get("status", "")),
        })
    return render(request, "planning/run.html", context)



def _how_good(status: str) -> str:
    """The solver's status in words a service manager uses (the raw status stays in the
    stored figures and in `plan-term`)."""
    if status == "OPTIMAL":
        return "proved the best plan possible"
    if status.startswith("FEASIBLE"):
        return "a good plan, not proved the best possible"
    return status.lower()

@login_required
@require_http_methods(["GET", "POST"])
def planner_run_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Book a plan: first a preview of what would be booked and what would be skipped (and why),
    then one confirmation. Booking the same run again books nothing."""
    run = _run_get(request, pk)
    if request.user.role not in BOOKING_ROLES or request.user.provider_id is None:
        raise Http404("Only the therapy service's managers book its diaries")
    if run.applied_at:
        messages.info(request, f"This plan was booked on {timezone.localtime(run.applied_at):%-d %B %Y at %H:%M}: it cannot be booked twice")
        return redirect("planning:run", pk=run.pk)
    if request.method == "POST":
        try:
            booking = apply(run=run, applied_by=request.user, today=clock.today(), now=clock.now(), provider_id=request.user.provider_id)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if booking is None:
                messages.info(request, "This plan was already booked: nothing more was booked")
            else:
                messages.success(request, f"{len(booking.booked):,} sessions booked for {booking.contacts:,} child contacts; "
                                          f"{len(booking.skipped):,} skipped (see below why)")
        return redirect("planning:run", pk=run.pk)
    try:
        preview = planner_run_booking_preview(run=run, today=clock.today(), provider_id=request.user.provider_id)
    except ValidationError as error:
        raise Http404(" ".join(error.messages)) from None
    return render(request, "planning/run_book.html", {"run": run, "preview": preview, "report": preview.report(),
                                                     "planned": (run.stats or {}).get("planned_contacts", 0)})


@login_required
def recovery(request: HttpRequest) -> HttpResponse:
    """The fewest independent hours to buy, by setting cluster and month, to be back on track by a
    date; and with a budget, the earliest month that is possible."""
    _require(request, CAPACITY_ROLES)
    area = request.user.local_area
    today = clock.today()
    errors = []
    discipline = request.GET.get("discipline", "ot")
    if discipline not in Discipline.values:
        discipline = "ot"
    # The planner works month by month: a target years away is not a recovery plan (and a
    # year such as 9999 was a 500).
    by = date_in(request.GET, "by", latest=today + TARGET_WITHIN)
    if by is None and any(request.GET.get(f"by_{part}") for part in ("day", "month", "year")):
        errors.append(("by_day", "Enter a real date to be back on track by, within 3 years, for example 31 3 2027"))
    by = by or dt.date(today.year + (today.month > 3), 3, 31)
    if by < today:
        errors.append(("by_day", "The date to be back on track by must be today or later"))
        by = dt.date(today.year + (today.month > 3), 3, 31)
    rate = budget = None
    try:
        rate = float(Decimal(request.GET["rate"])) if request.GET.get("rate") else None
        budget = float(Decimal(request.GET["budget"])) if request.GET.get("budget") else None
        if (rate is not None and not 0 < rate < math.inf) or (budget is not None and not 0 <= budget < math.inf):
            raise InvalidOperation  # NaN and infinity too
    except (InvalidOperation, ValueError):
        errors.append(("rate", "Enter the hourly rate and budget as amounts in pounds, for example 95 or 20000"))
        rate = budget = None
    data = recovery_input(area, discipline=discipline, by=by, today=today, rate=rate)
    plan = plan_recovery(data)
    used_rate = data.rates[discipline]
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"} and not errors:
        content = (recovery_csv(plan, area_name=area.name, rate=used_rate) if fmt == "csv"
                   else recovery_workbook(plan, data, area_name=area.name, rate=used_rate))
        return download(content, f"recovery-{discipline}-{plan.target_month}.{fmt}")
    by_month: dict[str, float] = {m: 0.0 for m in data.months}
    for purchase in plan.purchases:
        by_month[purchase.month] += purchase.hours
    backlog = [sum(values[i] for values in plan.backlog_hours.values()) for i in range(len(data.months))]
    largest = max(backlog + [0.0]) or 1.0
    earliest = earliest_month_for_budget(data, budget) if budget is not None else None
    return render(request, "planning/recovery.html", {
        "plan": plan, "data": data, "discipline": discipline, "disciplines": Discipline.choices, "by": by, "rate": used_rate,
        "budget": budget, "earliest": earliest, "errors": errors,
        "months": [(m, round(by_month[m], 1), round(b, 1), round(100 * b / largest)) for m, b in zip(data.months, backlog, strict=True)],
        "rows": sorted(plan.purchases, key=lambda p: (p.month, p.cluster)), "params": request.GET,
    }, status=400 if errors else 200)
