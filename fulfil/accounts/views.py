import base64

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from fulfil.accounts.breakglass import BREAK_GLASS_DAILY_LIMIT, break_glass_for_review, break_glass_mark_reviewed
from fulfil.accounts.forms import (
    WRONG_SETUP_CODE,
    AuthenticatorCodeForm,
    AuthenticatorResetForm,
    EnrolmentCodeForm,
    SignInCodeForm,
    SignInForm,
)
from fulfil.accounts.models import AuthenticatorEvent, EnrolmentCode, RecoveryCodeDevice, Role, User
from fulfil.accounts.policy import Capability, can
from fulfil.accounts.services import (
    ENROLMENT_CODE_LIFETIME,
    authenticator_reset,
    enrolment_code_issue,
    recovery_code_used,
    recovery_codes_issue,
    totp_device_confirm,
    totp_device_pending,
)
from fulfil.core import clock

# The enrolment code a user has typed in this session, so the QR step can spend it.
ENROLMENT_SESSION_KEY = "fulfil_enrolment_code_id"


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


def _qr_svg(url: str) -> str:
    return qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).to_string(encoding="unicode")


def _verified_with_authenticator(request) -> bool:
    device = getattr(request.user, "otp_device", None)
    return request.user.is_verified() and isinstance(device, TOTPDevice)


@login_required
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Link an authenticator app: scan the code (or type the key), then enter a code from it.

    With the password alone nobody may link one to an account that has one already: that
    needs a session verified with it. A first one needs an administrator's enrolment code."""
    user = request.user
    now = clock.now()
    has_authenticator = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    enrolment_code_id = None
    if has_authenticator:
        if not request.user.is_verified():
            return redirect("accounts:mfa-verify")
        if not _verified_with_authenticator(request):
            return render(request, "accounts/mfa_setup_refused.html")
    else:
        enrolment_code_id = request.session.get(ENROLMENT_SESSION_KEY)
        if enrolment_code_id is None or not EnrolmentCode.objects.filter(
            pk=enrolment_code_id, user=user, used_at__isnull=True, expires_at__gt=now
        ).exists():
            return _enrolment_code_step(request, now=now)

    device = totp_device_pending(user=user)
    form = AuthenticatorCodeForm(request.POST if request.method == "POST" and "code" in request.POST else None)
    if form.is_valid():
        try:
            confirmed = totp_device_confirm(user=user, token=form.cleaned_data["code"],
                                            enrolment_code_id=enrolment_code_id, now=now)
        except ValidationError as refused:
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            return _enrolment_code_step(request, now=now, refused=refused.messages[0])
        if confirmed is not None:
            otp_login(request, confirmed)
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            if has_authenticator:
                messages.success(request, "Your new authenticator app is linked")
                return redirect("core:home")
            # Shown once, in this response: only their hashes are kept.
            return render(request, "accounts/recovery_codes.html", {"codes": recovery_codes_issue(user=user)})
        form.add_error("code", WRONG_SETUP_CODE)
    key = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/mfa_setup.html", {
        "qr": mark_safe(_qr_svg(device.config_url)),  # noqa: S308  # nosec B308 B703 - SVG made by qrcode from our own URL
        "key": " ".join(key[i:i + 4] for i in range(0, len(key), 4)), "form": form,
    })


def _enrolment_code_step(request: HttpRequest, *, now, refused: str = "") -> HttpResponse:
    """Before a first authenticator: the one-time code an administrator gave the user.
    `refused` is why the code they gave before no longer works (it expired while they scanned)."""
    typed = request.method == "POST" and "enrolment_code" in request.POST and not refused
    form = EnrolmentCodeForm(request.POST if typed else None, user=request.user, now=now)
    if form.is_valid():
        request.session[ENROLMENT_SESSION_KEY] = form.enrolment.pk
        return redirect("accounts:mfa-setup")
    return render(request, "accounts/enrolment_code.html",
                  {"form": form, "refused": {"enrolment_code": refused} if refused else {}})


