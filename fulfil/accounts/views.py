from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_otp import login as otp_login

from fulfil.accounts.services import totp_device_confirm, totp_device_pending

from fulfil.accounts.forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


def _code(request) -> str:
    return "".join(ch for ch in request.POST.get("code", "") if ch.isdigit())


def _qr_svg(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    return qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).to_string(encoding="unicode")


@login_required
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Link an authenticator app: scan the code (or type the key), then enter a code from it."""
    import base64

    from django.utils.safestring import mark_safe

    device = totp_device_pending(user=request.user)
    error = ""
    if request.method == "POST":
        confirmed = totp_device_confirm(user=request.user, token=_code(request))
        if confirmed is not None:
            otp_login(request, confirmed)
            return redirect("core:home")
        error = "Enter the 6-digit code shown in your authenticator app now"
    key = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/mfa_setup.html", {
        "qr": mark_safe(_qr_svg(device.config_url)),  # noqa: S308  # nosec B308 B703 - SVG made by qrcode from our own URL
        "key": " ".join(key[i:i + 4] for i in range(0, len(key), 4)), "error": error,
    })


@login_required
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the user's authenticator app."""
    from django_otp import match_token

    from django_otp import devices_for_user

    error = ""
    if request.method == "POST":
        if not all(device.verify_is_allowed()[0] for device in devices_for_user(request.user, confirmed=True)):
            error = "Too many wrong codes. Wait a minute, then enter the code your app shows"
        else:
            device = match_token(request.user, _code(request))
            if device is not None:
                otp_login(request, device)
                return redirect("core:home")
            error = "The code is not right: enter the 6-digit code shown in your authenticator app now"
    return render(request, "accounts/mfa_verify.html", {"error": error})
