"""Booking term plans leaves every diary physically possible (issue 17): two plans for the same
term booked one after the other or at once, and one plan booked twice, put no therapist in two
places at once and no child in two sessions of one line on a day; random bookings never
overlap."""

import datetime as dt
import threading
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st

from fulfil.accounts.models import User
from fulfil.delivery.booking import NOT_IN_DIARY
from fulfil.delivery.diary import DiaryEntry, clash, overlaps
from fulfil.delivery.models import Attendance, Session
from fulfil.planning.models import PlannerRun
from fulfil.planning.selectors import journey_minutes_for
from fulfil.planning.services import planner_run_apply, planner_run_create, planner_run_execute

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def demo(transactional_db):
    # Nothing here reads the clock but the pages (the commands and services are given TODAY);
    # the solver is not run under freezegun, whose frozen monotonic clock it cannot work with.
    call_command("generate", "--seed", "5", "--today", TODAY.isoformat(), "--children", "300", verbosity=0)
    from fulfil.core.models import LocalArea

    return LocalArea.objects.get()


def solved_run(area, discipline="salt") -> PlannerRun:
    run = planner_run_create(local_area=area, discipline=discipline, term="2027-spring", time_limit=5, today=TODAY)
    return planner_run_execute(run)


def impossible_bookings(area, since_pk: int) -> list[str]:
    """Every clash that involves a session booked after `since_pk`: a therapist in two places (or
    without the journey between), or a child in two sessions of one line on one day."""
    journey = journey_minutes_for(area)
    diaries: dict[tuple, list[tuple[int, DiaryEntry]]] = defaultdict(list)
    for pk, therapist_id, setting_id, day, starts_at, minutes in Session.objects.filter(local_area=area).exclude(
        status__in=NOT_IN_DIARY
    ).values_list("pk", "therapist_id", "setting_id", "date", "starts_at", "minutes"):
        diaries[(therapist_id, day)].append((pk, DiaryEntry(setting_id, starts_at, minutes, f"session {pk}")))
    problems = []
    for (therapist_id, day), entries in diaries.items():
        new = [(pk, e) for pk, e in entries if pk > since_pk]
        for pk, entry in new:
            others = [e for other_pk, e in entries if other_pk != pk]
            if clash(others, entry, journey_minutes=journey):
                problems.append(f"therapist {therapist_id} on {day}: session {pk} clashes")
    booked_lines = set(Attendance.objects.filter(session__pk__gt=since_pk, in_error_at__isnull=True).exclude(
        session__status__in=NOT_IN_DIARY
    ).values_list("provision_item_id", "session__date"))
    for item_id, day in booked_lines:
        if Attendance.objects.filter(provision_item_id=item_id, session__date=day, in_error_at__isnull=True).exclude(
            session__status__in=NOT_IN_DIARY
        ).count() > 1:
            problems.append(f"line {item_id} twice on {day}")
    return problems


def last_session_pk() -> int:
    return Session.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.django_db(transaction=True)
def test_two_plans_for_one_term_and_one_plan_twice_book_nobody_twice(demo):
    first, second = solved_run(demo), solved_run(demo)
    assert first.status == second.status == "finished"
    since = last_session_pk()
    booking = planner_run_apply(run=first, applied_by=None, today=TODAY, now=NOW)
    assert booking is not None and booking.booked
    assert planner_run_apply(run=first, applied_by=None, today=TODAY, now=NOW) is None  # booked once only
    again = planner_run_apply(run=second, applied_by=None, today=TODAY, now=NOW)
    # The second plan for the same term finds the first one's sessions in the diaries.
    assert len(again.skipped) > 0
    assert impossible_bookings(demo, since) == []
    first.refresh_from_db()
    report = first.booking_report
    assert report["booked_sessions"] == first.applied_sessions == len(booking.booked)
    assert report["booked_contacts"] + report["skipped_contacts"] == sum(len(s.need_ids) * len(s.weeks)
                                                                       for v in first.plan["timetable"] for s in _sessions(v))


def _sessions(visit: dict):
    from types import SimpleNamespace

    return [SimpleNamespace(**s) for s in visit["sessions"]]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_plans_booked_at_the_same_moment_wait_for_each_other(demo):
    runs = [solved_run(demo), solved_run(demo)]
    since = last_session_pk()
    barrier, results, errors = threading.Barrier(3), [], []

    def book(run):
        try:
            barrier.wait()
            results.append(planner_run_apply(run=run, applied_by=None, today=TODAY, now=NOW))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(run,)) for run in (runs[0], runs[1], runs[0])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(1 for r in results if r is None) == 1  # the first plan, sent twice, was booked once
    assert impossible_bookings(demo, since) == []


