from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fulfil.core import clock


class NoStoreForSignedInUsersMiddleware:
    """Pages for signed-in users may hold personal data: no browser or proxy may cache them
    (a shared computer's back button must not show another child's record)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


# Everything the pages need comes from this site: no inline script or style, no third party.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class SecurityHeadersMiddleware:
    """Content-Security-Policy and related headers on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class AbsoluteSessionLimitMiddleware:
    """Sign a user out 12 hours after they signed in, however active they have been (the idle
    limit of 30 minutes is SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST)."""

    LIMIT_SECONDS = 12 * 60 * 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = clock.now().timestamp()
            started = request.session.setdefault("signed_in_at", now)
            if now - started > self.LIMIT_SECONDS:
                logout(request)
        return self.get_response(request)


# Longer than any value a person types into Fulfil (a plan's wording, a session's notes):
# forms say their own, shorter limits; this only stops what no form would take.
MAX_VALUE_CHARS = 20_000


def _unreadable_input(request: HttpRequest) -> str:
    """What is wrong with the request's GET or POST values that no view can use, or ""."""
    data = [request.GET]
    if request.method == "POST":
        data.append(request.POST)
    for values in data:
        for name, items in values.lists():
            if "\x00" in name or any("\x00" in item for item in items):
                return "Remove the invisible character (NUL) that was pasted into the form, then try again."
            if any(len(item) > MAX_VALUE_CHARS for item in items):
                return f"Each box takes at most {MAX_VALUE_CHARS:,} characters. Shorten the text, then try again."
    return ""


class RefuseUnreadableInputMiddleware:
    """A NUL character, or a value longer than any box of Fulfil takes, in any GET or POST value
    is answered with one 400 page that says what to fix, before any view reads it. PostgreSQL
    cannot store NUL (it was a 500 wherever a search or a note reached the database), and no
    view has to remember to check (issue 18)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = _unreadable_input(request)
        if problem:
            return render(request, "core/bad_input.html", {"problem": problem}, status=400)
        return self.get_response(request)
