"""Therapist pages: the list with caseload sizes, a therapist's caseload, their working days."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fulfil.accounts.audit import access_record_many
from fulfil.accounts.scopes import THERAPIST_LIST_ROLES, therapist_get_for_user, therapist_to_manage, therapists_visible_to
from fulfil.core import clock
from fulfil.core.forms import form_add_service_errors
from fulfil.core.models import Discipline
from fulfil.pages.caseload import caseload_with_positions
from fulfil.workforce.forms import WorkingDaysForm
from fulfil.workforce.selectors import therapists_with_caseload_sizes
from fulfil.workforce.services import therapist_working_days_set


@login_required
def therapist_list(request: HttpRequest) -> HttpResponse:
    if request.user.role not in THERAPIST_LIST_ROLES:
        raise Http404("No therapist list for this role")
    discipline = request.GET.get("discipline", "")
    if discipline not in Discipline.values:
        discipline = ""
    therapists = therapists_with_caseload_sizes(therapists_visible_to(request.user), today=clock.today(), discipline=discipline)
    return render(request, "workforce/list.html", {
        "therapists": therapists, "discipline": discipline, "disciplines": Discipline.choices,
    })


@login_required
def therapist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    therapist = therapist_get_for_user(request.user, pk)
    caseload = caseload_with_positions(request.user, therapist, now=clock.now(), today=clock.today())
    access_record_many(request=request, action="list-caseload", children=[row.assignment.child for row in caseload],
                       detail=f"therapist {therapist.pk}")
    return render(request, "workforce/detail.html", {
        "therapist": therapist,
        "caseload": caseload,
        "absences": therapist.absences.order_by("-starts_on")[:10],
        "settings_covered": therapist.settings_covered.order_by("name"),
    })


@login_required
def therapist_working_days(request: HttpRequest, pk: int) -> HttpResponse:
    therapist = therapist_to_manage(request.user, pk)
    form = WorkingDaysForm(request.POST if request.method == "POST" else None, initial={"days": list(therapist.weekdays)})
    if request.method == "POST" and form.is_valid():
        try:
            therapist_working_days_set(therapist=therapist, days=form.cleaned_data["days"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"Working days for {therapist.full_name} saved: {therapist.working_days_display}")
            return redirect("workforce:detail", pk=therapist.pk)
    return render(request, "workforce/working_days.html", {"therapist": therapist, "form": form},
                  status=400 if form.errors else 200)
