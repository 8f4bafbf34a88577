"""Plan wording: check a provision line as it is typed, add it to a plan, and the area's
plan quality report."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fulfil.accounts.models import Role
from fulfil.children.selectors import child_get_for_user
from fulfil.core.audit import access_record
from fulfil.core.exports import safe_cell
from fulfil.plans.forms import ProvisionLineForm
from fulfil.plans.imports import provision_lines_import
from fulfil.plans.models import ProvisionItem
from fulfil.plans.selectors import VERDICT_ORDER, current_plan_version, plan_quality
from fulfil.plans.services import provision_item_add
from fulfil.plans.wording import check_statement
from fulfil.plans.wording.results import VERDICT_LABELS, describe

# Caseworkers write plans; therapists and service managers advise on the wording.
WORDING_ROLES = {Role.COUNCIL_OFFICER, Role.SERVICE_MANAGER, Role.THERAPIST}
QUALITY_ROLES = {Role.COUNCIL_OFFICER, Role.SERVICE_MANAGER, Role.COMMISSIONER}


def _check_context(text: str) -> dict:
    check = check_statement(text)
    return {
        "check": check,
        "verdict_label": VERDICT_LABELS[check.verdict],
        "items": [{"index": i, "draft": d, "summary": describe(d)} for i, d in enumerate(check.items)],
    }


def _require(request: HttpRequest, roles: set) -> None:
    if request.user.role not in roles or request.user.local_area_id is None:
        raise Http404("Not available for this role")


@login_required
def wording_check_page(request: HttpRequest) -> HttpResponse:
    """A scratch pad: type a provision line, see at once whether it can be enforced."""
    _require(request, WORDING_ROLES)
    text = request.POST.get("wording", "") if request.method == "POST" else ""
    context = {"text": text, **(_check_context(text) if text.strip() else {})}
    return render(request, "plans/wording_check.html", context)


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
    child = child_get_for_user(request.user, public_id)
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
                for field_name, messages in error.message_dict.items():
                    form.add_error(field_name if field_name in form.fields else None, messages)
            else:
                return redirect(reverse("children:detail", args=[child.public_id]) + "#therapy")
    else:
        form = ProvisionLineForm(initial={"starts_on": timezone.localdate(), "section": "F", "deliverer": "therapist"})
    text = form["wording"].value() or ""
    return render(request, "plans/provision_line_form.html", {
        "child": child, "version": version, "form": form, **(_check_context(text) if text.strip() else {}), "accept": True,
    })


def _unbound_with(data) -> ProvisionLineForm:
    """The form showing these values without complaining about empty fields yet."""
    return ProvisionLineForm(initial={key: data.get(key) for key in ProvisionLineForm.base_fields})


@login_required
def plan_quality_report(request: HttpRequest) -> HttpResponse:
    _require(request, QUALITY_ROLES)
    quality = plan_quality(ProvisionItem.objects.filter(local_area_id=request.user.local_area_id))
    if request.GET.get("format") == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["Group", "Therapy lines", "Quantified %", "Partly quantified %", "Not quantified %"])
        for group in [quality.total, *quality.by_discipline, *quality.by_team]:
            writer.writerow([safe_cell(group.label), group.lines, *[group.pct(v) for v in VERDICT_ORDER]])
        writer.writerow([])
        writer.writerow(["Phrase that made lines vague", "Lines"])
        for phrase, count in quality.phrases:
            writer.writerow([safe_cell(phrase), count])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="plan-quality.csv"'
        return response
    return render(request, "plans/quality.html", {"quality": quality, "verdicts": VERDICT_ORDER})


@login_required
def provision_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV of plans' therapy lines: check it first, then import it, all or nothing."""
    _require(request, {Role.COUNCIL_OFFICER})
    result = None
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "Choose a CSV file to upload"
        elif upload.size > 20 * 1024 * 1024:
            error = "The file must be smaller than 20 MB"
        else:
            dry_run = request.POST.get("action") != "import"
            result = provision_lines_import(local_area=request.user.local_area, data=upload.read(), dry_run=dry_run)
            access_record(request=request, action="import-provision", detail=f"{result.rows} rows, dry run {dry_run}")
    return render(request, "plans/import.html", {"result": result, "error": error})
