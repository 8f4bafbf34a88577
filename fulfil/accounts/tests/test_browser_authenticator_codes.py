"""A wrong sign-in code and a reset without a reason: the error summary says what to fix and
its link lands on the box - in Chromium, with axe."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from fulfil.accounts.tests.test_browser_enrolment import code_for, password_step
from fulfil.demo.services import DEMO_PASSWORD
from fulfil.factories import UserFactory
from fulfil.tests.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_mistypes_their_code_then_resets_a_lost_phone(page, live_server, area, settings):
    settings.FULFIL_REQUIRE_MFA = True
    administrator = UserFactory(role="admin", local_area=area, username="ada", first_name="Ada", last_name="Admin")
    administrator.set_password(DEMO_PASSWORD)
    administrator.save(update_fields=["password"])
    therapist = UserFactory(role="therapist", local_area=area, username="tom", first_name="Tom", last_name="Reed")
    admin_phone = TOTPDevice.objects.create(user=administrator, name="phone", confirmed=True)
    TOTPDevice.objects.create(user=therapist, name="phone", confirmed=True)

    password_step(page, live_server, "ada")
    box = page.get_by_label("Code from your authenticator app")
    box.fill("000000" if code_for(admin_phone) != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile("^Error: Enter your code"))
    page.locator(".govuk-error-summary").get_by_role("link", name=re.compile("^The code is not right")).click()
    expect(box).to_be_focused()
    assert axe_violations(page) == []

    page.wait_for_timeout(1500)  # after one wrong code django-otp refuses any code for a second
    box.fill(code_for(admin_phone))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Staff authenticators").click()
    page.get_by_role("link", name="Reset Tom Reed's authenticator").click()
    page.get_by_role("button", name="Reset the authenticator").click()
    expect(page).to_have_title(re.compile("^Error: Reset Tom Reed's authenticator"))
    page.locator(".govuk-error-summary").get_by_role("link", name=re.compile("^Say why the authenticator is being reset")).click()
    reason = page.get_by_label("Why are you resetting it?")
    expect(reason).to_be_focused()
    assert axe_violations(page) == []
    reason.fill("Phone lost on a home visit")
    page.get_by_role("button", name="Reset the authenticator").click()
    expect(page.get_by_text("Tom Reed's authenticator has been reset")).to_be_visible()
    assert not TOTPDevice.objects.filter(user=therapist).exists()
