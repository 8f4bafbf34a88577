"""Therapist, SENCO and manager journeys in Chromium, with axe-core on every page. The visit is
recorded with the keyboard only, on a 390-pixel-wide screen."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from fulfil.accounts.models import User
from fulfil.delivery.models import Attendance, ProgrammeTick, VisitRecord
from fulfil.tests.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_area(transactional_db):
    # Today's date, so "this week" on the pages is the week the generator booked.
    call_command("generate", "--seed", "7", "--today", dt.date.today().isoformat(), "--children", "500", verbosity=0)


def tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the element matching `selector` has focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Could not reach {selector} with the Tab key")


def choose_radio(page, name: str, value: str) -> None:
    """Tab into a radio group, then move with the arrow keys until `value` is chosen."""
    tab_to(page, f'input[name="{name}"]')
    for _ in range(6):
        if page.evaluate("n => (document.querySelector(`input[name='${n}']:checked`) || {}).value", name) == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"Could not choose {value} for {name}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def busiest_setting(therapist):
    """The setting where the therapist has most children on their caseload."""
    from django.db.models import Count

    from fulfil.schools.models import EducationSetting

    return (EducationSetting.objects.filter(pupils__caseload_assignments__therapist=therapist, pupils__caseload_assignments__ends_on=None)
            .annotate(n=Count("pupils", distinct=True)).order_by("-n").first())


def test_therapist_records_a_visit_with_the_keyboard_on_a_phone_sized_screen(page, live_server, demo_area):
    therapist = User.objects.get(username="therapist")
    setting = busiest_setting(therapist.therapist)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "therapist")
    page.goto(f"{live_server.url}/therapy/my-week/")
    expect(page.get_by_role("heading", name=re.compile("^My week from"))).to_be_visible()
    assert axe_violations(page) == []
    assert no_sideways_scroll(page)

    today = dt.date.today().isoformat()
    page.goto(f"{live_server.url}/therapy/visits/settings/{setting.pk}/record/?date={today}")
    expect(page.get_by_role("heading", name=f"Record visit to {setting.name}")).to_be_visible()
    assert axe_violations(page) == []
    assert no_sideways_scroll(page)
    rows = page.locator("input[name=children]").evaluate_all("els => els.map(e => e.value)")
    assert len(rows) >= 6, "the therapist's busiest school should have six or more of their children"
    plan = ["one_to_one", "one_to_one", "group", "group", "group", "not_seen"]
    page.locator("body").focus()
    type_into(page, "#id_starts_at", "0900")
    type_into(page, "#id_ends_at", "1130")
    for public_id, outcome in zip(rows, plan, strict=False):
        prefix = f"child-{public_id}"
        choose_radio(page, f"{prefix}-outcome", outcome)
        if outcome == "not_seen":
            choose_radio(page, f"{prefix}-reason", "absent")
        else:
            type_into(page, f"#{prefix}-minutes", "20")
    for public_id in rows[6:]:
        choose_radio(page, f"child-{public_id}-outcome", "")
    type_into(page, "#id_group_minutes", "30")
    type_into(page, "#id_summary", "Worked on the targets in each plan; strategies shared with class staff.")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name=re.compile(f"^Visit to {re.escape(setting.name)}"))).to_be_visible()
    expect(page.get_by_text(f"Visit to {setting.name} recorded")).to_be_visible()
    assert axe_violations(page) == []
    assert no_sideways_scroll(page)
    visit = VisitRecord.objects.get(therapist=therapist.therapist)
    outcomes = Attendance.objects.filter(session__visit=visit)
    assert outcomes.count() == 6
    assert outcomes.filter(session__kind="group").values("session").distinct().count() == 1
    assert outcomes.filter(session__status="dna").count() == 1


def test_therapist_sets_a_programme_and_the_senco_ticks_it_off(page, live_server, demo_area):
    setting = User.objects.get(username="senco").setting
    sign_in(page, live_server, "therapist")
    page.goto(f"{live_server.url}/therapy/visits/settings/{setting.pk}/record/")
    public_id = page.locator("input[name=children]").first.get_attribute("value")
    page.goto(f"{live_server.url}/children/{public_id}/")
    page.get_by_role("link", name="Set a programme for school staff to run between visits").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Set programme").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    page.get_by_label("Name of the programme").fill("Fine-motor warm-up")
    page.get_by_label("What school staff should do").fill("Five minutes of threading and pegboard before writing.")
    start = dt.date.today() - dt.timedelta(days=14)
    dates = page.get_by_role("group", name="Start date")
    for box, value in (("Day", start.day), ("Month", start.month), ("Year", start.year)):
        dates.get_by_label(box).fill(str(value))
    page.get_by_role("button", name="Set programme").click()
    expect(page.get_by_role("heading", name="Fine-motor warm-up")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "senco")
    page.get_by_role("link", name="Therapy this week").click()
    expect(page.get_by_role("heading", name="Therapy this week")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("^Fine-motor warm-up")).click()
    page.get_by_role("link", name="Previous week").click()
    page.locator("input[type=checkbox]").nth(0).check()
    page.locator("input[type=checkbox]").nth(2).check()
    page.get_by_role("button", name="Save tick-sheet").click()
    expect(page.get_by_text("Done on 2 of 5 days")).to_be_visible()
    assert axe_violations(page) == []
    assert ProgrammeTick.objects.filter(done=True).count() == 2


def test_manager_reads_the_service_activity_page(page, live_server, demo_area):
    sign_in(page, live_server, "manager")
    page.get_by_role("link", name="Service activity").click()
    expect(page.get_by_role("heading", name="Missing paperwork")).to_be_visible()
    expect(page.get_by_role("heading", name="Sessions recorded per therapist per week")).to_be_visible()
    assert axe_violations(page) == []
    table = page.get_by_role("table").last
    expect(table).to_contain_text("Total")
