"""Emergency access in Chromium: a reason too short and an unknown NHS number are each said on
their field, the summary's links land there, and a real reason opens the record. axe on the form."""

import re

import pytest
from playwright.sync_api import expect

from fulfil.demo.services import DEMO_PASSWORD
from fulfil.factories import ChildFactory, TherapistFactory, UserFactory
from fulfil.tests.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_therapist_fixes_their_emergency_access_request_and_opens_the_record(page, live_server, area):
    area.privacy_officer_email = "privacy@sutton.example.org"
    area.save()
    therapist = UserFactory(role="therapist", local_area=area, username="tom", therapist=TherapistFactory(local_area=area))
    therapist.set_password(DEMO_PASSWORD)
    therapist.save(update_fields=["password"])
    child = ChildFactory(local_area=area, first_name="Mina", last_name="Okafor")

    sign_in(page, live_server, "tom")
    page.goto(f"{live_server.url}/children/emergency-access/")
    page.get_by_label("The child's NHS number").fill("999 000 0018")
    page.get_by_label("Why you need the record now").fill("need")
    page.get_by_role("button", name="Open the record for one hour").click()
    expect(page).to_have_title(re.compile("^Error: Emergency access"))
    summary = page.locator(".govuk-error-summary")
    summary.get_by_role("link", name=re.compile("^Say why you need this record now")).click()
    expect(page.get_by_label("Why you need the record now")).to_be_focused()
    summary.get_by_role("link", name=re.compile("^There is no child with NHS number")).click()
    expect(page.get_by_label("The child's NHS number")).to_be_focused()
    assert axe_violations(page) == []

    page.get_by_label("The child's NHS number").fill(child.nhs_number)
    page.get_by_label("Why you need the record now").fill("Covering for a colleague: child in hospital")
    page.get_by_role("button", name="Open the record for one hour").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(child.full_name)
