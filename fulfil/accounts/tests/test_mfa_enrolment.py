"""MFA that holds (issue 18): the password alone cannot link an authenticator; a first one
needs an administrator's one-time enrolment code; a lost phone is reset by an administrator,
with a reason, recorded; recovery codes work once each."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from fulfil.accounts.models import AuthenticatorEvent, EnrolmentCode, RecoveryCode
from fulfil.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def require_mfa(settings):
    settings.FULFIL_REQUIRE_MFA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def frozen():
    with freeze_time("2026-11-25 10:00") as frozen:
        yield frozen


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, user):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})


def signed_in_with_authenticator(client, user):
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    sign_in(client, user)
    assert client.post(reverse("accounts:mfa-verify"), {"code": code_for(device)}).status_code == 302
    return device


@pytest.fixture
def admin_client(client_factory, area):
    administrator = UserFactory(role="admin", local_area=area, first_name="Ada", last_name="Admin")
    admin_client = client_factory()
    signed_in_with_authenticator(admin_client, administrator)
    admin_client.user = administrator
    return admin_client


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client


def issue_code(admin_client, user) -> str:
    page = admin_client.post(reverse("accounts:enrolment-code", args=[user.pk])).content.decode()
    return re.search(r'<code id="enrolment-code">([A-Z0-9-]+)</code>', page).group(1)


def link_authenticator(client) -> tuple[TOTPDevice, str]:
    """Scan the QR (read the pending device's key) and confirm with a code: the recovery codes page."""
    client.get(reverse("accounts:mfa-setup"))
    device = TOTPDevice.objects.filter(confirmed=False).latest("pk")
    return device, client.post(reverse("accounts:mfa-setup"), {"code": code_for(device)}).content.decode()


def test_the_password_alone_cannot_link_another_authenticator(client, area):
    officer = UserFactory(role="council_officer", local_area=area)
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    sign_in(client, officer)
    response = client.get(reverse("accounts:mfa-setup"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:mfa-verify")
    response = client.post(reverse("accounts:mfa-setup"), {"code": "123456"})
    assert response["Location"] == reverse("accounts:mfa-verify")
    assert TOTPDevice.objects.filter(user=officer).count() == 1  # no new device made to scan
    assert client.get(reverse("children:list"))["Location"] == reverse("accounts:mfa-verify")


def test_a_first_authenticator_needs_an_enrolment_code_from_the_administrator(frozen, client, area, admin_client):
    therapist = UserFactory(role="therapist", local_area=area, first_name="Tom", last_name="Reed")
    sign_in(client, therapist)
    page = client.get(reverse("accounts:mfa-setup")).content.decode()
    assert "Enter your enrolment code" in page and "<svg" not in page
    assert not TOTPDevice.objects.filter(user=therapist).exists()
    wrong = client.post(reverse("accounts:mfa-setup"), {"enrolment_code": "ABCD-EFGH-JKMN"}).content.decode()
    assert "The enrolment code is not right" in wrong

    staff_page = admin_client.get(reverse("accounts:authenticators")).content.decode()
    assert "Tom Reed" in staff_page and "Not linked" in staff_page
    code = issue_code(admin_client, therapist)
    assert code not in admin_client.get(reverse("accounts:authenticators")).content.decode()  # shown once
    assert not EnrolmentCode.objects.filter(code_hash__icontains=code.replace("-", "")).exists()  # kept as a hash

    # Typed in lower case with spaces: the same code.
    response = client.post(reverse("accounts:mfa-setup"), {"enrolment_code": code.lower().replace("-", " ")})
    assert response["Location"] == reverse("accounts:mfa-setup")
    device, page = link_authenticator(client)
    assert "Your recovery codes" in page and len(re.findall(r"<li><code>[A-Z0-9-]{14}</code></li>", page)) == 10
    assert client.get(reverse("children:list")).status_code == 200
    assert EnrolmentCode.objects.get(user=therapist).used_at is not None
    assert list(AuthenticatorEvent.objects.filter(user=therapist).values_list("kind", flat=True).order_by("pk")) == [
        "code_issued", "linked", "recovery_codes_issued"]
    assert "Linked" in admin_client.get(reverse("accounts:authenticators")).content.decode()


def test_an_enrolment_code_expires_after_24_hours_and_a_new_one_replaces_it(frozen, client, area, admin_client):
    therapist = UserFactory(role="therapist", local_area=area)
    first = issue_code(admin_client, therapist)
    second = issue_code(admin_client, therapist)
    sign_in(client, therapist)
    refused = client.post(reverse("accounts:mfa-setup"), {"enrolment_code": first}).content.decode()
    assert "The enrolment code is not right, has been used or has expired" in refused
    frozen.tick(dt.timedelta(hours=24, seconds=1))
    sign_in(client, therapist)
    refused = client.post(reverse("accounts:mfa-setup"), {"enrolment_code": second}).content.decode()
    assert "has expired" in refused and not TOTPDevice.objects.filter(user=therapist).exists()


def test_a_code_accepted_then_expired_before_the_qr_step_is_refused_there(frozen, client, area, admin_client):
    therapist = UserFactory(role="therapist", local_area=area)
    code = issue_code(admin_client, therapist)
    frozen.tick(dt.timedelta(hours=23, minutes=58))
    sign_in(client, therapist)
    client.post(reverse("accounts:mfa-setup"), {"enrolment_code": code})
    client.get(reverse("accounts:mfa-setup"))
    device = TOTPDevice.objects.get(user=therapist, confirmed=False)
    frozen.tick(dt.timedelta(minutes=3))
    page = client.post(reverse("accounts:mfa-setup"), {"code": code_for(device)}).content.decode()
    assert "Enter your enrolment code" in page
    assert not TOTPDevice.objects.filter(user=therapist, confirmed=True).exists()


def test_a_session_verified_with_the_authenticator_can_link_another(client, area):
    officer = UserFactory(role="council_officer", local_area=area)
    signed_in_with_authenticator(client, officer)
    page = client.get(reverse("accounts:mfa-setup")).content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert client.post(reverse("accounts:mfa-setup"), {"code": code_for(device)})["Location"] == reverse("core:home")
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).count() == 2


def test_a_recovery_code_signs_in_once_and_cannot_link_a_new_authenticator(frozen, client, area, admin_client):
    therapist = UserFactory(role="therapist", local_area=area)
    code = issue_code(admin_client, therapist)
    sign_in(client, therapist)
    client.post(reverse("accounts:mfa-setup"), {"enrolment_code": code})
    _, page = link_authenticator(client)
    recovery = re.findall(r"<li><code>([A-Z0-9-]{14})</code></li>", page)
    client.post(reverse("accounts:logout"))

    sign_in(client, therapist)
    response = client.post(reverse("accounts:mfa-verify"), {"code": recovery[3]}, follow=True)
    assert "You signed in with a recovery code. You have 9 left" in response.content.decode()
    assert client.get(reverse("children:list")).status_code == 200
    refused = client.get(reverse("accounts:mfa-setup")).content.decode()
    assert "You cannot link another authenticator now" in refused
    assert TOTPDevice.objects.filter(user=therapist).count() == 1
    assert AuthenticatorEvent.objects.filter(user=therapist, kind="recovery_code_used").count() == 1

    client.post(reverse("accounts:logout"))
    sign_in(client, therapist)
    again = client.post(reverse("accounts:mfa-verify"), {"code": recovery[3]}).content.decode()
    assert "The code is not right" in again and RecoveryCode.objects.filter(device__user=therapist).count() == 9


def test_an_administrator_resets_a_lost_authenticator_with_a_reason(frozen, client, area, admin_client):
    therapist = UserFactory(role="therapist", local_area=area, first_name="Tom", last_name="Reed")
    code = issue_code(admin_client, therapist)
    sign_in(client, therapist)
    client.post(reverse("accounts:mfa-setup"), {"enrolment_code": code})
    link_authenticator(client)
    client.post(reverse("accounts:logout"))
    # No enrolment code while an authenticator is linked: it must be reset first.
    response = admin_client.post(reverse("accounts:enrolment-code", args=[therapist.pk]))
    assert response["Location"] == reverse("accounts:authenticators")

    url = reverse("accounts:authenticator-reset", args=[therapist.pk])
    assert "Say why the authenticator is being reset" in admin_client.post(url, {"reason": " "}).content.decode()
    assert TOTPDevice.objects.filter(user=therapist).exists()
    response = admin_client.post(url, {"reason": "Phone lost on a home visit"}, follow=True)
    assert "Tom Reed&#x27;s authenticator has been reset" in response.content.decode()
    assert "Phone lost on a home visit" in response.content.decode()  # listed under recent changes
    assert not TOTPDevice.objects.filter(user=therapist).exists()
    assert not RecoveryCode.objects.filter(device__user=therapist).exists()
    event = AuthenticatorEvent.objects.get(user=therapist, kind="reset")
    assert event.by == admin_client.user and event.reason == "Phone lost on a home visit"

    sign_in(client, therapist)  # back to the start: a new enrolment code is needed
    assert "Enter your enrolment code" in client.get(reverse("accounts:mfa-setup")).content.decode()


def test_only_an_administrator_of_the_same_area_manages_authenticators(client, area, other_area, admin_client):
    stranger = UserFactory(role="therapist", local_area=other_area)
    assert admin_client.get(reverse("accounts:enrolment-code", args=[stranger.pk])).status_code == 404
    assert admin_client.post(reverse("accounts:authenticator-reset", args=[stranger.pk]), {"reason": "Phone lost"}).status_code == 404
    parent = UserFactory(role="parent", local_area=area)
    assert admin_client.post(reverse("accounts:enrolment-code", args=[parent.pk])).status_code == 404
    officer = UserFactory(role="council_officer", local_area=area)
    signed_in_with_authenticator(client, officer)
    colleague = UserFactory(role="therapist", local_area=area)
    assert client.post(reverse("accounts:enrolment-code", args=[colleague.pk])).status_code == 404
    assert not EnrolmentCode.objects.exists()


def test_the_first_administrator_gets_an_enrolment_code_from_the_server(frozen, client, area):
    import io
    import json

    from django.core.management import CommandError, call_command

    administrator = UserFactory(role="admin", local_area=area, username="first-admin")
    out = io.StringIO()
    call_command("enrolment-code", "first-admin", "--json", stdout=out)
    issued = json.loads(out.getvalue())
    assert issued["expires_at"] == "2026-11-26T10:00:00+00:00"
    sign_in(client, administrator)
    client.post(reverse("accounts:mfa-setup"), {"enrolment_code": issued["code"]})
    _, page = link_authenticator(client)
    assert "Your recovery codes" in page
    assert client.get(reverse("accounts:authenticators")).status_code == 200
    assert AuthenticatorEvent.objects.get(kind="code_issued").reason == "Issued on the server with fulfil enrolment-code"
    with pytest.raises(CommandError, match="already has an authenticator"):
        call_command("enrolment-code", "first-admin")
    with pytest.raises(CommandError, match="No active account with username 'nobody'"):
        call_command("enrolment-code", "nobody")


def test_a_reset_ends_the_second_factor_of_sessions_already_open(client, area, admin_client):
    therapist = UserFactory(role="therapist", local_area=area)
    signed_in_with_authenticator(client, therapist)
    assert client.get(reverse("children:list")).status_code == 200
    admin_client.post(reverse("accounts:authenticator-reset", args=[therapist.pk]), {"reason": "Phone stolen"})
    # Whoever holds the open session (and the stolen phone) must start again with a new code.
    assert client.get(reverse("children:list"))["Location"] == reverse("accounts:mfa-setup")
    assert "Enter your enrolment code" in client.get(reverse("accounts:mfa-setup")).content.decode()


NASTY = ["\x00", "x" * 100_000, "１２３４５６", "😀😀", "' OR 1=1 --", "", "   "]


@pytest.mark.parametrize("typed", NASTY)
def test_odd_codes_get_an_answer_not_a_crash(client, area, admin_client, typed):
    therapist = UserFactory(role="therapist", local_area=area)
    sign_in(client, therapist)
    assert client.post(reverse("accounts:mfa-setup"), {"enrolment_code": typed}).status_code in {200, 400}
    assert client.post(reverse("accounts:mfa-setup"), {"code": typed}).status_code in {200, 400}
    TOTPDevice.objects.create(user=therapist, name="phone", confirmed=True)
    assert client.post(reverse("accounts:mfa-verify"), {"code": typed}).status_code in {200, 400}
    assert client.get(reverse("children:list")).status_code == 302  # still not verified
    reset = admin_client.post(reverse("accounts:authenticator-reset", args=[therapist.pk]), {"reason": typed})
    # A reason of five or more characters is a reason ("１２３４５６" included); anything shorter is refused.
    assert reset.status_code in {200, 302, 400}
    assert TOTPDevice.objects.filter(user=therapist).exists() == (reset.status_code != 302)
