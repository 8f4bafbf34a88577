"""Stored ledger positions (ADR 23): pages read them, every write keeps them true, and the
nightly rebuild reports any that were not."""

from __future__ import annotations

import datetime as dt
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from fulfil.children.models import Child
from fulfil.core.models import ClosureDay
from fulfil.core.selectors import calendar_for_area
from fulfil.delivery.services import ChildOutcome, visit_record
from fulfil.factories import (
    AttendanceFactory,
    CaseloadAssignmentFactory,
    EducationSettingFactory,
    EnrolmentFactory,
    ProvisionItemFactory,
    SessionFactory,
    TherapistFactory,
    UserFactory,
)
from fulfil.ledger.models import LedgerSettings, LinePosition
from fulfil.ledger.positions import (
    child_positions_stored,
    positions_read,
    positions_rebuild,
    positions_refresh,
    positions_refresh_children,
)
from fulfil.ledger.selectors import child_positions
from fulfil.plans.models import ProvisionItem

TODAY = dt.date(2026, 11, 25)  # a Wednesday in the autumn term (default London calendar)
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
VISIT_DAY = dt.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def pinned_clock():
    with freeze_time(NOW):
        yield


@pytest.fixture
def school(area):
    """Eight children at one school with a weekly SALT line each, on one therapist's caseload;
    the first four were seen every teaching Tuesday since September, the rest not at all."""
    LedgerSettings.objects.create(local_area=area, records_from=dt.date(2026, 9, 1))
    setting = EducationSettingFactory(local_area=area)
    therapist = TherapistFactory(local_area=area, discipline="salt")
    therapist.settings_covered.add(setting)
    calendar = calendar_for_area(area)
    items = []
    for n in range(8):
        child = EnrolmentFactory(child__local_area=area, child__current_setting=setting, setting=setting).child
        CaseloadAssignmentFactory(therapist=therapist, child=child)
        item = ProvisionItemFactory(plan_version__plan__child=child, starts_on=dt.date(2026, 9, 1))
        items.append(item)
        if n < 4:
            for day in calendar.teaching_days(dt.date(2026, 9, 1), VISIT_DAY):
                if day.weekday() != 1:
                    continue
                session = SessionFactory(therapist=therapist, setting=setting, date=day, starts_at=dt.time(9, n))
                AttendanceFactory(session=session, child=child, provision_item=item)
    user = UserFactory(role="therapist", local_area=area, therapist=therapist)
    return {"area": area, "setting": setting, "therapist": therapist, "items": items, "user": user}


def test_stored_positions_give_the_same_caseload_figures_as_the_ledger(school):
    children = Child.objects.filter(local_area=school["area"])
    expected = child_positions(children, local_area=school["area"], today=TODAY)

    assert child_positions_stored(children, local_area=school["area"], today=TODAY) == expected
    assert {p["state"] for p in expected.values()} == {"behind", "on_track"}
    assert LinePosition.objects.count() == 8


def test_a_position_stored_as_at_yesterday_is_recomputed_on_read(school):
    item = school["items"][5]
    positions_refresh([item.pk], today=TODAY - dt.timedelta(days=1))
    yesterday = LinePosition.objects.get(provision_item=item)

    read = positions_read(ProvisionItem.objects.filter(pk=item.pk), local_area=school["area"], today=TODAY)

    assert read[item.pk].as_at == TODAY
    # A week's session more fell due on the way: Tuesday 24 November was counted yesterday too,
    # so the difference is the one teaching day it gained.
    assert read[item.pk].due > yesterday.due
    assert LinePosition.objects.get(provision_item=item).as_at == TODAY


def test_a_new_closure_day_makes_the_areas_positions_stale(school):
    item = school["items"][5]
    before = positions_read(ProvisionItem.objects.filter(pk=item.pk), local_area=school["area"], today=TODAY)[item.pk]

    ClosureDay.objects.create(local_area=school["area"], date=dt.date(2026, 11, 23), description="INSET day")
    after = positions_read(ProvisionItem.objects.filter(pk=item.pk), local_area=school["area"], today=TODAY)[item.pk]

    assert after.context_key != before.context_key
    assert after.due < before.due


