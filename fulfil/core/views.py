from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fulfil.core.selectors import area_overview


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # Aggregate counts only: safe for every role, including commissioners.
    overview = area_overview(request.user)
    return render(request, "core/home.html", {"overview": overview})


def healthcheck(request: HttpRequest) -> HttpResponse:
    """Up means the database answers: a web worker that cannot reach it is taken out of service.
    No sign-in, no personal data, nothing about the error beyond "database unavailable"."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
