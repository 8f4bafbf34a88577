"""Recording a school visit in one submit: what is saved, what is refused, and that a
retried submit records nothing twice."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from fulfil.accounts.models import AccessRecord
from fulfil.delivery.models import Attendance, ClinicalNote, Session, VisitRecord
from fulfil.delivery.tests.conftest import VISIT_DAY
from fulfil.factories import ChildFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


def visit_post(world, token=None, **overrides):
    """The form as a therapist fills it in: the group of two, the one-to-one, one more child
    seen one-to-one, one absent, one not part of this visit, and one they ran out of time for."""
    children = world["children"]
    data = {
        "token": str(token or uuid.uuid4()), "date": VISIT_DAY.isoformat(), "starts_at": "09:15", "ends_at": "12:00",
        "kind": "direct", "group_minutes": "30", "summary": "Worked on attention and listening targets.",
        "children": [str(c.public_id) for c in children],
    }
    outcomes = [("group", "30", ""), ("group", "25", ""), ("one_to_one", "30", ""), ("one_to_one", "20", ""),
                ("not_seen", "", "absent"), ("not_seen", "", "out_of_time")]
    for child, item, (outcome, minutes, reason) in zip(children, world["items"], outcomes, strict=True):
        prefix = f"child-{child.public_id}"
        data.update({f"{prefix}-outcome": outcome, f"{prefix}-minutes": minutes, f"{prefix}-reason": reason,
                     f"{prefix}-item": str(item.pk), f"{prefix}-note": ""})
    data[f"child-{children[0].public_id}-note"] = "Began to use the visual timetable without prompting."
    data.update(overrides)
    return data


def record(client, world, data):
    client.force_login(world["users"]["therapist"])
    return client.post(reverse("delivery:visit-record", args=[world["setting"].pk]), data)


def test_it_records_six_children_in_one_submit_and_the_booked_sessions_become_the_record(client, school_world):
    response = record(client, school_world, visit_post(school_world))
    assert response.status_code == 302
    visit = VisitRecord.objects.get()
    sessions = {s.pk: s for s in Session.objects.filter(visit=visit)}
    # The planned group and one-to-one were turned into the record, not left beside it.
    group, solo = school_world["planned"]
    assert sessions[group.pk].status == "delivered" and sessions[group.pk].kind == "group"
    assert sessions[solo.pk].status == "delivered"
    assert not Session.objects.filter(therapist=school_world["therapist"], status="planned").exists()
    by_child = {a.child_id: a for a in Attendance.objects.filter(session__visit=visit).select_related("session")}
    c = school_world["children"]
    assert by_child[c[0].pk].session_id == by_child[c[1].pk].session_id == group.pk
    assert by_child[c[1].pk].minutes == 25
    assert by_child[c[3].pk].session.status == "delivered" and by_child[c[3].pk].minutes == 20
    assert by_child[c[4].pk].session.status == "dna" and by_child[c[4].pk].minutes == 0
    assert by_child[c[5].pk].session.status == "cancelled_provider"
    assert ClinicalNote.objects.get().attendance.child_id == c[0].pk



def test_a_visit_dated_in_the_day_month_and_year_boxes_is_that_days_visit(client, school_world):
    """The date typed in the boxes decides the visit: its booked sessions become the record,
    and a page shown again with an error lists that day's bookings, not today's."""
    boxes = {"date_day": str(VISIT_DAY.day), "date_month": str(VISIT_DAY.month), "date_year": str(VISIT_DAY.year)}
    assert VISIT_DAY != dt.date.today()
    wrong = visit_post(school_world, ends_at="09:00") | boxes
    del wrong["date"]
    response = record(client, school_world, wrong)
    assert response.status_code == 400
    assert response.context["date"] == VISIT_DAY
    assert sum(1 for row in response.context["rows"] if row["session"]) >= 2
    assert not VisitRecord.objects.exists()

    data = visit_post(school_world) | boxes
    del data["date"]
    assert record(client, school_world, data).status_code == 302
    visit = VisitRecord.objects.get()
    assert visit.date == VISIT_DAY
    group, solo = school_world["planned"]
    assert {group.pk, solo.pk} <= set(Session.objects.filter(visit=visit, status="delivered").values_list("pk", flat=True))


def test_the_same_form_submitted_twice_records_the_visit_once(client, school_world):
    data = visit_post(school_world)
    first = record(client, school_world, data)
    counts = (VisitRecord.objects.count(), Session.objects.count(), Attendance.objects.count(), ClinicalNote.objects.count())
    second = record(client, school_world, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert (VisitRecord.objects.count(), Session.objects.count(), Attendance.objects.count(), ClinicalNote.objects.count()) == counts


def test_a_child_not_on_the_caseload_is_refused_and_nothing_is_saved(client, school_world, area):
    stranger = EnrolmentFactory(child__local_area=area, child__current_setting=school_world["setting"],
                                setting=school_world["setting"]).child
    # A SENCO-visible pupil at the same school but on nobody's caseload.
    data = visit_post(school_world)
    data["children"].append(str(stranger.public_id))
    data[f"child-{stranger.public_id}-outcome"] = "one_to_one"
    data[f"child-{stranger.public_id}-minutes"] = "30"
    before = Session.objects.count()
    response = record(client, school_world, data)
    assert response.status_code == 400
    assert "not on your caseload" in response.content.decode()
    assert Session.objects.count() == before and not VisitRecord.objects.exists()


@pytest.mark.parametrize(("overrides", "message"), [
    ({"starts_at": "07:30"}, "open 08:45 to 15:15"),
    ({"ends_at": "09:00"}, "must be after the time you arrived"),
    ({"group_minutes": "200"}, "cannot be longer than the visit"),
    ({"group_minutes": ""}, "Enter how long the group session lasted"),
])
def test_bad_visit_details_get_an_error_summary_and_save_nothing(client, school_world, overrides, message):
    response = record(client, school_world, visit_post(school_world, **overrides))
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body and message in body
    assert not VisitRecord.objects.exists()
    assert Session.objects.filter(status="planned").count() == 2


@pytest.mark.parametrize(("minutes", "message"), [("0", "more than 0"), ("", "more than 0"), ("45", "more than the group session")])
def test_bad_minutes_name_the_child_to_fix(client, school_world, minutes, message):
    child = school_world["children"][1]
    data = visit_post(school_world, **{f"child-{child.public_id}-minutes": minutes})
    response = record(client, school_world, data)
    body = response.content.decode()
    assert response.status_code == 400
    assert child.full_name in body and message in body
    assert f'href="#child-{child.public_id}"' in body
    assert not VisitRecord.objects.exists()


def test_one_to_one_minutes_longer_than_the_visit_are_refused(client, school_world):
    child = school_world["children"][3]
    data = visit_post(school_world, ends_at="09:45", **{f"child-{child.public_id}-minutes": "40"})
    response = record(client, school_world, data)
    assert response.status_code == 400
    assert "more than the visit (30 minutes)" in response.content.decode()


def test_a_not_seen_child_needs_a_reason(client, school_world):
    child = school_world["children"][4]
    response = record(client, school_world, visit_post(school_world, **{f"child-{child.public_id}-reason": ""}))
    assert response.status_code == 400
    assert f"Choose why {child.full_name} was not seen" in response.content.decode()


def test_a_visit_in_the_future_is_refused(client, school_world):
    future = dt.date.today() + dt.timedelta(days=7)
    response = record(client, school_world, visit_post(school_world, date=future.isoformat()))
    assert response.status_code == 400
    assert "today or in the past" in response.content.decode()


def test_the_form_lists_booked_children_first_and_is_audited(client, school_world):
    client.force_login(school_world["users"]["therapist"])
    url = reverse("delivery:visit-record", args=[school_world["setting"].pk])
    response = client.get(url, {"date": VISIT_DAY.isoformat()})
    body = response.content.decode()
    names = [c.full_name for c in school_world["children"]]
    assert response.status_code == 200
    assert all(name in body for name in names)
    assert body.index(names[2]) < body.index(names[5])  # booked before merely on the caseload
    assert AccessRecord.objects.filter(action="record-visit-form").count() == 6


def test_clinical_notes_are_shown_only_to_therapists_in_the_service(client, school_world):
    record(client, school_world, visit_post(school_world))
    visit = VisitRecord.objects.get()
    note = "Began to use the visual timetable"
    group = school_world["planned"][0]
    client.force_login(school_world["users"]["therapist"])
    assert note in client.get(reverse("delivery:visit-detail", args=[visit.public_id])).content.decode()
    for role in ("senco", "manager"):
        client.force_login(school_world["users"][role])
        response = client.get(reverse("delivery:session-detail", args=[group.pk]))
        assert response.status_code == 200
        body = response.content.decode()
        assert note not in body
        assert "Worked on attention and listening targets." in body  # the shareable summary is there
    for role in ("parent", "commissioner"):
        client.force_login(school_world["users"][role])
        assert client.get(reverse("delivery:session-detail", args=[group.pk])).status_code == 404


def test_another_service_therapist_cannot_read_the_note(client, school_world, area):
    from fulfil.factories import TherapistFactory, UserFactory

    record(client, school_world, visit_post(school_world))
    ot = TherapistFactory(local_area=area, provider=school_world["provider"], discipline="ot")
    client.force_login(UserFactory(role="therapist", local_area=area, therapist=ot))
    response = client.get(reverse("delivery:session-detail", args=[school_world["planned"][0].pk]))
    assert response.status_code == 404


def test_a_child_from_another_area_is_unknown(client, school_world, other_area):
    outsider = ChildFactory(local_area=other_area)
    data = visit_post(school_world)
    data["children"].append(str(outsider.public_id))
    data[f"child-{outsider.public_id}-outcome"] = "one_to_one"
    response = record(client, school_world, data)
    assert response.status_code == 400
    assert not VisitRecord.objects.exists()
