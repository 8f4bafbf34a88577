"""The privacy review of emergency access, in Chromium: a council officer finds the uses in the
navigation, sees an alert that was not sent, and marks a use as reviewed (axe on each page)."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from fulfil.accounts.models import BreakGlassGrant
from fulfil.demo.services import DEMO_PASSWORD
from fulfil.factories import ChildFactory, TherapistFactory, UserFactory
from fulfil.tests.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_council_officer_reviews_emergency_access(page, live_server, area):
    now = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)
    therapist = UserFactory(role="therapist", local_area=area, first_name="Tom", last_name="Reed",
                            therapist=TherapistFactory(local_area=area))
    for reason, sent in (("Covering for a colleague: child in hospital", True), ("Safeguarding call about a sibling", False)):
        BreakGlassGrant.objects.create(
            local_area=area, user=therapist, child=ChildFactory(local_area=area), reason=reason, created_at=now,
            expires_at=now + dt.timedelta(hours=1), alert_sent_at=now if sent else None,
            alert_failure="" if sent else "The e-mail could not be sent: ConnectionRefusedError",
        )
    officer = UserFactory(role="council_officer", local_area=area, username="priya", first_name="Priya", last_name="Officer")
    officer.set_password(DEMO_PASSWORD)
    officer.save(update_fields=["password"])

    sign_in(page, live_server, "priya")
    page.get_by_role("link", name="Emergency access").click()
    expect(page.get_by_role("heading", name="Emergency access to review")).to_be_visible()
    expect(page.get_by_text("2 to review.")).to_be_visible()
    expect(page.get_by_text("Not sent")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name=re.compile(r"^Mark as reviewed\s*: Tom Reed, 25 Nov 2026, 09:30")).first.click()
    expect(page.get_by_text("Marked as reviewed: emergency access by Tom Reed")).to_be_visible()
    expect(page.get_by_text("1 to review.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Show all, including reviewed").click()
    expect(page.get_by_text("Reviewed by Priya Officer")).to_be_visible()
    assert BreakGlassGrant.objects.filter(reviewed_by=officer).count() == 1
