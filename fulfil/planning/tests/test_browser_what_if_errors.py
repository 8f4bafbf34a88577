"""The capacity what-if and the recovery plan say what to fix, and their error summary's links
land on the box to change - in Chromium, with axe."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from fulfil.tests.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clock_on_demo_day")]


@pytest.fixture
def demo_area(transactional_db):
    call_command("generate", "--seed", "5", "--today", "2026-11-25", "--children", "40", verbosity=0)


def test_manager_who_leaves_out_when_leave_ends_is_taken_to_the_leave_dates(page, live_server, demo_area):
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/planning/capacity/")
    page.get_by_label("A therapist is on leave").select_option(index=1)
    leave = page.get_by_role("group", name="Leave starts")
    leave.get_by_label("Day").fill("4")
    leave.get_by_label("Month").fill("1")
    leave.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Compare").click()
    expect(page).to_have_title(re.compile("^Error: Capacity for"))
    message = "Enter the first and last day of the leave, the last on or after the first"
    page.locator(".govuk-error-summary").get_by_role("link", name=message).click()
    expect(leave.get_by_label("Day")).to_be_focused()
    expect(leave.get_by_label("Day")).to_have_value("4")
    assert axe_violations(page) == []


def test_manager_who_types_a_rate_in_words_is_taken_to_the_rate(page, live_server, demo_area):
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/planning/recovery/")
    expect(page.get_by_label("Hourly rate, in pounds")).not_to_have_value("")  # the area's rate, as used
    page.get_by_label("Hourly rate, in pounds").fill("cheap")
    page.get_by_role("button", name="Show the plan").click()
    expect(page).to_have_title(re.compile("^Error: Recovery plan"))
    page.locator(".govuk-error-summary").get_by_role("link", name=re.compile("amounts in pounds")).click()
    expect(page.get_by_label("Hourly rate, in pounds")).to_be_focused()
    assert axe_violations(page) == []
