"""A council officer imports plans' therapy lines and checks a line's wording: the forms, their
errors and the summary's links work in Chromium, with axe."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from fulfil.tests.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_area(transactional_db):
    call_command("generate", "--seed", "5", "--today", "2026-11-25", "--children", "10", verbosity=0)


def test_officer_who_forgets_the_file_is_taken_to_it(page, live_server, demo_area, tmp_path):
    sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/plans/import/")
    page.get_by_role("button", name="Check the file").click()
    expect(page).to_have_title(re.compile("^Error: Import therapy lines"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose a CSV file to upload")
    assert axe_violations(page) == []
    summary.get_by_role("link", name="Choose a CSV file to upload").click()
    expect(page.get_by_label("CSV file")).to_be_focused()

    csv = tmp_path / "lines.csv"
    csv.write_text("plan_reference,wording\nEHCP-NOPE,6 x 45 min OT per term\n")
    page.get_by_label("CSV file").set_input_files(str(csv))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("nothing was imported")
    assert axe_violations(page) == []


def test_officer_checks_wording_on_the_scratch_pad(page, live_server, demo_area):
    sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/plans/check-wording/")
    page.get_by_label("Provision line").fill("Fortnightly 45-minute individual sessions with an occupational therapist")
    expect(page.locator("#wording-feedback")).to_contain_text("Quantified")
    page.get_by_role("button", name="Check wording").click()
    expect(page.get_by_label("Provision line")).to_have_value(
        "Fortnightly 45-minute individual sessions with an occupational therapist")
    expect(page.locator("#wording-feedback")).to_contain_text("Quantified")
    assert axe_violations(page) == []
