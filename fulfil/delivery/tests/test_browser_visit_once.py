"""A contact is recorded once, in the browser (issue 17, part 1): a therapist records a school
visit, saves it again from a second tab opened before the first save, goes back and submits the
same form again, and reopens the day from "My week". Each child stays delivered once and the
ledger does not move after the first save."""

import datetime as dt
import os
import re
from urllib.parse import parse_qsl

import pytest
from playwright.sync_api import expect

from fulfil.delivery.models import Attendance, Session, VisitRecord
from fulfil.delivery.tests.conftest import VISIT_DAY
from fulfil.demo.services import DEMO_PASSWORD
from fulfil.ledger.models import LedgerSettings
from fulfil.ledger.selectors import child_ledgers, child_positions
from fulfil.tests.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = dt.date(2026, 11, 25)  # the pinned clock (conftest)
SCREENSHOT = os.environ.get("FULFIL_VISIT_ONCE_SCREENSHOT", "")


def delivered_once(world) -> dict[int, int]:
    """Delivered contacts per child with the world's therapist on the visit day: status
    delivered, more than 0 minutes, not recorded in error."""
    counts: dict[int, int] = {}
    for child_id in Attendance.objects.filter(
        session__therapist=world["therapist"], session__date=VISIT_DAY, session__status="delivered", minutes__gt=0,
        in_error_at__isnull=True,
    ).values_list("child_id", flat=True):
        counts[child_id] = counts.get(child_id, 0) + 1
    return counts


def ledger(world) -> dict:
    """Each child's position and each of their lines' figures, as the ledger pages count them."""
    children = world["children"][0].__class__.objects.filter(pk__in=[c.pk for c in world["children"]])
    positions = child_positions(children, local_area=world["area"], today=TODAY, discipline="salt")
    figures = {}
    for child in world["children"]:
        _, lines = child_ledgers(child, today=TODAY)
        figures[child.pk] = sorted((pk, line.delivered, line.delivered_minutes, line.owed, line.state) for pk, line in lines.items())
    return {"positions": {pk: (p["state"], p["owed"], p["owed_hours"]) for pk, p in positions.items()}, "lines": figures}


def record_url(live_server, world) -> str:
    return f"{live_server.url}/therapy/visits/settings/{world['setting'].pk}/record/?date={VISIT_DAY.isoformat()}"


@pytest.fixture
def world(school_world):
    # The area's records start in September, so the children are owed sessions and the
    # visit moves their ledgers.
    LedgerSettings.objects.create(local_area=school_world["area"], records_from=dt.date(2026, 9, 1))
    user = school_world["users"]["therapist"]
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return school_world


