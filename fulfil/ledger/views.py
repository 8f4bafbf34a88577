"""The cohort shortfall report: who was due therapy in a period, who got it, and what is owed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from fulfil.accounts.audit import access_record, access_record_many
from fulfil.accounts.models import Role
from fulfil.accounts.policy import Capability, can
from fulfil.accounts.scopes import child_get_for_user, children_visible_to, settings_visible_to
from fulfil.children.models import Child
from fulfil.core import clock
from fulfil.core.disclosure import ReleasedRow, Suppressed, TableRow, count_for_release, table_for_release
from fulfil.core.exports import csv_text, download
from fulfil.core.forms import form_add_service_errors
from fulfil.core.selectors import calendar_for_area
from fulfil.ledger.exports import shortfall_csv_rows, shortfall_workbook
from fulfil.ledger.forms import PauseForm, ShortfallForm, report_periods
from fulfil.ledger.selectors import cohort_shortfall, last_complete_year
from fulfil.ledger.services import provision_pause_record
from fulfil.plans.models import ProvisionItem
from fulfil.workforce.models import Provider

# Who may open the report, and whether they see children or only figures.
_CHILD_LEVEL = {Role.COUNCIL_OFFICER, Role.SERVICE_MANAGER}
_AGGREGATE_ONLY = {Role.COMMISSIONER}


def _report(request: HttpRequest):
    user = request.user
    if user.role not in _CHILD_LEVEL | _AGGREGATE_ONLY or user.local_area is None:
        raise Http404("No report for this role")
    today = clock.today()
    area = user.local_area
    periods = report_periods(calendar_for_area(area), today)
    data = request.GET.copy()
    # The same default as `fulfil shortfall` and the demo's summary: the last complete year.
    data.setdefault("period", next(value for value, _label, *dates in periods if tuple(dates) == last_complete_year(today)))
    providers = Provider.objects.filter(local_area=area).order_by("name")
    if user.role == Role.SERVICE_MANAGER:
        providers = providers.filter(pk=user.provider_id)
    form = ShortfallForm(data, periods=periods, providers=providers, settings=settings_visible_to(user).only("pk", "name")
                         if user.role in _CHILD_LEVEL else settings_visible_to(user).none())
    if not form.is_valid():
        return form, None, False
    start, end = form.dates()
    aggregate_only = user.role in _AGGREGATE_ONLY
    # Aggregates cover every child of the area; child-level roles see only children they may see.
    children = Child.objects.filter(local_area=area) if aggregate_only else children_visible_to(user, now=clock.now())
    report = cohort_shortfall(
        local_area=area, children=children, start=start, end=end, today=today,
        discipline=form.cleaned_data["discipline"], provider_id=form.cleaned_data["provider"],
        setting_id=form.cleaned_data["setting"], need=form.cleaned_data["need"],
    )
    if aggregate_only:
        report.children = []
        # Lines in few children's plans are as telling as the children (disclosure rule 1).
        report.unquantified_lines = str(count_for_release(report.unquantified_lines)) if report.unquantified_lines else 0
    return form, report, aggregate_only


def _table_row(f) -> TableRow:
    return TableRow(
        {"children": f.children_with_provision, "fully": f.fully_delivered, "short": f.short, "none": f.received_none},
        {"pct": f.pct_contacts_delivered, "owed_hours": f.owed_hours, "owed_cost": f.owed_cost},
    )


def _released(report, aggregate_only: bool) -> list[dict]:
    """Rows of figures, the total last; for aggregate-only roles, through disclosure control
    (`fulfil.core.disclosure`: small counts suppressed, the rest rounded, figures that would give
    them away withheld). The page, the CSV and the workbook all take their figures from here."""
    figures = [*report.by_discipline, report.totals]
    table = [_table_row(f) for f in figures]
    if aggregate_only:
        parts, total = table_for_release(table[:-1], table[-1], total_sums=("children", "fully", "short"))
        released = [*parts, total]
    else:
        released = [ReleasedRow(dict(row.counts), dict(row.derived)) for row in table]

    def shown(value, fmt: str) -> str:
        return str(value) if isinstance(value, Suppressed) else fmt.format(value)

    rows = []
    for f, r in zip(figures, released, strict=True):
        pct = r.derived["pct"]
        rows.append({
            "label": f.label, **{name: shown(n, "{:,}") for name, n in r.counts.items()},
            "pct": "" if pct is None else shown(pct, "{:.1f}%"),
            "owed_hours": shown(r.derived["owed_hours"], "{:,.0f}"), "owed_cost": shown(r.derived["owed_cost"], "£{:,.0f}"),
            # The chart draws the share delivered: none for a row whose share is withheld.
            "delivered": 0 if isinstance(pct, Suppressed) else f.delivered_within_due,
            "due": 0 if isinstance(pct, Suppressed) else f.due, "is_total": f is report.totals,
        })
    return rows


@login_required
def shortfall(request: HttpRequest) -> HttpResponse:
    form, report, aggregate_only = _report(request)
    context = {"form": form, "report": report, "aggregate_only": aggregate_only}
    if report is not None:
        context["rows"] = _released(report, aggregate_only)
        context["chart_rows"] = [r for r in context["rows"] if not r["is_total"]]
        if report.children:
            access_record_many(request=request, action="shortfall-report",
                               children=Child.objects.filter(pk__in=[c.child_id for c in report.children[:200]]))
    return render(request, "ledger/shortfall.html", context)


def _filename(report, extension: str) -> str:
    return f"shortfall-{report.start.isoformat()}-to-{report.end.isoformat()}.{extension}"


@login_required
def shortfall_csv(request: HttpRequest) -> HttpResponse:
    form, report, aggregate_only = _report(request)
    if report is None:
        raise Http404("Choose a period")
    content = csv_text(shortfall_csv_rows(report, _released(report, aggregate_only)))
    if report.children:
        access_record_many(request=request, action="shortfall-export-csv",
                           children=Child.objects.filter(pk__in=[c.child_id for c in report.children]))
    return download(content, _filename(report, "csv"))


@login_required
def shortfall_xlsx(request: HttpRequest) -> HttpResponse:
    form, report, aggregate_only = _report(request)
    if report is None:
        raise Http404("Choose a period")
    content = shortfall_workbook(report, _released(report, aggregate_only), area_name=request.user.local_area.name)
    if report.children:
        access_record_many(request=request, action="shortfall-export-xlsx",
                           children=Child.objects.filter(pk__in=[c.child_id for c in report.children]))
    return download(content, _filename(report, "xlsx"))


@login_required
def pause_create(request: HttpRequest, public_id) -> HttpResponse:
    child = child_get_for_user(request.user, public_id, now=clock.now())
    # Who may stop a child's clock: the council (which owes the provision) and the service
    # manager (the one capability policy, fulfil.accounts.policy).
    if not can(request.user, Capability.PAUSE_LEDGER):
        raise Http404("Not available for this role")
    access_record(request=request, action="pause-clock", child=child)
    items = ProvisionItem.objects.filter(child=child).order_by("discipline", "pk")
    form = PauseForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        item = items.filter(pk=form.cleaned_data["provision_item"]).first() if form.cleaned_data["provision_item"] else None
        try:
            provision_pause_record(child=child, provision_item=item, starts_on=form.cleaned_data["starts_on"],
                                   ends_on=form.cleaned_data["ends_on"], reason=form.cleaned_data["reason"], recorded_by=request.user)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return redirect(f"{child_url(child)}#therapy")
    return render(request, "ledger/pause_form.html", {"child": child, "form": form})


def child_url(child) -> str:
    return reverse("children:detail", args=[child.public_id])
