from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fulfil.core.audit import access_record_many
from fulfil.core.models import Discipline
from fulfil.workforce.selectors import caseload_for_therapist, therapist_get_for_user, therapists_with_caseload_sizes


@login_required
def therapist_list(request: HttpRequest) -> HttpResponse:
    discipline = request.GET.get("discipline", "")
    if discipline not in Discipline.values:
        discipline = ""
    therapists = therapists_with_caseload_sizes(request.user, discipline=discipline)
    return render(request, "workforce/list.html", {
        "therapists": therapists, "discipline": discipline, "disciplines": Discipline.choices,
    })


@login_required
def therapist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    therapist = therapist_get_for_user(request.user, pk)
    caseload = caseload_for_therapist(request.user, therapist)
    access_record_many(request=request, action="list-caseload", children=[a.child for a in caseload], detail=f"therapist {therapist.pk}")
    return render(request, "workforce/detail.html", {
        "therapist": therapist,
        "caseload": caseload,
        "absences": therapist.absences.order_by("-starts_on")[:10],
        "settings_covered": therapist.settings_covered.order_by("name"),
    })
