"""Capacity, the term planner and the recovery plan: pages for the council and the therapy
service (aggregate figures; no child is named on these pages)."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fulfil.core import clock
from fulfil.core.exports import download
from fulfil.core.forms import form_add_service_errors
from fulfil.core.models import Discipline
from fulfil.core.selectors import calendar_for_area
from fulfil.planning.capacity import Scenario
from fulfil.planning.exports import recovery_csv, recovery_workbook
from fulfil.planning.forms import CapacityWhatIfForm, PlannerForm, RecoveryForm
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
from fulfil.planning.solver.recovery import earliest_month_for_budget, plan_recovery
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
    vacancies = Vacancy.objects.filter(local_area=area, filled_on__isnull=True).order_by("discipline", "open_from")
    therapists = Therapist.objects.filter(local_area=area, archived_at__isnull=True).order_by("discipline", "last_name")
    form = CapacityWhatIfForm(request.GET, terms=[(term_name(t), t.label) for t in terms],
                              vacancies=vacancies, therapists=therapists)
    valid = form.is_valid()
    try:
        term = term_named(form.cleaned_data.get("term") or term_name(terms[0]), calendar)
    except ValueError:
        term = terms[0]
    form.show_where_blank(term=term_name(term))
    what_if = [Scenario(label="With the changes", **form.changes)] if valid and form.changes else []
    table = capacity_report(area, term, today=today, scenarios=[Scenario(), *what_if])
    largest = max((max(g.demand, g.capacity.available) for row in table for g in row), default=1) or 1
    return render(request, "planning/capacity.html", {
        "term": term, "table": table, "largest": largest, "form": form, "labels": dict(Discipline.choices),
        "can_plan": request.user.role in PLANNING_ROLES,
    }, status=200 if valid else 400)


def _runs_for(user):
    return PlannerRun.objects.filter(local_area_id=user.local_area_id)


@login_required
def planner(request: HttpRequest) -> HttpResponse:
    """Start a term plan and see earlier runs."""
    _require(request, PLANNING_ROLES)
    area = request.user.local_area
    terms = current_and_next_terms(calendar_for_area(area), clock.today())
    form = PlannerForm(request.POST if request.method == "POST" else None, terms=[(term_name(t), t.label) for t in terms])
    if form.is_valid():
        try:
            run = planner_run_create(local_area=area, discipline=form.cleaned_data["discipline"],
                                     term=form.cleaned_data["term"], time_limit=form.cleaned_data["time_limit"],
                                     started_by=request.user, today=clock.today())
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            planner_run_start(run)
            return redirect("planning:run", pk=run.pk)

    unrecorded = therapists_without_working_days(area)
    return render(request, "planning/planner.html", {
        "runs": _runs_for(request.user)[:20], "form": form,
        "unrecorded_days": [(label, unrecorded[value]) for value, label in Discipline.choices if unrecorded.get(value)],
    }, status=400 if form.errors else 200)


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
        if run.is_active:
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
    form = RecoveryForm(request.GET, today=today)
    valid = form.is_valid()
    discipline, by = form.cleaned_data["discipline"], form.cleaned_data["by"]
    rate, budget = form.cleaned_data["rate"], form.cleaned_data["budget"]
    data = recovery_input(area, discipline=discipline, by=by, today=today, rate=rate)
    plan = plan_recovery(data)
    used_rate = data.rates[discipline]
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"} and valid:
        content = (recovery_csv(plan, area_name=area.name, rate=used_rate) if fmt == "csv"
                   else recovery_workbook(plan, data, area_name=area.name, rate=used_rate))
        return download(content, f"recovery-{discipline}-{plan.target_month}.{fmt}")
    by_month: dict[str, float] = {m: 0.0 for m in data.months}
    for purchase in plan.purchases:
        by_month[purchase.month] += purchase.hours
    backlog = [sum(values[i] for values in plan.backlog_hours.values()) for i in range(len(data.months))]
    largest = max(backlog + [0.0]) or 1.0
    earliest = earliest_month_for_budget(data, budget) if budget is not None else None
    form.show_where_blank(discipline=discipline, by=by.isoformat(), rate=used_rate)
    return render(request, "planning/recovery.html", {
        "plan": plan, "data": data, "discipline": discipline, "by": by, "rate": used_rate,
        "budget": budget, "earliest": earliest, "form": form,
        "months": [(m, round(by_month[m], 1), round(b, 1), round(100 * b / largest)) for m, b in zip(data.months, backlog, strict=True)],
        "rows": sorted(plan.purchases, key=lambda p: (p.month, p.cluster)),
    }, status=200 if valid else 400)
