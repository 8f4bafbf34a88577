"""Plan wording: check a provision line as it is typed, add it to a plan, and the area's
plan quality report."""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fulfil.accounts.audit import access_record, access_record_many
from fulfil.accounts.models import Role
from fulfil.accounts.policy import Capability, can, roles_with
from fulfil.accounts.scopes import child_get_for_user
from fulfil.comparisons.published import MEASURE_BY_NAME, display
from fulfil.comparisons.selectors import area_comparison
from fulfil.core import clock
from fulfil.core.disclosure import NOT_SHOWN, Suppressed, TableRow, round_for_release, table_for_release
from fulfil.core.exports import csv_text, download
from fulfil.core.forms import form_add_service_errors
from fulfil.plans.clocks import RULES, ClockKind, allowed_exceptions
from fulfil.plans.exports import plan_quality_rows, sen2_rows, timeliness_rows
from fulfil.plans.forms import (
    AdviceRequestForm,
    AdviceSentForm,
    AnnualReviewForm,
    AssessmentRequestForm,
    AssessmentStepsForm,
    ExceptionForm,
    ProvisionImportForm,
    ProvisionLineForm,
    ReviewStepsForm,
    WordingCheckForm,
)
from fulfil.plans.imports import provision_lines_import
from fulfil.plans.models import Plan, ProvisionItem
from fulfil.plans.selectors import (
    VERDICT_ORDER,
    assessment_get_for_user,
    assessment_timeline,
    current_plan_version,
    plan_quality,
    review_get_for_user,
    review_timeline,
)
from fulfil.plans.services import (
    ASSESSMENT_FIELDS,
    REVIEW_FIELDS,
    advice_request_record,
    advice_sent_record,
    annual_review_record,
    assessment_request_record,
    assessment_steps_record,
    exception_record,
    provision_item_add,
    review_steps_record,
)
from fulfil.plans.timeliness import (
    ADVICE_ROLES,
    TIMELINESS_ROLES,
    advice_request_get_for_user,
    advice_status,
    area_sen2,
    area_sen2_caseload,
    area_timeliness,
    quarter_label,
)
from fulfil.plans.timeliness import advice_due as due_for  # the view below is called advice_due
from fulfil.plans.wording import check_statement
from fulfil.plans.wording.results import VERDICT_LABELS, describe
from fulfil.workforce.models import Provider

# Caseworkers write plans; therapists and service managers advise on the wording.
# Read from the one capability policy (fulfil.accounts.policy).
WORDING_ROLES = roles_with(Capability.CHECK_WORDING)
QUALITY_ROLES = roles_with(Capability.SEE_PLAN_QUALITY)


def _check_context(text: str) -> dict:
    check = check_statement(text)
    return {
        "check": check,
        "verdict_label": VERDICT_LABELS[check.verdict],
        "items": [{"index": i, "draft": d, "summary": describe(d)} for i, d in enumerate(check.items)],
    }


def _period(kind: ClockKind) -> str:
    """A statutory timescale in words (so many weeks or months), read from the one table of rules."""
    rule = RULES[kind]
    return f"{rule.weeks} weeks" if rule.weeks else f"{rule.months} months"


def _with_period(kind: ClockKind, label: str) -> str:
    return f"{label} ({_period(kind)})"


def _require(request: HttpRequest, roles: set) -> None:
    if request.user.role not in roles or request.user.local_area_id is None:
        raise Http404("Not available for this role")


@login_required
def wording_check_page(request: HttpRequest) -> HttpResponse:
    """A scratch pad: type a provision line, see at once whether it can be enforced."""
    _require(request, WORDING_ROLES)
    form = WordingCheckForm(request.POST if request.method == "POST" else None)
    text = form.cleaned_data["wording"] if form.is_valid() else ""
    return render(request, "plans/wording_check.html", {"form": form, **(_check_context(text) if text.strip() else {})})