@login_required
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the user's authenticator app, or one of
    their recovery codes."""
    form = SignInCodeForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_valid():
        otp_login(request, form.device)
        if isinstance(form.device, RecoveryCodeDevice):
            left = recovery_code_used(user=request.user)
            messages.warning(request, f"You signed in with a recovery code. You have {left} left. "
                                      "If you have lost your phone, ask your administrator to reset your authenticator")
        return redirect("core:home")
    return render(request, "accounts/mfa_verify.html", {"form": form})


# Administrators: enrolment codes and resets, for staff of their own area.

def _require_admin(request: HttpRequest) -> None:
    if not can(request.user, Capability.MANAGE_AUTHENTICATORS) or request.user.local_area_id is None:
        raise Http404("Not available for this role")


def _staff_member(request: HttpRequest, user_id: int) -> User:
    """A member of staff in the administrator's area; anyone else is a 404."""
    return get_object_or_404(
        User.objects.exclude(role=Role.PARENT), pk=user_id, local_area_id=request.user.local_area_id, is_active=True
    )


@login_required
def authenticators(request: HttpRequest) -> HttpResponse:
    """Each member of staff in the area: whether they have linked an authenticator."""
    _require_admin(request)
    now = clock.now()
    staff = list(User.objects.filter(local_area_id=request.user.local_area_id, is_active=True)
                 .exclude(role=Role.PARENT).order_by("last_name", "first_name", "username"))
    linked = set(TOTPDevice.objects.filter(user__in=staff, confirmed=True).values_list("user_id", flat=True))
    waiting = dict(EnrolmentCode.objects.filter(user__in=staff, used_at__isnull=True, expires_at__gt=now)
                   .values_list("user_id", "expires_at"))
    rows = [{"user": member, "linked": member.pk in linked, "code_expires_at": waiting.get(member.pk)} for member in staff]
    events = (AuthenticatorEvent.objects.filter(user__local_area_id=request.user.local_area_id)
              .select_related("user", "by")[:30])
    return render(request, "accounts/authenticators.html", {"rows": rows, "events": events})


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_code(request: HttpRequest, user_id: int) -> HttpResponse:
    """Issue a one-time enrolment code, shown once, so a member of staff can link a first
    authenticator."""
    _require_admin(request)
    member = _staff_member(request, user_id)
    if TOTPDevice.objects.filter(user=member, confirmed=True).exists():
        messages.warning(request, f"{member.display_name} already has an authenticator. Reset it first if they have lost it")
        return redirect("accounts:authenticators")
    context = {"member": member}
    if request.method == "POST":
        now = clock.now()
        context["code"] = enrolment_code_issue(user=member, issued_by=request.user, now=now)
        context["expires_at"] = now + ENROLMENT_CODE_LIFETIME
    return render(request, "accounts/enrolment_code_issue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def authenticator_reset_view(request: HttpRequest, user_id: int) -> HttpResponse:
    """Remove a member of staff's authenticator and recovery codes, with a reason (a lost or
    replaced phone); they then need a new enrolment code."""
    _require_admin(request)
    member = _staff_member(request, user_id)
    form = AuthenticatorResetForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            authenticator_reset(user=member, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, f"{member.display_name}'s authenticator has been reset. Issue them an enrolment code to link a new one")
            return redirect("accounts:authenticators")
    return render(request, "accounts/authenticator_reset.html", {"member": member, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def break_glass_review(request: HttpRequest) -> HttpResponse:
    """Every use of emergency access in the area, for the privacy officer (the council's SEND
    officers hold the access histories) to review and mark as reviewed."""
    if not can(request.user, Capability.REVIEW_EMERGENCY_ACCESS) or request.user.local_area_id is None:
        raise Http404("Not available for this role")
    grants = break_glass_for_review(local_area_id=request.user.local_area_id)
    if request.method == "POST":
        chosen = request.POST.get("grant", "")
        # Only a plain id: "²" is a digit to Python but not to the database, and 20 digits overflow.
        grant = get_object_or_404(grants, pk=chosen if chosen.isascii() and chosen.isdigit() and len(chosen) < 16 else None)
        break_glass_mark_reviewed(grant=grant, by=request.user, now=clock.now())
        messages.success(request, f"Marked as reviewed: emergency access by {grant.user.display_name}")
        return redirect("accounts:break-glass-review")
    show = request.GET.get("show", "")
    listed = grants if show == "all" else grants.filter(reviewed_at__isnull=True)
    return render(request, "accounts/break_glass_review.html", {
        "grants": listed[:200], "show": show, "daily_limit": BREAK_GLASS_DAILY_LIMIT,
        "to_review": grants.filter(reviewed_at__isnull=True).count(),
    })
