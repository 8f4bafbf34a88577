"""A council officer signs in, finds a child and reads their therapy - in a real browser."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from fulfil.children.models import Child
from fulfil.tests.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clock_on_demo_day")]


@pytest.fixture
def demo_area(transactional_db):
    call_command("generate", "--seed", "5", "--today", "2026-11-25", "--children", "60", verbosity=0)


def test_officer_signs_in_searches_and_opens_a_child_record(page, live_server, demo_area):
    child = Child.objects.filter(sen_status="ehcp", provision_items__discipline="ot").order_by("id").first()

    sign_in(page, live_server, "officer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sutton (demo)")
    assert axe_violations(page) == []

    page.get_by_label("Search by name, NHS number or UPN").fill(f"{child.first_name} {child.last_name}")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_title(re.compile("^Children"))
    assert axe_violations(page) == []

    page.get_by_role("link", name=f"{child.last_name}, {child.first_name}").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(child.full_name)
    expect(page.get_by_role("heading", name="Therapy in the plan")).to_be_visible()
    expect(page.get_by_text("Occupational therapy:").first).to_be_visible()
    page.locator("summary", has_text="session").first.click()
    expect(page.locator("details[open] table tbody tr").first).to_be_visible()
    assert axe_violations(page) == []


def test_a_parent_sees_only_their_child_on_a_phone_sized_screen(page, live_server, demo_area):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "parent")
    page.get_by_role("link", name="See your child's therapy").click()
    expect(page).to_have_title(re.compile("^Your child"))
    expect(page.locator("table tbody tr")).to_have_count(1)
    # Nothing is wider than the screen except inside a scrolling table wrapper.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
