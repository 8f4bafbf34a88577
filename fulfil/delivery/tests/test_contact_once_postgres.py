"""A contact is recorded once, enforced by the database (issue 17, part 1).

Two forms for the same visit saved at the same moment (two threads, PostgreSQL, each with its
own connection and transaction): one records the visit, the other is told it was already
recorded, and each child is delivered once. And whatever writes the row, the database refuses a
second delivered contact for the same child, therapist, setting, date and start time.
"""

import datetime as dt
import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from fulfil.delivery import services
from fulfil.delivery.models import Attendance, Session, VisitRecord
from fulfil.delivery.tests.conftest import TODAY, VISIT_DAY
from fulfil.factories import SessionFactory

WAIT = 20  # seconds a thread waits for the other before the test gives up


def delivered(world) -> dict[int, int]:
    """Delivered contacts per child with the world's therapist on the visit day."""
    counts: dict[int, int] = {}
    for child_id in Attendance.objects.filter(
        session__therapist=world["therapist"], session__date=VISIT_DAY, session__status="delivered", minutes__gt=0,
        in_error_at__isnull=True,
    ).values_list("child_id", flat=True):
        counts[child_id] = counts.get(child_id, 0) + 1
    return counts


def outcomes(world) -> list[services.ChildOutcome]:
    """The booked group of two, the booked one-to-one, and one more child seen one-to-one."""
    c, items = world["children"], world["items"]
    return [
        services.ChildOutcome(child=c[0], outcome="group", provision_item=items[0], minutes=30),
        services.ChildOutcome(child=c[1], outcome="group", provision_item=items[1], minutes=25),
        services.ChildOutcome(child=c[2], outcome="one_to_one", provision_item=items[2], minutes=30),
        services.ChildOutcome(child=c[3], outcome="one_to_one", provision_item=items[3], minutes=20),
    ]


def save_visit(world, token: uuid.UUID):
    return services.visit_record(
        token=token, therapist=world["therapist"], setting=world["setting"], date=VISIT_DAY, starts_at=dt.time(9, 15),
        ends_at=dt.time(12, 0), kind="direct", summary="Attention and listening.", group_minutes=30, rows=outcomes(world),
        recorded_by=world["users"]["therapist"], today=TODAY.date(), now=TODAY,
    )


def in_two_threads(work) -> list:
    """Run `work(n)` in two threads released together; each ends its own database connection.
    Returns each thread's result or exception."""
    start = threading.Barrier(2, timeout=WAIT)
    results: list = [None, None]

    def run(n):
        try:
            start.wait()
            results[n] = work(n)
        except Exception as exc:
            results[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 3)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck: the two saves deadlocked"
    return results


@pytest.fixture
def both_checked_first(monkeypatch):
    """Hold each thread just after its "is this visit recorded already?" check until the other
    has made it too, so both find nothing and only the database can refuse the second. If the
    product serialises the saves (a lock taken before the check), the wait times out and each
    goes on: the outcome the test asserts is the same."""
    real = services.visit_recorded
    checked = threading.Barrier(2, timeout=5)
    first_call = threading.local()

    def visit_recorded(**kwargs):
        found = real(**kwargs)
        if not getattr(first_call, "done", False):
            first_call.done = True
            try:
                checked.wait()
            except threading.BrokenBarrierError:
                pass
        return found

    monkeypatch.setattr(services, "visit_recorded", visit_recorded)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("forced", [True, False], ids=["both-checked-before-either-saved", "released-together"])
