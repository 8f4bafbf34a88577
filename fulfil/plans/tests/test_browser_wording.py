"""A caseworker types a provision line, sees the check as they type, takes the details in one
click and adds the line to the plan - in Chromium, with axe."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from fulfil.children.models import Child
from fulfil.tests.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_area(transactional_db):
    call_command("generate", "--seed", "5", "--today", "2026-11-25", "--children", "40", verbosity=0)


def test_caseworker_checks_wording_live_and_adds_the_line(page, live_server, demo_area):
    child = Child.objects.filter(sen_status="ehcp").order_by("id").first()
    sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/children/{child.public_id}/")
    page.get_by_role("link", name="Add a therapy line to the plan").click()

    box = page.get_by_label("The plan's words for this therapy")
    box.fill("Regular access to occupational therapy as appropriate")
    feedback = page.locator("#wording-feedback")
    expect(feedback).to_contain_text("Not quantified")
    expect(feedback).to_contain_text("as appropriate")

    box.fill("Fortnightly 45-minute individual sessions with an occupational therapist")
    expect(feedback).to_contain_text("Quantified")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Use these details").first.click()
    expect(page.get_by_label("Therapy", exact=True)).to_have_value("ot")
    expect(page.get_by_label("Minutes per session")).to_have_value("45")
    expect(page.get_by_label("Per", exact=True)).to_have_value("fortnight")
    page.get_by_role("button", name="Add to the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(child.full_name)
    expect(page.get_by_text("Fortnightly 45-minute individual sessions with an occupational therapist")).to_be_visible()
    assert child.provision_items.filter(period="fortnight", minutes=45).exists()
