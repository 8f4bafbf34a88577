"""Recorded in error, end to end in Chromium: a therapist marks one child's part of a recorded
session as recorded in error; it stays in the record struck through, with the reason, on the
session, the visit and the child's page, and the ledger stops counting it (issue 17)."""

import datetime as dt
import uuid

import pytest
from playwright.sync_api import expect

from fulfil.delivery import services
from fulfil.delivery.models import Attendance, SessionRevision
from fulfil.delivery.tests.conftest import VISIT_DAY
from fulfil.demo.services import DEMO_PASSWORD
from fulfil.ledger.models import LedgerSettings
from fulfil.ledger.selectors import child_positions
from fulfil.tests.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = dt.date(2026, 11, 25)


def owed(world, child) -> float:
    children = child.__class__.objects.filter(pk=child.pk)
    return child_positions(children, local_area=world["area"], today=TODAY, discipline="salt")[child.pk]["owed"]


def test_a_therapist_marks_a_childs_part_recorded_in_error(page, live_server, school_world):
    world = school_world
    LedgerSettings.objects.create(local_area=world["area"], records_from=dt.date(2026, 9, 1))
    therapist_user = world["users"]["therapist"]
    therapist_user.set_password(DEMO_PASSWORD)
    therapist_user.save(update_fields=["password"])
    child = world["children"][2]  # booked one-to-one
    services.visit_record(
        token=uuid.uuid4(), therapist=world["therapist"], setting=world["setting"], date=VISIT_DAY, starts_at=dt.time(9, 15),
        ends_at=dt.time(11, 0), kind="direct", summary="", group_minutes=None,
        rows=[services.ChildOutcome(child=child, outcome="one_to_one", provision_item=world["items"][2], minutes=30)],
        recorded_by=therapist_user, today=TODAY, now=dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC),
    )
    attendance = Attendance.objects.get(child=child, session__date=VISIT_DAY)
    owed_before = owed(world, child)

    sign_in(page, live_server, therapist_user.username)
    page.goto(f"{live_server.url}/therapy/sessions/{attendance.session_id}/")
    page.get_by_role("link", name="Mark as recorded in error").click()
    expect(page.get_by_role("heading", name="Mark as recorded in error")).to_be_visible()
    assert axe_violations(page) == []
    # Without a reason it says what to fix and changes nothing.
    page.get_by_role("button", name="Mark as recorded in error").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_text("Say why this was recorded in error").first).to_be_visible()
    assert axe_violations(page) == []
    attendance.refresh_from_db()
    assert not attendance.is_in_error

    page.get_by_label(child.full_name).check()
    page.get_by_label("Why was this recorded in error?").fill("Recorded on the wrong day")
    page.get_by_role("button", name="Mark as recorded in error").click()
    expect(page.get_by_text("Marked recorded in error")).to_be_visible()
    expect(page.locator("del", has_text=child.full_name)).to_be_visible()
    expect(page.get_by_text("Recorded on the wrong day").first).to_be_visible()
    expect(page.get_by_role("link", name="Mark as recorded in error")).to_have_count(0)
    assert axe_violations(page) == []

    # The child's own page keeps the session, struck through, and no longer counts it.
    page.goto(f"{live_server.url}/children/{child.public_id}/")
    expect(page.get_by_text("Recorded in error").first).to_be_attached()
    assert axe_violations(page) == []
    attendance.refresh_from_db()
    assert attendance.is_in_error and attendance.in_error_by_id == therapist_user.pk
    assert owed(world, child) == owed_before + 1
    assert SessionRevision.objects.filter(session_id=attendance.session_id).count() == 1