@login_required
@require_POST
def wording_feedback(request: HttpRequest) -> HttpResponse:
    """The htmx partial under a wording box (no personal data: the text only)."""
    _require(request, WORDING_ROLES)
    text = request.POST.get("wording", "")[:2000]
    accept = request.POST.get("accept_into") == "form"
    return render(request, "plans/_wording_feedback.html", {**(_check_context(text) if text.strip() else {}), "accept": accept})


@login_required
def provision_line_add(request: HttpRequest, public_id) -> HttpResponse:
    """Add a therapy line to the child's current plan, with the wording checked as it is
    typed and one click to take the structured details from it."""
    _require(request, {Role.COUNCIL_OFFICER})
    child = child_get_for_user(request.user, public_id, now=clock.now())
    version = current_plan_version(child)
    if version is None:
        raise Http404("This child has no plan")
    access_record(request=request, action="add-provision-line", child=child)
    action = request.POST.get("action", "")
    if request.method == "POST" and action.startswith("use-"):
        # Take the structured details from item N of the checked wording.
        data = request.POST.copy()
        check = check_statement(data.get("wording", ""))
        try:
            draft = check.items[int(action[4:])]
        except (ValueError, IndexError):
            draft = None
        if draft is not None:
            for name in ("discipline", "kind", "sessions", "minutes", "period", "deliverer"):
                value = getattr(draft, name)
                data[name] = "" if value is None else str(value)
        form = _unbound_with(data)
    elif request.method == "POST":
        form = ProvisionLineForm(request.POST)
        if form.is_valid():
            values = form.cleaned_data
            try:
                provision_item_add(
                    plan_version=version, discipline=values["discipline"], section=values["section"], kind=values["kind"],
                    sessions=values["sessions"], minutes=values["minutes"], period=values["period"],
                    deliverer=values["deliverer"], starts_on=values["starts_on"], wording=values["wording"],
                    group_allowed=values["group_allowed"],
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                return redirect(reverse("children:detail", args=[child.public_id]) + "#therapy")
    else:
        form = ProvisionLineForm(initial={"starts_on": clock.today(), "section": "F", "deliverer": "therapist"})
    text = form["wording"].value() or ""
    return render(request, "plans/provision_line_form.html", {
        "child": child, "version": version, "form": form, **(_check_context(text) if text.strip() else {}), "accept": True,
    })


def _unbound_with(data) -> ProvisionLineForm:
    """The form showing these values without complaining about empty fields yet."""
    # Each widget reads its own value: a date comes as day, month and year boxes.
    return ProvisionLineForm(initial={key: field.widget.value_from_datadict(data, {}, key)
                                      for key, field in ProvisionLineForm.base_fields.items()})


@login_required
def plan_quality_report(request: HttpRequest) -> HttpResponse:
    _require(request, QUALITY_ROLES)
    quality = plan_quality(ProvisionItem.objects.filter(local_area_id=request.user.local_area_id))
    if request.GET.get("format") == "csv":
        return download(csv_text(plan_quality_rows(quality)), "plan-quality.csv")
    return render(request, "plans/quality.html", {"quality": quality, "verdicts": VERDICT_ORDER})


@login_required
def provision_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV of plans' therapy lines: check it first, then import it, all or nothing."""
    _require(request, {Role.COUNCIL_OFFICER})
    result = None
    form = ProvisionImportForm(request.POST, request.FILES) if request.method == "POST" else ProvisionImportForm()
    if form.is_valid():
        dry_run = form.dry_run
        result = provision_lines_import(local_area=request.user.local_area, data=form.cleaned_data["file"].read(),
                                        dry_run=dry_run)
        access_record(request=request, action="import-provision", detail=f"{result.rows} rows, dry run {dry_run}")
    return render(request, "plans/import.html", {"result": result, "form": form})


# -- Statutory clocks: advice requests, timeliness, SEN2-style figures ---------------------------


@login_required
def advice_due(request: HttpRequest) -> HttpResponse:
    """For the therapy service: advice requests overdue, due this week and later."""
    _require(request, ADVICE_ROLES)
    today = clock.today()
    due = due_for(request.user, today=today)
    shown = [a.assessment.child for a, _ in due.overdue + due.this_week + due.later]
    access_record_many(request=request, action="list-advice-requests", children=shown)
    return render(request, "plans/advice_due.html", {"due": due, "today": today, "rule": RULES[ClockKind.ADVICE]})


@login_required
def advice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-page record of one advice request: due date, who wrote it, when it was sent."""
    _require(request, ADVICE_ROLES)
    advice = advice_request_get_for_user(request.user, pk)
    today = clock.today()
    can_record = (can(request.user, Capability.PROVIDE_ADVICE) and advice.provided_on is None)
    form = AdviceSentForm(request.POST or None, initial={"provided_on": today})
    if request.method == "POST":
        if not can_record:
            raise Http404("Only a therapist of the service records advice as sent")
        if form.is_valid():
            try:
                advice_sent_record(advice=advice, written_by=request.user.therapist, today=today, **form.cleaned_data)
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                return redirect("plans:advice-detail", pk=advice.pk)
    access_record(request=request, action="view-advice-request", child=advice.assessment.child)
    return render(request, "plans/advice_detail.html", {
        "advice": advice, "status": advice_status(advice, today=today), "rule": RULES[ClockKind.ADVICE], "form": form,
        # The case's exceptions and this request's own.
        "can_record": can_record, "exceptions": advice.assessment.exceptions.filter(
            Q(advice_request__isnull=True) | Q(advice_request=advice)).select_related("recorded_by"),
        "can_add_exception": can(request.user, Capability.RECORD_ADVICE_EXCEPTION),
    }, status=400 if form.errors else 200)


@login_required
def advice_exception_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an exception (reg 8(2)) on one advice request, with its reason."""
    _require(request, {Role.COUNCIL_OFFICER, Role.SERVICE_MANAGER})
    advice = advice_request_get_for_user(request.user, pk)
    form = ExceptionForm(request.POST or None, kinds=sorted(allowed_exceptions(ClockKind.ADVICE)))
    if request.method == "POST" and form.is_valid():
        try:
            exception_record(assessment=advice.assessment, advice_request=advice, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            return redirect("plans:advice-detail", pk=advice.pk)
    access_record(request=request, action="add-advice-exception", child=advice.assessment.child)
    return render(request, "plans/exception_form.html", {"advice": advice, "form": form, "rule": RULES[ClockKind.ADVICE]},
                  status=400 if form.errors else 200)


@login_required
def timeliness_report(request: HttpRequest) -> HttpResponse:
    """For the council, the ICB and the service: statutory timeliness by quarter. Aggregates only."""
    _require(request, TIMELINESS_ROLES)
    report = area_timeliness(request.user.local_area_id, today=clock.today())
    # Counts leaving the council and the provider are rounded and small ones suppressed.
    release = request.user.role == Role.COMMISSIONER

    def shown(n: int) -> str:
        return round_for_release(n) if release else f"{n:,}"

    def cell(rate) -> tuple:
        """(share on time, on time, due); released, a share of fewer than 8 is not shown (disclosure rule 2)."""
        row = TableRow({"on_time": rate.on_time, "due": rate.due}, {"pct": rate.pct})
        (released,), _ = table_for_release([row]) if release else ((row,), None)
        pct = released.derived["pct"]
        return ("" if pct is None else str(pct), shown(rate.on_time), shown(rate.due))

    groups = [(f"Advice: {service}", quarters) for service, quarters in report.advice.items()]
    groups += [(_with_period(ClockKind.DECISION_TO_ASSESS, "Decision whether to assess"), report.decisions),
               (_with_period(ClockKind.FINAL_PLAN, "Final plan issued"), report.plans)]
    rows = [{"label": label, "cells": [cell(quarters[q]) for q in report.quarters]} for label, quarters in groups]
    if request.GET.get("format") == "csv":
        return download(csv_text(timeliness_rows(rows, report.quarter_labels(), reviews_overdue=shown(report.reviews_overdue))),
                        "statutory-timeliness.csv")
    latest = report.quarters[-2]  # the last complete quarter
    chart = [(label, cell(quarters[latest])[0]) for label, quarters in groups]
    chart = [(label, pct or None, 0.0 if pct in ("", str(NOT_SHOWN)) else float(pct)) for label, pct in chart]
    return render(request, "plans/timeliness.html", {
        "report": report, "rows": rows, "quarters": report.quarter_labels(), "latest": quarter_label(latest),
        "chart": chart, "reviews_overdue": shown(report.reviews_overdue),
        "reviews_due_next_month": shown(report.reviews_due_next_month), "rounded": release,
    })


# The SEN2 figures as rows of one group of people each, for disclosure control: a row's
# percentages go when any of its counts is fewer than 8 (fulfil.core.disclosure rule 2).
SEN2_ROWS = (
    (("requests", "decisions_made", "decisions_to_assess", "decisions_not_to_assess", "decided_within_6_weeks",
      "undecided_past_6_weeks"), ("pct_decided_within_6_weeks", "pct_not_assessed")),
    (("assessments", "decisions_not_to_issue", "plans_issued", "plans_issued_within_20_weeks", "plans_issued_excluding_exceptions",
      "plans_issued_within_20_weeks_excluding_exceptions", "assessments_open_past_20_weeks"),
     ("pct_not_issued", "pct_issued_within_20_weeks", "pct_issued_within_20_weeks_excluding_exceptions")),
    (("annual_reviews", "annual_reviews_decided_within_4_weeks", "annual_reviews_awaiting_decision"),
     ("annual_review_pct_decision_within_4_weeks",)),
)


def _sen2_for_release(figures, groups=SEN2_ROWS) -> SimpleNamespace:
    """The SEN2-style figures with every count and percentage through `fulfil.core.disclosure`."""
    values = {f.name: getattr(figures, f.name) for f in dataclasses.fields(figures)}
    rows = [TableRow({name: values[name] for name in counts}, {name: values[name] for name in derived}) for counts, derived in groups]
    released, _ = table_for_release(rows)
    for row in released:
        values.update(row.counts)
        values.update(row.derived)
    return SimpleNamespace(**values)


# Every SEN2 measure of Sutton's committee pack (seed 003), in its order: (name, label for the ones
# `fulfil.comparisons` does not load, the counts behind it as a template over the figures, what it means).
_DECIDE, _PLAN = RULES[ClockKind.DECISION_TO_ASSESS], RULES[ClockKind.FINAL_PLAN]
_REVIEW, _REVIEW_DECISION = RULES[ClockKind.ANNUAL_REVIEW], RULES[ClockKind.REVIEW_DECISION]
SEN2_MEASURES: tuple[tuple[str, str, str, str], ...] = (
    ("plans_held", "EHC plans held on the census day", "plans in place on {census_day}: {plans_held}",
     "Plans in place on the SEN2 census day, the third Thursday of the January after the year: issued on or before "
     "that day and not ceased by it. The DfE's January caseload for the same day is beside it."),
    ("requests", "", "{requests} requests",
     "Requests for an EHC needs assessment received in the year, withdrawn ones included."),
    ("pct_decided_within_6_weeks", "",
     f"{{decided_within_6_weeks}} of {{decisions_made}} decisions, and {{undecided_past_6_weeks}} undecided past {_DECIDE.weeks} weeks",
     f"Decisions whether to assess made within {_DECIDE.weeks} weeks of the request ({_DECIDE.citation}), of the year's "
     f"decisions; requests still undecided past {_DECIDE.weeks} weeks count as late."),
    ("pct_not_assessed", "", "{decisions_not_to_assess} of {decisions_made} decisions",
     "Decisions not to assess, of the decisions whether to assess made on the year's requests."),
    ("assessments", "EHC needs assessments completed", "plans issued: {plans_issued}; decisions not to issue: {decisions_not_to_issue}",
     f"Assessments finished in the year: a plan issued or a decision not to issue one ({RULES[ClockKind.DECISION_NOT_TO_ISSUE].citation}), "
     "dated in the year, whatever year the request came in (SEN2 guidance)."),
    ("plans_issued", "", "{plans_issued} plans",
     "New plans issued in the year after an assessment; plans transferred in are not in Fulfil's records."),
    ("pct_issued_within_20_weeks", "", "{plans_issued_within_20_weeks} of {plans_issued} plans",
     f"New plans issued within {_PLAN.weeks} weeks of the request ({_PLAN.citation}), every plan counted."),
    ("pct_issued_within_20_weeks_excluding_exceptions", "",
     "{plans_issued_within_20_weeks_excluding_exceptions} of {plans_issued_excluding_exceptions} plans",
     f"As above, leaving out plans under an exception ({_PLAN.exceptions_citation})."),
    ("pct_not_issued", "Assessments ending in a decision not to issue a plan (%)", "{decisions_not_to_issue} of {assessments} assessments",
     "Decisions not to issue a plan, of the assessments completed in the year."),
    ("tribunal_appeal_rate", "SEND Tribunal appeal rate", "",
     "Not part of the SEN2 return: the Ministry of Justice publishes it (appeals registered over appealable decisions). "
     "Fulfil does not record appeals, so it cannot compute the rate."),
    ("annual_review_meetings", "Annual review meetings recorded", "{annual_review_meetings} meetings",
     "Review meetings held in the year (the year of the meeting), for plans of children still on Fulfil's records."),
    ("pct_reviews_within_12_months", f"Annual review meetings held within {_REVIEW.months} months (%)",
     "{annual_reviews_within_12_months} of {annual_review_meetings} meetings",
     f"Meetings held within the {_REVIEW.months} months starting with the day the plan was issued or last reviewed "
     f"({_REVIEW.citation}), of the year's meetings."),
    ("annual_review_pct_decision_within_4_weeks", "",
     f"{{annual_reviews_decided_within_4_weeks}} of {{annual_reviews}} meetings, {{annual_reviews_awaiting_decision}} still inside "
     f"{_REVIEW_DECISION.weeks} weeks",
     f"Decisions notified within {_REVIEW_DECISION.weeks} weeks of the review meeting ({_REVIEW_DECISION.citation}); a review "
     f"undecided past {_REVIEW_DECISION.weeks} weeks counts as late, one still inside them is left out."),
)
SEN2_PERCENTAGES = {"pct_not_issued", "pct_reviews_within_12_months"}  # of the measures `fulfil.comparisons` does not load
# The caseload figures as rows for disclosure control, as SEN2_ROWS.
SEN2_CASELOAD_ROWS = ((("plans_held",), ()),
                      (("annual_review_meetings", "annual_reviews_within_12_months"), ("pct_reviews_within_12_months",)))


def _sen2_counts(values: dict, template: str) -> str:
    """The counts behind a measure, in words (already released for a commissioner)."""
    def word(value) -> str:
        if isinstance(value, dt.date):
            return f"{value:%-d %B %Y}"
        return "none yet" if value is None else f"{value:,}" if isinstance(value, int) else str(value)

    return template.format(**{name: word(value) for name, value in values.items()})


def _sen2_shown(value, name: str) -> str:
    """Fulfil's own figure as the page shows it."""
    if isinstance(value, Suppressed):
        return str(value)
    if value is None:
        return "No data"
    measure = MEASURE_BY_NAME.get("ehc_plans" if name == "plans_held" else name)
    if measure is not None:
        return display(value, measure)
    return f"{value:.1f}%" if name in SEN2_PERCENTAGES else f"{value:,}"


@login_required
def sen2_report(request: HttpRequest) -> HttpResponse:
    """SEN2-style figures for a calendar year from Fulfil's records, beside the DfE's published
    figures for the area where they are loaded."""
    _require(request, TIMELINESS_ROLES)
    today = clock.today()
    try:
        year = int(request.GET.get("year", today.year - 1))
    except ValueError:
        year = today.year - 1
    year = min(max(year, 2015), today.year)
    area = request.user.local_area
    not_counted: list[str] = []
    figures = area_sen2(area.pk, year=year, as_of=today, problems=not_counted)
    caseload = area_sen2_caseload(area.pk, year=year, as_of=today, problems=not_counted)
    if request.user.role == Role.COMMISSIONER:  # counts leaving the council: disclosure control
        figures = _sen2_for_release(figures)
        caseload = _sen2_for_release(caseload, SEN2_CASELOAD_ROWS if caseload.plans_held is not None else SEN2_CASELOAD_ROWS[1:])
    values = {**vars(figures), **vars(caseload)}
    published = area_comparison(la=str(area.la_number), year=year)
    by_name = {c.measure.name: c for c in published.measures} if published else {}
    # The DfE's January caseload is published with the census year: year + 1 for this year's return.
    census = area_comparison(la=str(area.la_number), year=year + 1)
    january = [c for c in (census.measures if census else ()) if c.measure.name == "ehc_plans"]
    if january:
        by_name["plans_held"] = january[0]
    rows = []
    for name, label, counts, definition in SEN2_MEASURES:
        measure = MEASURE_BY_NAME.get("ehc_plans" if name == "plans_held" else name)
        theirs = by_name.get(name)
        if name == "tribunal_appeal_rate":
            ours, theirs_text = "Not recorded in Fulfil", "Not in SEN2 (Ministry of Justice)"
        else:
            ours = _sen2_shown(values[name], name)
            theirs_text = ("Not read by Fulfil yet" if measure is None else "Not loaded" if theirs is None
                           else "Suppressed" if theirs.area is None else display(theirs.area, measure))
        rows.append({
            "name": name, "label": label or (measure.label if measure else name), "ours": ours, "count": _sen2_counts(values, counts),
            "published": theirs_text, "definition": definition,
            "england": "" if measure is None or theirs is None or theirs.england is None else display(theirs.england, measure),
        })
    if request.GET.get("format") == "csv":
        return download(csv_text(sen2_rows(rows, area_name=area.name, year=year)), f"sen2-style-{year}.csv")
    return render(request, "plans/sen2.html", {"figures": figures, "rows": rows, "year": year, "years": range(today.year, today.year - 4, -1),
                                               "published_loaded": published is not None, "rules": RULES, "caseload": caseload,
                                               "not_counted": not_counted})


# -- statutory steps: the council records a child's requests for assessment and reviews -------

@login_required
def assessment_new(request: HttpRequest, public_id) -> HttpResponse:
    """Log a request for an EHC needs assessment for this child."""
    _require(request, {Role.COUNCIL_OFFICER})
    child = child_get_for_user(request.user, public_id, now=clock.now())
    form = AssessmentRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessment_request_record(child=child, today=clock.today(), **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Request for assessment {assessment.reference} logged")
            return redirect("plans:assessment", pk=assessment.pk)
    access_record(request=request, action="add-assessment-request", child=child)
    return render(request, "plans/case_new.html", {
        "child": child, "form": form, "title": "Log a request for an assessment", "button": "Log the request",
        "intro": (f"The decision whether to assess is due {_period(ClockKind.DECISION_TO_ASSESS)} after the request is received, "
                  f"and a final plan {_period(ClockKind.FINAL_PLAN)} after."),
    }, status=400 if form.errors else 200)


@login_required
def assessment_steps(request: HttpRequest, pk: int) -> HttpResponse:
    """A request for assessment: its clocks, and the steps taken so far."""
    assessment = assessment_get_for_user(request.user, pk, now=clock.now())
    today = clock.today()
    initial = {name: getattr(assessment, name) for name in ASSESSMENT_FIELDS} | {"outcome": assessment.outcome}
    form = AssessmentStepsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_steps_record(assessment=assessment, today=today, changed_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Steps saved")
            return redirect("plans:assessment", pk=assessment.pk)
    access_record(request=request, action="view-assessment-request", child=assessment.child)
    return render(request, "plans/case_steps.html", {
        "child": assessment.child, "case": assessment, "form": form, "kind": "Request for assessment",
        "timeline": assessment_timeline(assessment, today=today), "started": assessment.received_on,
        "started_label": "Request received", "changes": _changes(assessment.revisions.select_related("changed_by"), form),
        "advice_requests": assessment.advice_requests.select_related("provider").order_by("requested_on", "pk"),
    }, status=400 if form.errors else 200)


@login_required
def review_new(request: HttpRequest, public_id) -> HttpResponse:
    """Log a review of this child's plan."""
    _require(request, {Role.COUNCIL_OFFICER})
    child = child_get_for_user(request.user, public_id, now=clock.now())
    plan = Plan.objects.filter(child=child).order_by("-first_issued_on").first()
    if plan is None:
        raise Http404("This child has no plan to review")
    form = AnnualReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = annual_review_record(plan=plan, today=clock.today(), **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Review {review.reference} logged")
            return redirect("plans:review", pk=review.pk)
    access_record(request=request, action="add-annual-review", child=child)
    return render(request, "plans/case_new.html", {
        "child": child, "form": form, "title": "Log a review of the plan", "button": "Log the review",
        "intro": f"Plan {plan.reference} must be reviewed within {_period(ClockKind.ANNUAL_REVIEW)} of being issued or last reviewed.",
    }, status=400 if form.errors else 200)


@login_required
def review_steps(request: HttpRequest, pk: int) -> HttpResponse:
    """A review of a plan: its clocks, and the steps taken so far."""
    review = review_get_for_user(request.user, pk, now=clock.now())
    today = clock.today()
    form = ReviewStepsForm(request.POST or None, initial={name: getattr(review, name) for name in REVIEW_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            review_steps_record(review=review, today=today, changed_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Steps saved")
            return redirect("plans:review", pk=review.pk)
    access_record(request=request, action="view-annual-review", child=review.plan.child)
    return render(request, "plans/case_steps.html", {
        "child": review.plan.child, "case": review, "form": form, "kind": "Review of the plan",
        "timeline": review_timeline(review, today=today), "started": review.period_starts_on,
        "started_label": "Plan issued or last reviewed", "changes": _changes(review.revisions.select_related("changed_by"), form),
    }, status=400 if form.errors else 200)


def _changes(revisions, form) -> list[dict]:
    """Each change to a case's steps, in words: which step, from what to what, who and when."""
    def shown(value) -> str:
        if not value:
            return "not recorded"
        try:
            return f"{dt.date.fromisoformat(value):%-d %B %Y}"
        except (TypeError, ValueError):
            return dict(form.fields["outcome"].choices).get(value, value) if "outcome" in form.fields else value

    return [{
        "at": revision.changed_at, "by": revision.changed_by.display_name,
        "steps": [f"{form.fields[name].label}: {shown(revision.before.get(name))} to {shown(revision.after.get(name))}"
                  for name in revision.after if revision.before.get(name) != revision.after.get(name) and name in form.fields],
    } for revision in revisions]


@login_required
def advice_request_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask a service for advice for an assessment."""
    assessment = assessment_get_for_user(request.user, pk, now=clock.now())
    providers = Provider.objects.filter(local_area_id=request.user.local_area_id).order_by("name")
    form = AdviceRequestForm(request.POST or None, providers=providers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            advice = advice_request_record(assessment=assessment, service=data["service"], provider_id=data["provider"],
                                           requested_on=data["requested_on"], today=clock.today())
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"{advice.get_service_display()} advice asked for")
            return redirect("plans:assessment", pk=assessment.pk)
    access_record(request=request, action="add-advice-request", child=assessment.child)
    return render(request, "plans/case_new.html", {
        "child": assessment.child, "form": form, "title": "Ask for advice", "button": "Record the request for advice",
        "intro": f"For request for assessment {assessment.reference}. The advice is due {_period(ClockKind.ADVICE)} after the request for it.",
        "back": reverse("plans:assessment", args=[assessment.pk]),
    }, status=400 if form.errors else 200)
