"""The record cannot be made untrue by ordinary use: a visit saved again from a stale form, a
mistake marked "recorded in error", corrections that keep what they replaced, and bookings that
are physically possible (issue 17)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from fulfil.delivery.models import Attendance, Session, SessionRevision, VisitRecord
from fulfil.delivery.tests.conftest import VISIT_DAY
from fulfil.delivery.tests.test_visit_recording import record, visit_post
from fulfil.factories import AttendanceFactory, EducationSettingFactory, SessionFactory
from fulfil.ledger.models import LedgerSettings
from fulfil.ledger.selectors import child_positions

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)  # the pinned clock (conftest)


def delivered(world) -> dict[int, int]:
    """Delivered contacts per child with the world's therapist on the visit day."""
    rows = Attendance.objects.filter(session__therapist=world["therapist"], session__date=VISIT_DAY, session__status="delivered",
                                     minutes__gt=0, in_error_at__isnull=True).values_list("child_id", flat=True)
    counts: dict[int, int] = {}
    for child_id in rows:
        counts[child_id] = counts.get(child_id, 0) + 1
    return counts


def owed(world) -> dict[int, float]:
    children = world["children"][0].__class__.objects.filter(pk__in=[c.pk for c in world["children"]])
    positions = child_positions(children, local_area=world["area"], today=TODAY, discipline="salt")
    return {pk: p.get("owed", 0) for pk, p in positions.items()}


@pytest.fixture
def recorded(client, school_world):
    LedgerSettings.objects.create(local_area=school_world["area"], records_from=dt.date(2026, 9, 1))
    assert record(client, school_world, visit_post(school_world)).status_code == 302
    return school_world


def test_a_stale_form_for_a_recorded_visit_says_who_recorded_it_and_changes_nothing(client, recorded):
    before, ledger_before = delivered(recorded), owed(recorded)
    assert set(before.values()) == {1}
    # A second tab opened before the first save: a new token, the same visit.
    response = record(client, recorded, visit_post(recorded))
    visit = VisitRecord.objects.get()
    assert response.status_code == 302 and response.url == reverse("delivery:visit-detail", args=[visit.public_id])
    page = client.get(response.url).content.decode()
    assert "already recorded by" in page and "Nothing was changed" in page
    assert delivered(recorded) == before and owed(recorded) == ledger_before
    assert VisitRecord.objects.count() == 1


def test_a_visit_saved_again_with_other_times_is_still_refused(client, recorded):
    before = delivered(recorded)
    record(client, recorded, visit_post(recorded, starts_at="13:00", ends_at="14:30"))
    assert delivered(recorded) == before and VisitRecord.objects.count() == 1


def test_opening_the_form_of_a_recorded_visit_shows_the_record_not_the_bookings(client, recorded):
    url = reverse("delivery:visit-record", args=[recorded["setting"].pk]) + f"?date={VISIT_DAY.isoformat()}"
    response = client.get(url)
    assert response.status_code == 302 and "/visits/" in response.url
    week = client.get(reverse("delivery:my-week") + f"?week={VISIT_DAY.isoformat()}").content.decode()
    assert "View recorded visit" in week and "Record visit<" not in week


def test_the_database_refuses_a_second_delivered_contact_for_the_same_child_time_and_place(recorded):
    first = Attendance.objects.filter(delivered_slot__isnull=False).select_related("session").first()
    copy = SessionFactory(therapist=first.session.therapist, setting=first.session.setting, date=first.session.date,
                          starts_at=first.session.starts_at, minutes=30, status="delivered")
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(session=copy, child=first.child, provision_item=first.provision_item, minutes=30,
                                  delivered_slot=first.delivered_slot)


def test_recorded_in_error_is_kept_struck_through_and_never_counted(client, recorded):
    child = recorded["children"][2]  # seen one-to-one
    attendance = Attendance.objects.get(child=child, session__date=VISIT_DAY)
    ledger_before = owed(recorded)
    url = reverse("delivery:session-in-error", args=[attendance.session_id])
    refused = client.post(url, {"children": [str(child.pk)], "reason": ""})
    assert refused.status_code == 400 and "Say why" in refused.content.decode()
    assert client.post(url, {"children": [str(child.pk)], "reason": "Recorded twice"}).status_code == 302
    attendance.refresh_from_db()
    assert attendance.is_in_error and attendance.in_error_reason == "Recorded twice" and attendance.delivered_slot is None
    assert owed(recorded)[child.pk] == ledger_before[child.pk] + 1  # no longer counted as delivered
    # Kept, and shown struck through on the session and the child's record.
    assert Attendance.objects.filter(pk=attendance.pk).exists()
    session_page = client.get(reverse("delivery:session-detail", args=[attendance.session_id])).content.decode()
    assert "Recorded in error" in session_page and f"<del>{child.full_name}</del>" in session_page.replace("&#x27;", "'")
    revision = SessionRevision.objects.get(session_id=attendance.session_id)
    assert revision.before["attendances"][str(child.pk)]["in_error"] is None
    assert revision.after["attendances"][str(child.pk)]["in_error"] == "Recorded twice"
    # Marking again changes nothing more.
    client.post(url, {"children": [str(child.pk)], "reason": "Recorded twice"})
    assert SessionRevision.objects.filter(session_id=attendance.session_id).count() == 1


