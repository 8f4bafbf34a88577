"""A first authenticator, end to end in Chromium (issue 18): the administrator issues a
one-time enrolment code on the Staff authenticators page; the therapist, signed in with the
password alone, cannot link an app without it; with it they link one and are shown their
recovery codes once. axe on each page."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from fulfil.accounts.models import AuthenticatorEvent
from fulfil.demo.services import DEMO_PASSWORD
from fulfil.factories import UserFactory
from fulfil.tests.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def password_step(page, live_server, username):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_an_administrator_issues_an_enrolment_code_and_a_therapist_links_an_app(page, live_server, area, settings):
    settings.FULFIL_REQUIRE_MFA = True
    administrator = UserFactory(role="admin", local_area=area, username="ada", first_name="Ada", last_name="Admin")
    therapist = UserFactory(role="therapist", local_area=area, username="tom", first_name="Tom", last_name="Reed")
    for user in (administrator, therapist):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    admin_phone = TOTPDevice.objects.create(user=administrator, name="phone", confirmed=True)

    password_step(page, live_server, "ada")
    page.get_by_label("Code from your authenticator app").fill(code_for(admin_phone))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Staff authenticators").click()
    expect(page.get_by_role("heading", name="Staff authenticators")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Issue enrolment code for Tom Reed").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Issue the code").click()
    code = page.locator("#enrolment-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    expect(page.get_by_text("This code is shown once")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign out").click()

    password_step(page, live_server, "tom")
    expect(page.get_by_role("heading", name="Enter your enrolment code")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Enrolment code").fill("ABCD-EFGH-JKMN")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Enrolment code").fill(code.lower())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    assert axe_violations(page) == []
    phone = TOTPDevice.objects.get(user=therapist, confirmed=False)  # what scanning the QR code gives the app
    page.get_by_label("Code from your authenticator app").fill(code_for(phone))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert axe_violations(page) == []
    page.get_by_role("link", name="I have kept my recovery codes").click()
    expect(page).to_have_title(re.compile("^Home"))
    assert list(AuthenticatorEvent.objects.filter(user=therapist).order_by("pk").values_list("kind", flat=True)) == [
        "code_issued", "linked", "recovery_codes_issued"]
