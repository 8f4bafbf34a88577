"""A council officer reads the shortfall report, downloads it, and a child's ledger - in Chromium."""

import io
import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from fulfil.tests.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clock_on_demo_day")]


@pytest.fixture
def demo_area(transactional_db):
    call_command("generate", "--seed", "5", "--today", "2026-11-25", "--children", "80", verbosity=0)


def test_officer_reads_the_shortfall_report_downloads_it_and_opens_a_child(page, live_server, demo_area):
    sign_in(page, live_server, "officer")
    page.get_by_role("link", name="Shortfall report").click()
    page.get_by_label("Period", exact=True).select_option(label="Academic year 2025/26")
    page.get_by_label("Therapy", exact=True).select_option(label="Occupational therapy")
    page.get_by_role("button", name="Show report").click()
    expect(page.get_by_role("heading", name="1 September 2025 to 31 August 2026")).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("Occupational therapy")
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    assert book["Summary"]["A2"].value == "Occupational therapy"

    page.get_by_role("heading", name=re.compile("Children short of their plan")).scroll_into_view_if_needed()
    page.locator("table").nth(1).get_by_role("link").first.click()
    expect(page.get_by_text("Delivery since").first).to_be_visible()
    expect(page.locator("svg.fulfil-chart").first).to_be_visible()
    assert axe_violations(page) == []
