"""Statutory timeliness, capacity and the term planner in Chromium, with axe-core on each page."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from fulfil.tests.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clock_on_demo_day")]


@pytest.fixture
def demo_area(transactional_db):
    call_command("generate", "--seed", "5", "--today", "2026-11-25", "--children", "300", verbosity=0)


def test_officer_reads_timeliness_and_sen2_figures(page, live_server, demo_area):
    sign_in(page, live_server, "officer")
    page.get_by_role("link", name="Timeliness").click()
    expect(page.get_by_role("heading", name="Statutory timeliness")).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("Final plan issued (20 weeks)")
    assert axe_violations(page) == []
    page.get_by_role("link", name="SEN2-style figures for a calendar year").click()
    expect(page.get_by_role("heading", name=re.compile("^SEN2-style figures for"))).to_be_visible()
    assert axe_violations(page) == []


def test_therapist_reads_the_advice_due_page(page, live_server, demo_area):
    sign_in(page, live_server, "therapist")
    page.get_by_role("link", name="Advice due").click()
    expect(page.get_by_role("heading", name="Advice for assessments")).to_be_visible()
    assert axe_violations(page) == []


def test_manager_compares_capacity_and_plans_a_term(page, live_server, demo_area):
    sign_in(page, live_server, "manager")
    page.get_by_role("link", name="Capacity").click()
    expect(page.get_by_role("heading", name=re.compile("^Therapist hours needed and available"))).to_be_visible()
    page.get_by_label("Hours bought from independent providers").fill("200")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="With the changes")).to_be_visible()
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/planning/planner/")
    assert axe_violations(page) == []
    page.get_by_label("Therapy").select_option(label="Occupational therapy")
    page.get_by_label("Time the planner may take, in seconds").fill("5")
    page.get_by_role("button", name="Plan the term").click()
    expect(page.get_by_text("of required sessions planned")).to_be_visible(timeout=60_000)
    assert axe_violations(page) == []
    # Booking is previewed first: what will be booked, what will be skipped and why.
    page.get_by_role("link", name="Check and book this plan").click()
    expect(page.get_by_role("heading", name="Check before you book")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name=re.compile(r"^Book [\d,]+ sessions$")).click()
    expect(page.get_by_text(re.compile(r"sessions booked for [\d,]+ child contacts"))).to_be_visible()
    expect(page.get_by_role("heading", name="Booked")).to_be_visible()
    assert axe_violations(page) == []


def test_manager_records_a_therapists_working_days(page, live_server, demo_area):
    from fulfil.workforce.models import Therapist

    sign_in(page, live_server, "manager")
    therapist = Therapist.objects.filter(working_days="", provider__users__username="manager").first()
    page.goto(f"{live_server.url}/therapists/{therapist.pk}/")
    expect(page.get_by_text("Not recorded: the term planner assumes days from contracted hours")).to_be_visible()
    page.get_by_role("link", name="Change working days").click()
    page.get_by_role("button", name="Save working days").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Tuesday").check()
    page.get_by_label("Wednesday").check()
    page.get_by_label("Friday").check()
    page.get_by_role("button", name="Save working days").click()
    expect(page.get_by_text("Tuesday, Wednesday, Friday").first).to_be_visible()
    assert axe_violations(page) == []
