from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fulfil.pages.home import area_overview


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # Aggregate counts only: safe for every role, including commissioners.
    overview = area_overview(request.user)
    return render(request, "core/home.html", {"overview": overview})
