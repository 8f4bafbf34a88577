"""Staff accounts need a second factor before they see anything (issue: MFA for staff), and
the requests no view records for itself leave a row in the access log."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from fulfil.accounts.audit import access_record_route
from fulfil.accounts.models import Role

# Parents and carers sign in with a password only; every other role is staff.
MFA_EXEMPT_ROLES = {Role.PARENT}


def mfa_required_for(user) -> bool:
    return settings.FULFIL_REQUIRE_MFA and user.is_authenticated and user.role not in MFA_EXEMPT_ROLES


class MfaRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and mfa_required_for(user) and not user.is_verified():
            allowed = {reverse("accounts:mfa-setup"), reverse("accounts:mfa-verify"), reverse("accounts:logout")}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                target = "accounts:mfa-verify" if user_has_device(user, confirmed=True) else "accounts:mfa-setup"
                return redirect(reverse(target))
        return self.get_response(request)


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


class AccessLogMiddleware:
    """The requests no view records for itself leave a row in the access log:

    - refused: a view answered 404 (what the access check says about a child someone may not
      see, so a refusal is not a leak) or 403, action "refused";
    - every page of Django's admin, read or change, action "admin-page".

    The row says who, the route's name, the method and the status, and when: never the path or
    query string, which may name a child (issue 18). Requests by nobody signed in are not
    recorded: the log's rows are about a user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if (match is not None and "admin" in match.namespaces and _signed_in(request)
                and not getattr(request, "_fulfil_refusal_recorded", False)):
            access_record_route(request=request, action="admin-page",
                                detail=f"{request.method} {response.status_code}")
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, (Http404, PermissionDenied)) and _signed_in(request):
            status = 404 if isinstance(exception, Http404) else 403
            access_record_route(request=request, action="refused", detail=f"{request.method} {status}")
            request._fulfil_refusal_recorded = True  # type: ignore[attr-defined]
        return None  # Django goes on to answer with its 404 or 403 page