def test_the_manager_sees_what_booking_will_do_before_anything_is_booked(client, demo):
    run = solved_run(demo)
    with freeze_time(NOW, tick=True):
        _preview_then_book(client, run)


def _preview_then_book(client, run):
    client.force_login(User.objects.get(username="manager"))
    before = Session.objects.count()
    preview = client.get(reverse("planning:run-apply", args=[run.pk]))
    text = preview.content.decode()
    assert preview.status_code == 200 and "Check before you book" in text and "Will be skipped" in text
    assert Session.objects.count() == before
    response = client.post(reverse("planning:run-apply", args=[run.pk]), follow=True)
    page = response.content.decode()
    run.refresh_from_db()
    assert run.applied_sessions > 0 and f"{run.applied_sessions:,} sessions booked" in page
    assert "Why sessions are skipped" in page or run.booking_report["skipped_sessions"] == 0
    # Opening the booking page again says it was booked and books nothing.
    again = client.get(reverse("planning:run-apply", args=[run.pk]))
    assert again.status_code == 302 and Session.objects.count() == before + run.applied_sessions


entries = st.builds(
    DiaryEntry,
    setting_id=st.sampled_from([1, 2, 3]),
    starts_at=st.builds(dt.time, hour=st.integers(8, 15), minute=st.sampled_from([0, 15, 30, 45])),
    minutes=st.sampled_from([20, 30, 45, 60]),
)


@settings(max_examples=200)
@given(st.lists(entries, max_size=25), st.sampled_from([0, 10, 20]))
def test_a_diary_filled_only_through_clash_never_overlaps(requests, journey):
    """Whatever order bookings arrive in, a diary that takes only what `clash` allows has no two
    sessions that could not both happen, journeys included."""
    diary: list[DiaryEntry] = []
    for entry in requests:
        if clash(diary, entry, journey_minutes=journey) is None:
            diary.append(entry)
    assert overlaps(diary, journey_minutes=journey) == []
    # And anything refused really did clash with something in the diary.
    for entry in requests:
        if entry not in diary:
            assert clash(diary, entry, journey_minutes=journey) is not None


@pytest.mark.django_db(transaction=True)
def test_a_term_in_progress_is_planned_from_today_so_nothing_falls_on_a_day_that_has_passed(demo):
    """Planned on Wednesday 25 November 2026 for the autumn term it is in: the plan's weeks start
    with today's, with the days before today taken out, so booking it skips nothing as past."""
    run = planner_run_create(local_area=demo, discipline="salt", term="2026-autumn", time_limit=5, today=TODAY)
    weeks = run.instance["weeks"]
    first = weeks[0]
    assert dt.date.fromisoformat(first["starts_on"]) == dt.date(2026, 11, 23)
    assert all(dt.date(2026, 11, 23) + dt.timedelta(days=d) >= TODAY for d in first["open_weekdays"])
    run = planner_run_execute(run)
    booking = planner_run_apply(run=run, applied_by=None, today=TODAY, now=NOW)
    assert booking.booked
    assert not any("has passed" in reason for _, reason in booking.skipped)


@pytest.mark.django_db(transaction=True)
def test_a_manager_books_only_their_own_services_diaries(demo):
    from fulfil.workforce.models import Therapist

    run = solved_run(demo, discipline="ot")
    manager = User.objects.get(username="manager")
    providers = {str(t.pk): t.provider_id for t in Therapist.objects.filter(local_area=demo)}
    others = {v["therapist_id"] for v in run.plan["timetable"] if providers[v["therapist_id"]] != manager.provider_id}
    assert others, "the demo's OT plan uses the independent provider's therapists too"
    booking = planner_run_apply(run=run, applied_by=manager, today=TODAY, now=NOW, provider_id=manager.provider_id)
    assert booking.booked and all(b.therapist.provider_id == manager.provider_id for b in booking.booked)
    skipped_elsewhere = {str(b.therapist.pk) for b, reason in booking.skipped if "works for another service" in reason}
    assert skipped_elsewhere == others
