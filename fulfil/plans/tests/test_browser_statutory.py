"""A council officer logs a request for assessment from the child's page and records its
decision, in the browser, with axe checking each page."""

import datetime as dt

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from fulfil.children.models import Child
from fulfil.plans.models import AssessmentRequest
from fulfil.tests.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_area(transactional_db):
    call_command("generate", "--seed", "3", "--today", dt.date.today().isoformat(), "--children", "60", verbosity=0)


def test_an_officer_logs_a_request_and_its_decision(page, live_server, demo_area):
    child = Child.objects.filter(sen_status="sen_support").order_by("pk").first()
    received = dt.date.today() - dt.timedelta(days=10)
    sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/children/{child.public_id}/")
    expect(page.get_by_role("heading", name="Assessments and reviews")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Log a request for an assessment").click()
    page.get_by_label("Case reference").fill("EHCNA-BROWSER-1")
    received_on = page.get_by_role("group", name="Date the request was received")
    for box, value in (("Day", received.day), ("Month", received.month), ("Year", received.year)):
        received_on.get_by_label(box).fill(str(value))
    assert axe_violations(page) == []
    page.get_by_role("button", name="Log the request").click()

    expect(page.get_by_role("heading", name="Request for assessment EHCNA-BROWSER-1")).to_be_visible()
    expect(page.get_by_text("Request for assessment EHCNA-BROWSER-1 logged")).to_be_visible()
    decision_due = (received + dt.timedelta(weeks=6)).strftime("%-d %b %Y")
    expect(page.get_by_role("row", name="Decision whether to assess")).to_contain_text(decision_due)
    # A decision without a date says what to add, and nothing is saved.
    page.get_by_label("Decision whether to assess").select_option("assess")
    page.get_by_role("button", name="Save the steps").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the decision")
    assert axe_violations(page) == []
    decided = page.get_by_role("group", name="Date of the decision, or of the withdrawal")
    for box, value in (("Day", dt.date.today().day), ("Month", dt.date.today().month), ("Year", dt.date.today().year)):
        decided.get_by_label(box).fill(str(value))
    page.get_by_role("button", name="Save the steps").click()
    expect(page.get_by_text("Steps saved")).to_be_visible()
    expect(page.get_by_role("row", name="Decision whether to assess")).to_contain_text("On time")
    assert axe_violations(page) == []
    assert AssessmentRequest.objects.get(reference="EHCNA-BROWSER-1").outcome == "assess"

    # Then the council asks the OT service for advice; its 6-week clock joins the table.
    page.get_by_role("link", name="Ask for advice").click()
    assert axe_violations(page) == []
    page.get_by_label("Occupational therapy").check()
    page.get_by_label("Therapy provider (for therapy advice)").select_option(index=1)
    asked = page.get_by_role("group", name="Date the request for advice was sent")
    for box, value in (("Day", dt.date.today().day), ("Month", dt.date.today().month), ("Year", dt.date.today().year)):
        asked.get_by_label(box).fill(str(value))
    page.get_by_role("button", name="Record the request for advice").click()
    expect(page.get_by_text("Occupational therapy advice asked for")).to_be_visible()
    advice_due = (dt.date.today() + dt.timedelta(weeks=6)).strftime("%-d %b %Y")
    expect(page.get_by_role("row", name="Advice for the assessment: Occupational therapy")).to_contain_text(advice_due)
    assert axe_violations(page) == []
    # WCAG 2.2 reflow (1.4.10): on a 320-pixel-wide screen the page needs no sideways scrolling.
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name=f"Back to {child.full_name}").click()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []  # tables that need more room scroll on their own, reachable by keyboard