def test_two_forms_for_one_visit_saved_at_once_record_it_once(school_world, request, forced):
    if forced:
        request.getfixturevalue("both_checked_first")
    results = in_two_threads(lambda n: save_visit(school_world, uuid.uuid4()))

    created = [r for r in results if isinstance(r, tuple) and r[1] is True]
    refused = [r for r in results if isinstance(r, services.VisitAlreadyRecorded | ValidationError)]
    assert len(created) == 1 and len(refused) == 1, f"expected one save and one refusal, got {results!r}"
    visit = VisitRecord.objects.get()
    assert created[0][0].pk == visit.pk
    if isinstance(refused[0], services.VisitAlreadyRecorded):
        assert refused[0].visit.pk == visit.pk
        assert "already recorded by" in refused[0].message and "Nothing was changed" in refused[0].message
    assert delivered(school_world) == {c.pk: 1 for c in school_world["children"][:4]}
    assert Session.objects.filter(visit__isnull=False).exclude(visit=visit).count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_form_sent_twice_at_once_records_the_visit_once(school_world, both_checked_first):
    token = uuid.uuid4()
    results = in_two_threads(lambda n: save_visit(school_world, token))

    assert all(isinstance(r, tuple) for r in results), f"both sends should get the visit back, got {results!r}"
    assert sorted(created for _, created in results) == [False, True]
    visit = VisitRecord.objects.get()
    assert {v.pk for v, _ in results} == {visit.pk}
    assert delivered(school_world) == {c.pk: 1 for c in school_world["children"][:4]}
    # Sent a third time, later: the same form gets the same visit back, and nothing more.
    assert save_visit(school_world, token) == (visit, False)
    assert delivered(school_world) == {c.pk: 1 for c in school_world["children"][:4]}


def _second_delivered_session(first: Attendance, starts_at: dt.time | None = None) -> Session:
    """Another delivered session for the same therapist, setting and date (and start time,
    unless given), as a second route (a single session, an import) would write it."""
    return SessionFactory(therapist=first.session.therapist, setting=first.session.setting, date=first.session.date,
                          starts_at=starts_at or first.session.starts_at, minutes=30, kind="direct", status="delivered",
                          local_area=first.session.local_area)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_routes_writing_the_same_delivered_contact_at_once_get_one_refused(school_world):
    """No application check at all: two writers each add the same child's delivered contact in
    their own transaction; the database keeps one."""
    save_visit(school_world, uuid.uuid4())
    first = Attendance.objects.select_related("session").get(child=school_world["children"][3], session__status="delivered")
    # At 14:00, a time nobody has recorded yet: only the two writers compete for it.
    sessions = [_second_delivered_session(first, dt.time(14, 0)), _second_delivered_session(first, dt.time(14, 0))]

    def write(n):
        with transaction.atomic():
            attendance = Attendance(session=sessions[n], child=first.child, provision_item=first.provision_item, minutes=30)
            attendance.delivered_slot = attendance.slot_in(sessions[n])
            attendance.save()
        return attendance

    results = in_two_threads(write)
    assert sorted(type(r).__name__ for r in results) == ["Attendance", "IntegrityError"], results
    assert delivered(school_world)[first.child_id] == 2  # the visit's at 09:15 and one at 14:00


@pytest.mark.django_db
def test_the_database_refuses_a_second_delivered_contact_for_the_same_child_therapist_setting_day_and_start(school_world):
    save_visit(school_world, uuid.uuid4())
    first = Attendance.objects.select_related("session").get(child=school_world["children"][2], session__status="delivered")
    assert first.delivered_slot
    copy = _second_delivered_session(first)
    attendance = Attendance(session=copy, child=first.child, provision_item=first.provision_item, minutes=30)
    # The model's own key for the copy is the same contact's key.
    attendance.delivered_slot = attendance.slot_in(copy)
    assert attendance.delivered_slot == first.delivered_slot
    with pytest.raises(IntegrityError), transaction.atomic():
        attendance.save()
    assert delivered(school_world)[first.child_id] == 1
    # The same child at another start time is another contact, and is allowed.
    later = _second_delivered_session(first, dt.time(14, 0))
    other = Attendance(session=later, child=first.child, provision_item=first.provision_item, minutes=30)
    other.delivered_slot = other.slot_in(later)
    other.save()
    assert delivered(school_world)[first.child_id] == 2


@pytest.mark.django_db
def test_the_database_refuses_a_second_visit_record_for_the_same_therapist_setting_and_day(school_world):
    visit, created = save_visit(school_world, uuid.uuid4())
    assert created
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitRecord.objects.create(token=uuid.uuid4(), local_area=visit.local_area, therapist=visit.therapist, setting=visit.setting,
                                   date=visit.date, starts_at=dt.time(13, 0), ends_at=dt.time(14, 0),
                                   recorded_by=school_world["users"]["therapist"])
    assert VisitRecord.objects.count() == 1