def test_recording_a_visit_brings_the_childrens_positions_up_to_date(school):
    items = school["items"]
    positions_read(ProvisionItem.objects.filter(pk__in=[i.pk for i in items]), local_area=school["area"], today=TODAY)
    owed_before = LinePosition.objects.get(provision_item=items[6]).owed

    visit_record(token=uuid.uuid4(), therapist=school["therapist"], setting=school["setting"], date=VISIT_DAY,
                 starts_at=dt.time(9, 0), ends_at=dt.time(11, 0), kind="direct", summary="", group_minutes=30,
                 rows=[ChildOutcome(child=item.child, outcome="group", provision_item=item, minutes=30) for item in items[4:]],
                 recorded_by=school["user"], today=TODAY, now=NOW)

    stored = LinePosition.objects.get(provision_item=items[6])
    assert (stored.delivered, stored.owed) == (1, owed_before - 1)
    assert stored.as_at == TODAY


def test_a_pause_recorded_brings_the_childs_positions_up_to_date(school):
    from fulfil.ledger.services import provision_pause_record

    item = school["items"][6]
    positions_refresh([item.pk], today=TODAY)
    owed_before = LinePosition.objects.get(provision_item=item).owed_contacts

    provision_pause_record(child=item.child, starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2026, 10, 31),
                           reason="In hospital", recorded_by=school["user"])

    assert LinePosition.objects.get(provision_item=item).owed_contacts < owed_before


def test_refreshing_a_visit_of_eight_children_takes_as_many_queries_as_one_child(school, django_assert_max_num_queries):
    children = [item.child_id for item in school["items"]]
    with django_assert_max_num_queries(12) as eight:
        assert positions_refresh_children(children, today=TODAY) == 8
    with django_assert_max_num_queries(12) as one:
        positions_refresh_children(children[:1], today=TODAY)

    assert len(eight.captured_queries) == len(one.captured_queries)


def test_the_rebuild_reports_a_tampered_position_by_line_and_field(school):
    items = school["items"]
    positions_refresh([i.pk for i in items], today=TODAY)
    LinePosition.objects.filter(provision_item=items[2]).update(owed=3.0, owed_contacts=3, state="behind")

    report = positions_rebuild(school["area"], today=TODAY)

    assert (report.lines, report.current, report.stale, report.missing) == (8, 7, 0, 0)
    assert report.differences == [(items[2].pk, ["owed", "owed_contacts", "state"])]
    # ...and stores the right position.
    assert LinePosition.objects.get(provision_item=items[2]).owed_contacts == 0


def test_the_rebuild_command_prints_the_difference_without_names(school):
    items = school["items"]
    positions_refresh([i.pk for i in items], today=TODAY)
    LinePosition.objects.filter(provision_item=items[3]).update(delivered=99)
    out = StringIO()

    call_command("positions_rebuild", "--today", TODAY.isoformat(), stdout=out)

    text = out.getvalue()
    assert "8 lines" in text
    assert f"line {items[3].pk}: delivered" in text
    assert items[3].child.last_name not in text
    assert "1 difference" in text


def test_a_stored_position_reads_back_as_the_ledger_the_child_page_shows(school):
    from fulfil.ledger.positions import area_context, position_ledger, year_end
    from fulfil.ledger.selectors import item_ledgers

    items = ProvisionItem.objects.filter(pk__in=[school["items"][0].pk, school["items"][6].pk])
    stored = positions_read(items, local_area=school["area"], today=TODAY)
    context = area_context(school["area"], today=TODAY)
    ledgers = item_ledgers(items, context=context, start=context.records_from, end=year_end(TODAY), today=TODAY)

    for item in items:
        assert position_ledger(LinePosition.objects.get(pk=stored[item.pk].pk), item) == ledgers[item.pk]


def test_the_nightly_job_stores_every_line_as_at_today_and_counts_no_difference(school):
    from fulfil.ledger.tasks import positions_rebuild_job

    positions_refresh([school["items"][0].pk], today=TODAY - dt.timedelta(days=1))

    assert positions_rebuild_job.call() == 0
    assert set(LinePosition.objects.values_list("as_at", flat=True)) == {TODAY}
    assert LinePosition.objects.count() == 8


def test_the_child_page_gets_the_same_ledgers_from_stored_positions(school):
    from fulfil.ledger.positions import child_ledgers_stored
    from fulfil.ledger.selectors import child_ledgers

    child = school["items"][1].child
    ProvisionItemFactory(plan_version=school["items"][1].plan_version, child=child, discipline="ot", period="term", sessions=2)

    context, ledgers = child_ledgers_stored(child, today=TODAY)
    expected_context, expected = child_ledgers(child, today=TODAY)

    assert list(ledgers) == list(expected)
    assert ledgers == expected
    assert (context.hourly_rate, context.records_from) == (expected_context.hourly_rate, expected_context.records_from)