def test_a_visit_saved_again_from_a_second_tab_the_back_button_and_the_week_is_delivered_once(page, live_server, world):
    children = world["children"]
    booked = children[:3]  # the group of two and the one-to-one booked that day
    extra = children[3]  # on the caseload, not booked: the first form records them one-to-one
    late = children[4]  # the stale tab tries to add this child too
    before = ledger(world)
    assert delivered_once(world) == {}

    sign_in(page, live_server, "t-salt")
    page.goto(record_url(live_server, world))
    heading = f"Record visit to {world['setting'].name}"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()

    # A second tab opened before the first save: its form (and token) are now stale.
    second = page.context.new_page()
    second.set_default_timeout(15000)
    second.goto(record_url(live_server, world))
    expect(second.get_by_role("heading", name=heading)).to_be_visible()

    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.post_data or "") if r.method == "POST" and "/record/" in r.url else None)

    # First tab: the booked children as booked, one more child one-to-one, the group's length.
    page.locator(f"#child-{extra.public_id}-outcome-1").check()  # the first outcome is one-to-one
    expect(page.locator(f"#child-{extra.public_id}-outcome-1")).to_have_value("one_to_one")
    page.locator(f"#child-{extra.public_id}-minutes").fill("20")
    page.get_by_label("Group session length, in minutes").fill("30")
    page.get_by_label("Short outcome note").fill("Listening and attention targets.")
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text(f"Visit to {world['setting'].name} recorded")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(f"^Visit to {world['setting'].name}"))).to_be_visible()

    recorded = {c.pk: 1 for c in [*booked, extra]}
    assert delivered_once(world) == recorded
    assert VisitRecord.objects.count() == 1
    visit = VisitRecord.objects.get()
    after_first = ledger(world)
    assert after_first != before, "the first save should move the ledger, or this test could not see a second one"
    sessions, attendances = Session.objects.count(), Attendance.objects.count()

    def nothing_changed():
        assert delivered_once(world) == recorded
        assert ledger(world) == after_first
        assert VisitRecord.objects.count() == 1
        assert (Session.objects.count(), Attendance.objects.count()) == (sessions, attendances)

    # The stale second tab, with one more child ticked, is saved after the first.
    second.locator(f"#child-{late.public_id}-outcome-1").check()
    second.locator(f"#child-{late.public_id}-minutes").fill("15")
    second.get_by_label("Group session length, in minutes").fill("30")
    second.get_by_role("button", name="Save visit").click()
    expect(second).to_have_url(re.compile(f"/therapy/visits/{visit.public_id}/$"))
    banner = second.get_by_role("region", name="Important")
    expect(banner).to_contain_text("This visit was already recorded by")
    expect(banner).to_contain_text(world["users"]["therapist"].display_name)
    expect(banner).to_contain_text("Nothing was changed")
    # It shows what was recorded: the first form's four children, not the stale form's fifth.
    expect(second.locator("table tbody tr")).to_have_count(4)
    expect(second.get_by_role("cell", name=extra.full_name, exact=True)).to_be_visible()
    assert axe_violations(second) == []
    if SCREENSHOT:
        second.screenshot(path=SCREENSHOT, full_page=True)
    nothing_changed()
    assert not Attendance.objects.filter(child=late, session__date=VISIT_DAY).exclude(session__status="planned").exists()

    # Back in the first tab: the back button opens the recorded visit, never the bookings...
    page.go_back()
    expect(page.get_by_role("heading", name=re.compile(f"^Visit to {world['setting'].name}"))).to_be_visible()
    expect(page.get_by_role("button", name="Save visit")).to_have_count(0)
    nothing_changed()
    # ...and the first form sent again as it was (what "resubmit" does) records nothing more.
    assert len(posts) == 1
    page.evaluate(
        """fields => {
            const form = document.createElement("form");
            form.method = "post";
            form.action = location.origin + "/therapy/visits/settings/" + fields.setting + "/record/";
            for (const [name, value] of fields.pairs) {
                const input = document.createElement("input");
                input.type = "hidden"; input.name = name; input.value = value;
                form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
        }""",
        {"setting": world["setting"].pk, "pairs": parse_qsl(posts[0], keep_blank_values=True)},
    )
    expect(page).to_have_url(re.compile(f"/therapy/visits/{visit.public_id}/$"))
    expect(page.get_by_role("heading", name=re.compile(f"^Visit to {world['setting'].name}"))).to_be_visible()
    assert len(posts) == 2
    nothing_changed()

    # Reopening the day from "My week" offers the recorded visit, not the booking form.
    page.goto(f"{live_server.url}/therapy/my-week/?week={VISIT_DAY.isoformat()}")
    day = f"to {world['setting'].name} on {VISIT_DAY:%-d %B}"
    expect(page.get_by_role("link", name=f"Record visit {day}")).to_have_count(0)
    page.get_by_role("link", name=f"View recorded visit {day}").click()
    expect(page).to_have_url(re.compile(f"/therapy/visits/{visit.public_id}/$"))
    expect(page.get_by_role("button", name="Save visit")).to_have_count(0)
    assert axe_violations(page) == []
    # The form's own address for that day opens the recorded visit too.
    page.goto(record_url(live_server, world))
    expect(page).to_have_url(re.compile(f"/therapy/visits/{visit.public_id}/$"))
    expect(page.get_by_text("here is what was recorded")).to_be_visible()
    expect(page.get_by_role("button", name="Save visit")).to_have_count(0)
    nothing_changed()
    second.close()
