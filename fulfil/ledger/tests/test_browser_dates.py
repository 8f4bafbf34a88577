"""Dates are asked for with the GOV.UK date input (day, month and year boxes), and a partly
filled or impossible date gets the Design System's message on the box that is wrong."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from fulfil.children.models import Child
from fulfil.ledger.models import ProvisionPause
from fulfil.tests.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clock_on_demo_day")]


@pytest.fixture
def demo_area(transactional_db):
    call_command("generate", "--seed", "3", "--today", "2026-11-25", "--children", "60", verbosity=0)


def test_an_officer_pauses_the_clock_with_day_month_and_year_boxes(page, live_server, demo_area):
    child = Child.objects.order_by("pk").first()
    sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/reports/children/{child.public_id}/pause/")
    paused_from = page.get_by_role("group", name="Paused from")
    paused_to = page.get_by_role("group", name="Paused to")
    expect(paused_from.get_by_label("Day")).to_be_visible()
    assert page.locator("input[type=date]").count() == 0

    paused_from.get_by_label("Day").fill("14")
    paused_from.get_by_label("Year").fill("2026")
    paused_to.get_by_label("Day").fill("31")
    paused_to.get_by_label("Month").fill("2")
    paused_to.get_by_label("Year").fill("2026")
    page.get_by_label("Reason").fill("In hospital from 14 October")
    page.get_by_role("button", name="Pause the clock").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Paused from must include a month")
    expect(summary).to_contain_text("Paused to must be a real date")
    # The summary's link takes the user to the first box of the date that is wrong.
    summary.get_by_role("link", name="Paused from must include a month").click()
    expect(page.locator("#id_starts_on_day")).to_be_focused()
    # Only the missing month is outlined; an impossible date outlines all three boxes.
    expect(page.locator("#id_starts_on_month")).to_have_class(re.compile("govuk-input--error"))
    expect(page.locator("#id_starts_on_day")).not_to_have_class(re.compile("govuk-input--error"))
    expect(page.locator("#id_ends_on_day")).to_have_class(re.compile("govuk-input--error"))
    # What the user typed is kept.
    expect(paused_from.get_by_label("Day")).to_have_value("14")
    assert axe_violations(page) == []
    assert ProvisionPause.objects.filter(child=child).count() == 0

    paused_from.get_by_label("Month").fill("10")
    paused_to.get_by_label("Day").fill("28")
    paused_to.get_by_label("Month").fill("11")
    page.get_by_role("button", name="Pause the clock").click()
    expect(page.get_by_text("Clock paused from 14 October 2026 to 28 November 2026")).to_be_visible()
    pause = ProvisionPause.objects.get(child=child)
    assert (pause.starts_on, pause.ends_on) == (dt.date(2026, 10, 14), dt.date(2026, 11, 28))