def test_the_right_child_can_be_added_to_a_recorded_visit(client, recorded):
    child = recorded["children"][3]
    attendance = Attendance.objects.get(child=child, session__date=VISIT_DAY)
    client.post(reverse("delivery:session-in-error", args=[attendance.session_id]), {"children": [str(child.pk)], "reason": "Wrong day"})
    visit = VisitRecord.objects.get()
    form = client.get(reverse("delivery:visit-record", args=[recorded["setting"].pk]) + f"?date={VISIT_DAY.isoformat()}&add=1")
    assert form.status_code == 200 and "Add children to the visit" in form.content.decode()
    data = visit_post(recorded, add_to=str(visit.public_id))
    prefix = f"child-{child.public_id}"
    only = {k: v for k, v in data.items() if not k.startswith("child-") or k.startswith(prefix)}
    only["children"] = [str(child.public_id)]
    assert client.post(reverse("delivery:visit-record", args=[recorded["setting"].pk]), only).status_code == 302
    assert delivered(recorded)[child.pk] == 1 and VisitRecord.objects.count() == 1
    # The same add form sent again records nothing more.
    again = client.post(reverse("delivery:visit-record", args=[recorded["setting"].pk]), only)
    assert again.status_code == 400 and delivered(recorded)[child.pk] == 1


def test_a_correction_keeps_every_field_it_changed(client, recorded):
    child = recorded["children"][3]
    attendance = Attendance.objects.get(child=child, session__date=VISIT_DAY)
    url = reverse("delivery:session-correct", args=[attendance.session_id])
    client.post(url, {"summary": "Better note", "reason": "", f"minutes-{child.pk}": "15"})
    revision = SessionRevision.objects.get(session_id=attendance.session_id)
    assert revision.before["attendances"][str(child.pk)]["minutes"] == 20
    assert revision.after["attendances"][str(child.pk)]["minutes"] == 15
    assert revision.before["summary"] != revision.after["summary"] == "Better note"
    page = client.get(reverse("delivery:session-detail", args=[attendance.session_id])).content.decode()
    assert "minutes: 20 to 15" in page
    # The same correction saved twice keeps one revision.
    client.post(url, {"summary": "Better note", "reason": "", f"minutes-{child.pk}": "15"})
    assert SessionRevision.objects.filter(session_id=attendance.session_id).count() == 1


def login(client, world):
    client.force_login(world["users"]["therapist"])


def test_a_make_up_booking_cannot_start_in_the_past(client, school_world):
    login(client, school_world)
    item = school_world["items"][3]
    response = client.post(reverse("delivery:book", args=[item.pk]), {"first_date": "2020-01-07", "starts_at": "10:00", "minutes": "30",
                                                                       "make_up": "on"})
    assert response.status_code == 400 and "must be today or later" in response.content.decode()
    assert not Session.objects.filter(date__year=2020).exists()


def test_a_reschedule_refuses_the_past_and_far_years(client, school_world):
    login(client, school_world)
    solo = school_world["planned"][1]
    solo.date = dt.date(2026, 11, 30)
    solo.save()
    url = reverse("delivery:session-reschedule", args=[solo.pk])
    for day in ("2020-01-07", "2031-01-07"):
        assert client.post(url, {"date": day, "starts_at": "10:00"}).status_code == 400
    solo.refresh_from_db()
    assert solo.date == dt.date(2026, 11, 30)


def test_a_booking_never_puts_the_therapist_in_two_places_at_once(client, school_world):
    """A session already at another school at 10:00 on Tuesday 1 December: a weekly series at
    10:15 skips that day (and the journey), and says why; other weeks are booked."""
    login(client, school_world)
    other = EducationSettingFactory(local_area=school_world["area"], name="Oakfield Secondary")
    busy = SessionFactory(therapist=school_world["therapist"], setting=other, date=dt.date(2026, 12, 1), starts_at=dt.time(10, 0),
                          minutes=45, status="planned")
    AttendanceFactory(session=busy, child=school_world["children"][5], provision_item=school_world["items"][5], minutes=45)
    item = school_world["items"][3]
    response = client.post(reverse("delivery:book", args=[item.pk]), {"first_date": "2026-12-01", "starts_at": "10:15", "minutes": "30",
                                                                       "repeat_until": "2026-12-15"}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Not booked on 1 December 2026" in text and "already has a session 10:00 at Oakfield Secondary" in text
    days = set(Session.objects.filter(attendances__provision_item=item).values_list("date", flat=True))
    assert days == {dt.date(2026, 12, 8), dt.date(2026, 12, 15)}
    # The same series again books nothing: every week now has this line's session.
    again = client.post(reverse("delivery:book", args=[item.pk]), {"first_date": "2026-12-01", "starts_at": "10:15", "minutes": "30",
                                                                    "repeat_until": "2026-12-15"})
    assert again.status_code == 400
    assert Session.objects.filter(attendances__provision_item=item).count() == 2
