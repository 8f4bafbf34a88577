"""The therapist's week, cancelling a visit, booking series and make-ups, moving, correcting
and amending; the setting's page and tick-sheet; the manager's activity page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fulfil.delivery.models import ProgrammeTick, Session, SessionRevision
from fulfil.delivery.tests.conftest import VISIT_DAY
from fulfil.factories import AttendanceFactory, SessionFactory

pytestmark = pytest.mark.django_db


def login(client, world, role):
    client.force_login(world["users"][role])


def test_my_week_shows_the_visit_by_day_and_setting(client, school_world):
    from fulfil.ledger.models import LedgerSettings

    LedgerSettings.objects.create(local_area=school_world["area"], records_from=dt.date(2026, 9, 1))
    login(client, school_world, "therapist")
    response = client.get(reverse("delivery:my-week"), {"week": VISIT_DAY.isoformat()})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tuesday 24 November" in body and "Brookfield Primary" in body
    assert school_world["children"][0].full_name in body and "Record visit" in body and "Cancel visit" in body
    # Nothing has been delivered since the first booking, so weekly provision is owed.
    assert "Book make-up" in body and reverse("delivery:book", args=[school_world["items"][0].pk]) in body


def test_cancelling_a_whole_visit_takes_one_confirmation_and_is_owed(client, school_world):
    login(client, school_world, "therapist")
    url = reverse("delivery:visit-cancel", args=[school_world["setting"].pk])
    page = client.get(url, {"date": VISIT_DAY.isoformat()})
    assert "I am unwell or absent" in page.content.decode()
    response = client.post(url, {"date": VISIT_DAY.isoformat(), "reason": "therapist_unwell"})
    assert response.status_code == 302
    statuses = set(Session.objects.filter(date=VISIT_DAY).values_list("status", "cancellation_reason"))
    assert statuses == {("cancelled_provider", "Therapist unwell or absent")}
    # A second press finds nothing left to cancel and changes nothing.
    client.post(url, {"date": VISIT_DAY.isoformat(), "reason": "setting_cancelled"})
    assert set(Session.objects.filter(date=VISIT_DAY).values_list("status", flat=True)) == {"cancelled_provider"}


def test_a_weekly_series_skips_the_holidays_in_the_calendar(client, school_world):
    login(client, school_world, "therapist")
    item = school_world["items"][3]
    # Tuesdays from 1 December 2026 to 12 January 2027: the Christmas holiday falls between.
    response = client.post(reverse("delivery:book", args=[item.pk]), {
        "first_date": "2026-12-01", "starts_at": "10:00", "minutes": "30", "repeat_until": "2027-01-12",
    })
    assert response.status_code == 302
    dates = sorted(Session.objects.filter(attendances__child=item.child, status="planned").values_list("date", flat=True))
    assert dt.date(2026, 12, 1) in dates and dt.date(2027, 1, 12) in dates
    assert dt.date(2026, 12, 22) not in dates and dt.date(2026, 12, 29) not in dates
    assert len(dates) == 5  # 1, 8, 15 December; 5, 12 January


def test_booking_outside_the_school_day_is_refused(client, school_world):
    login(client, school_world, "therapist")
    item = school_world["items"][3]
    response = client.post(reverse("delivery:book", args=[item.pk]), {"first_date": "2026-12-01", "starts_at": "17:00", "minutes": "30"})
    assert response.status_code == 400
    assert "choose a time in the school day" in response.content.decode()
    assert not Session.objects.filter(attendances__child=item.child, status="planned").exists()


def test_a_make_up_booking_is_marked_as_a_make_up(client, school_world):
    login(client, school_world, "therapist")
    item = school_world["items"][4]
    client.post(reverse("delivery:book", args=[item.pk]), {"first_date": "2026-12-02", "starts_at": "11:00", "minutes": "30", "make_up": "on"})
    assert Session.objects.get(attendances__child=item.child, status="planned").is_make_up


def test_moving_a_planned_session_to_a_holiday_is_refused(client, school_world):
    login(client, school_world, "therapist")
    solo = school_world["planned"][1]
    url = reverse("delivery:session-reschedule", args=[solo.pk])
    response = client.post(url, {"date": "2026-12-25", "starts_at": "10:00"})
    assert response.status_code == 400 and "not a teaching day" in response.content.decode()
    assert client.post(url, {"date": "2026-11-26", "starts_at": "13:00"}).status_code == 302
    solo.refresh_from_db()
    assert (solo.date, solo.starts_at) == (dt.date(2026, 11, 26), dt.time(13, 0))


def _delivered(world, recorded_hours_ago):
    session = SessionFactory(therapist=world["therapist"], setting=world["setting"], date=VISIT_DAY, status="delivered",
                             summary="First version", recorded_at=timezone.now() - dt.timedelta(hours=recorded_hours_ago))
    AttendanceFactory(session=session, child=world["children"][3], provision_item=world["items"][3], minutes=30)
    return session


def test_a_correction_within_24_hours_needs_no_reason_and_keeps_the_old_version(client, school_world):
    session = _delivered(school_world, recorded_hours_ago=2)
    login(client, school_world, "therapist")
    child = school_world["children"][3]
    response = client.post(reverse("delivery:session-correct", args=[session.pk]), {"summary": "Corrected", f"minutes-{child.pk}": "20"})
    assert response.status_code == 302
    revision = SessionRevision.objects.get()
    assert not revision.is_amendment
    assert revision.before["summary"] == "First version" and revision.after["attendances"][str(child.pk)]["minutes"] == 20


def test_after_24_hours_a_change_is_an_amendment_that_needs_a_reason(client, school_world):
    session = _delivered(school_world, recorded_hours_ago=30)
    login(client, school_world, "therapist")
    child = school_world["children"][3]
    url = reverse("delivery:session-correct", args=[session.pk])
    refused = client.post(url, {"summary": "Changed", f"minutes-{child.pk}": "20"})
    assert refused.status_code == 400 and "give a reason" in refused.content.decode()
    session.refresh_from_db()
    assert session.summary == "First version" and not SessionRevision.objects.exists()
    client.post(url, {"summary": "Changed", f"minutes-{child.pk}": "20", "reason": "Wrong child's minutes entered"})
    revision = SessionRevision.objects.get()
    assert revision.is_amendment and revision.reason == "Wrong child's minutes entered"
    detail = client.get(reverse("delivery:session-detail", args=[session.pk])).content.decode()
    assert "Amendment" in detail and "First version" in detail


def test_the_setting_sees_this_weeks_visits_and_what_pupils_are_due(client, school_world):
    login(client, school_world, "senco")
    with_week = school_world["planned"][0]
    with_week.date = timezone.localdate()
    with_week.save()
    response = client.get(reverse("delivery:setting-therapy", args=[school_world["setting"].pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert school_world["children"][0].full_name in body
    assert "Weekly" in body or "30" in body
    assert "This term so far" in body


def test_school_staff_tick_off_a_programme_once_per_day(client, school_world):
    child = school_world["children"][0]
    login(client, school_world, "therapist")
    response = client.post(reverse("delivery:programme-create", args=[child.public_id]), {
        "title": "Attention and listening", "instructions": "Play the barrier game for 10 minutes.", "times_per_week": "3",
        "starts_on": "2026-11-02",
    })
    assert response.status_code == 302
    programme_url = response["Location"]
    login(client, school_world, "senco")
    monday = "2026-11-16"
    client.post(programme_url, {"week": monday, "day-2026-11-16": "done", "day-2026-11-18": "done"})
    client.post(programme_url, {"week": monday, "day-2026-11-16": "done", "day-2026-11-18": "done"})
    assert ProgrammeTick.objects.count() == 5  # Monday to Friday, once each
    assert ProgrammeTick.objects.filter(done=True).count() == 2
    page = client.get(programme_url, {"week": monday}).content.decode()
    assert "Done on 2 of 3 days" in page
    # The SENCO sees the programme listed on the setting's page.
    assert "Attention and listening" in client.get(reverse("delivery:setting-therapy", args=[school_world["setting"].pk])).content.decode()


def test_the_manager_sees_missing_paperwork_and_cancellations_by_cause(client, school_world):
    old = timezone.localdate() - dt.timedelta(days=10)
    SessionFactory(therapist=school_world["therapist"], setting=school_world["setting"], date=old, status="planned")
    SessionFactory(therapist=school_world["therapist"], setting=school_world["setting"], date=timezone.localdate() + dt.timedelta(days=1),
                   status="planned")
    login(client, school_world, "manager")
    response = client.get(reverse("delivery:service"))
    body = response.content.decode()
    assert response.status_code == 200
    # The two sessions planned on 24 November count too once 48 hours have passed.
    expected = 1 + (2 if timezone.localdate() >= VISIT_DAY + dt.timedelta(days=3) else 0)
    assert f"still not recorded: {expected}." in body
    assert old.strftime("%-d %b") in body
    assert school_world["therapist"].full_name in body
    assert "Cancelled by provider" in body


def test_the_child_page_offers_the_therapist_booking_for_their_own_discipline(client, school_world):
    login(client, school_world, "therapist")
    child, item = school_world["children"][0], school_world["items"][0]
    body = client.get(reverse("children:detail", args=[child.public_id])).content.decode()
    assert reverse("delivery:book", args=[item.pk]) in body
    login(client, school_world, "senco")
    assert reverse("delivery:book", args=[item.pk]) not in client.get(reverse("children:detail", args=[child.public_id])).content.decode()
