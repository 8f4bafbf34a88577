"""Two gaps in "a contact is recorded once" (issue 17, part 1) found by testing, now closed: a
delivered contact written outside the visit service is refused too, and the "already recorded"
message gives the time in London time."""

import datetime as dt
import re
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from freezegun import freeze_time

from fulfil.accounts.models import User
from fulfil.delivery.models import Attendance, Session
from fulfil.delivery.tests.test_contact_once_postgres import delivered, save_visit
from fulfil.delivery.tests.test_visit_recording import record, visit_post
from fulfil.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("route", ["admin", "orm"])
def test_a_second_delivered_contact_written_outside_the_visit_service_is_refused(client, school_world, route):
    save_visit(school_world, uuid.uuid4())
    first = Attendance.objects.select_related("session").get(child=school_world["children"][2], session__status="delivered")
    s = first.session
    try:
        if route == "admin":
            # Sessions are no longer in Django admin at all, even for a superuser (issue 18).
            client.force_login(User.objects.create_superuser("root", "root@example.org", "a-long-admin-password-1"))
            assert client.get("/admin/delivery/session/add/").status_code == 404
        else:
            # An import writing rows with the ORM, as it would any other model.
            with transaction.atomic():
                copy = SessionFactory(therapist=s.therapist, setting=s.setting, date=s.date, starts_at=s.starts_at, minutes=30,
                                      kind="direct", status="delivered", local_area=s.local_area)
                Attendance.objects.create(session=copy, child=first.child, provision_item=first.provision_item, minutes=30)
    except IntegrityError:
        pass
    assert Session.objects.filter(therapist=s.therapist, date=s.date, status="delivered", attendances__child=first.child).count() == 1
    assert delivered(school_world)[first.child_id] == 1


def test_the_already_recorded_message_gives_the_time_the_visit_page_shows(client, school_world):
    # Recorded at 10:30 on 16 June 2026, London time (09:30 UTC), for the visit the day before.
    with freeze_time(dt.datetime(2026, 6, 16, 9, 30, tzinfo=dt.UTC)):
        assert record(client, school_world, visit_post(school_world, date="2026-06-15")).status_code == 302
        stale = record(client, school_world, visit_post(school_world, date="2026-06-15"))
        page = client.get(stale.url).content.decode()
        reopened = client.get(reverse("delivery:visit-record", args=[school_world["setting"].pk]) + "?date=2026-06-15", follow=True)
    assert re.search(r"Recorded</dt>\s*<dd[^>]*>16 June 2026, 10:30 by", page)
    assert "already recorded by" in page and "on 16 June 2026 at 10:30." in page
    assert "This visit was recorded on 16 June 2026 at 10:30" in reopened.content.decode()
