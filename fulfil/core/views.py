from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse


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
