"""Staff need an authenticator code after their password (FULFIL_REQUIRE_MFA, on in production)."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fulfil.accounts.services import enrolment_code_issue
from fulfil.core import clock
from fulfil.factories import ChildFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def require_mfa(settings):
    settings.FULFIL_REQUIRE_MFA = True
    # django-otp slows retries after a wrong code (1 s, doubling); the tests retry at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, user):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})


def test_a_new_staff_user_sets_up_an_authenticator_before_seeing_anything(client, area):
    officer = UserFactory(role="council_officer", local_area=area)
    child = ChildFactory(local_area=area)
    code = enrolment_code_issue(user=officer, issued_by=UserFactory(role="admin", local_area=area), now=clock.now())
    sign_in(client, officer)
    response = client.get(reverse("children:detail", args=[child.public_id]))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:mfa-setup")
    client.post(reverse("accounts:mfa-setup"), {"enrolment_code": code})
    page = client.get(reverse("accounts:mfa-setup")).content.decode()
    assert "<svg" in page and "Key:" in page
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    wrong = client.post(reverse("accounts:mfa-setup"), {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert "Enter the 6-digit code shown in your authenticator app now" in wrong.content.decode()
    assert "Your recovery codes" in client.post(reverse("accounts:mfa-setup"), {"code": code_for(device)}).content.decode()
    assert client.get(reverse("children:detail", args=[child.public_id])).status_code == 200


def test_a_returning_staff_user_enters_a_code_at_each_sign_in(client, area):
    officer = UserFactory(role="council_officer", local_area=area)
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    sign_in(client, officer)
    assert client.get(reverse("children:list"))["Location"] == reverse("accounts:mfa-verify")
    wrong = client.post(reverse("accounts:mfa-verify"), {"code": "12"})
    assert "The code is not right" in wrong.content.decode()
    assert client.post(reverse("accounts:mfa-verify"), {"code": code_for(device)}).status_code == 302
    assert client.get(reverse("children:list")).status_code == 200


def test_parents_sign_in_with_a_password_only(client, area):
    parent = UserFactory(role="parent", local_area=area)
    sign_in(client, parent)
    assert client.get(reverse("children:list")).status_code == 200


def test_retrying_fast_after_wrong_codes_is_slowed_down_with_a_message(client, area, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    officer = UserFactory(role="council_officer", local_area=area)
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    sign_in(client, officer)
    client.post(reverse("accounts:mfa-verify"), {"code": "000001"})
    response = client.post(reverse("accounts:mfa-verify"), {"code": code_for(device)})
    assert "Too many wrong codes" in response.content.decode()
