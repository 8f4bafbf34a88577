"""Staff accounts need a second factor before they see anything (issue: MFA for staff)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

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
                from django_otp import user_has_device

                target = "accounts:mfa-verify" if user_has_device(user, confirmed=True) else "accounts:mfa-setup"
                return redirect(reverse(target))
        return self.get_response(request)
