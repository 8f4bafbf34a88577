from django.http import HttpRequest, HttpResponse

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
        from django.contrib.auth import logout

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = clock.now().timestamp()
            started = request.session.setdefault("signed_in_at", now)
            if now - started > self.LIMIT_SECONDS:
                logout(request)
        return self.get_response(request)
