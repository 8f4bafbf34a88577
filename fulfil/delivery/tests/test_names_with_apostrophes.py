"""Names such as O'Brien: escaped in the page, read back whole, and recorded like any other.
The factories avoid apostrophes so that other tests can search pages for plain names."""

import html

import pytest
from django.urls import reverse

from fulfil.delivery.models import Attendance
from fulfil.delivery.tests.conftest import VISIT_DAY
from fulfil.delivery.tests.test_visit_recording import record, visit_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def obrien(school_world):
    child = school_world["children"][2]
    child.first_name, child.last_name = "Niamh", "O'Brien"
    child.save(update_fields=["first_name", "last_name"])
    return child


def test_the_visit_form_escapes_the_name_and_shows_it_whole(client, school_world, obrien):
    client.force_login(school_world["users"]["therapist"])
    response = client.get(reverse("delivery:visit-record", args=[school_world["setting"].pk]),
                          {"date": VISIT_DAY.isoformat()})
    body = response.content.decode()
    assert "Niamh O&#x27;Brien" in body  # escaped, so the quote cannot end an attribute
    assert "O'Brien" not in body
    assert "Niamh O'Brien" in html.unescape(body)


def test_an_error_naming_the_child_reads_correctly(client, school_world, obrien):
    data = visit_post(school_world, **{f"child-{obrien.public_id}-minutes": "0"})
    body = html.unescape(record(client, school_world, data).content.decode())
    assert "Niamh O'Brien" in body
    assert not Attendance.objects.filter(child=obrien, session__status="delivered").exists()


def test_the_child_is_recorded_like_any_other(client, school_world, obrien):
    assert record(client, school_world, visit_post(school_world)).status_code == 302
    assert Attendance.objects.get(child=obrien, session__status="delivered").minutes == 30
