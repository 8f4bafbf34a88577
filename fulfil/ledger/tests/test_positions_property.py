"""The property behind stored positions (ADR 23): after any sequence of writes through the
services, every stored position that claims to be current is exactly the pure ledger computed
from scratch, and a read returns exactly that for every line."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fulfil.children.models import Enrolment
from fulfil.core.selectors import calendar_for_area
from fulfil.delivery.models import Session
from fulfil.delivery.services import (
    ChildOutcome,
    VisitAlreadyRecorded,
    attendance_mark_in_error,
    session_correct,
    sessions_book,
    visit_cancel,
    visit_record,
)
from fulfil.factories import (
    CaseloadAssignmentFactory,
    EducationSettingFactory,
    EnrolmentFactory,
    ProvisionItemFactory,
    TherapistFactory,
    UserFactory,
)
from fulfil.ledger.models import LedgerSettings, LinePosition
from fulfil.ledger.positions import context_keys, position_fields, positions_read, stored_fields, year_end
from fulfil.ledger.selectors import item_ledgers, ledger_context
from fulfil.ledger.services import provision_pause_record
from fulfil.plans.models import ProvisionItem
from fulfil.plans.services import provision_item_add

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
CHILDREN = 3


@pytest.fixture
def world(area):
    """Three children at one school, each with a weekly SALT line, on one therapist's caseload."""
    LedgerSettings.objects.create(local_area=area, records_from=dt.date(2026, 9, 1))
    setting = EducationSettingFactory(local_area=area)
    therapist = TherapistFactory(local_area=area, discipline="salt")
    therapist.settings_covered.add(setting)
    children = []
    for _ in range(CHILDREN):
        child = EnrolmentFactory(child__local_area=area, child__current_setting=setting, setting=setting).child
        CaseloadAssignmentFactory(therapist=therapist, child=child)
        ProvisionItemFactory(plan_version__plan__child=child, starts_on=dt.date(2026, 9, 1))
        children.append(child)
    calendar = calendar_for_area(area)
    past = [d for d in calendar.teaching_days(dt.date(2026, 9, 1), TODAY - dt.timedelta(days=1))]
    future = [d for d in calendar.teaching_days(TODAY, dt.date(2026, 12, 18))]
    user = UserFactory(role="therapist", local_area=area, therapist=therapist)
    return {"area": area, "setting": setting, "therapist": therapist, "children": children, "past": past, "future": future,
            "user": user}


child_index = st.integers(0, CHILDREN - 1)
pick = st.integers(0, 10_000)  # an index into whatever exists when the step runs
writes = st.one_of(
    st.tuples(st.just("record"), st.sets(child_index, min_size=1), pick, st.integers(10, 30), st.sampled_from(["one_to_one", "group", "not_seen"]),
              st.sampled_from(["absent", "setting_cancelled", "out_of_time"])),
    st.tuples(st.just("correct"), pick, st.integers(0, 30)),
    st.tuples(st.just("in_error"), pick, st.booleans()),
    st.tuples(st.just("add_line"), child_index, st.sampled_from(["week", "fortnight", "half_term", "term"]), st.integers(1, 3), pick),
    st.tuples(st.just("end_line"), pick, pick),
    st.tuples(st.just("pause"), child_index, pick, st.integers(0, 40)),
    st.tuples(st.just("enrolment"), child_index, pick),
    st.tuples(st.just("book"), child_index, pick),
    st.tuples(st.just("cancel"), pick),
)


def _apply(step: tuple, w: dict) -> None:
    kind, *args = step
    children, past, future, therapist = w["children"], w["past"], w["future"], w["therapist"]
    sessions = list(Session.objects.filter(status__in=["delivered", "dna", "cancelled_family"]).order_by("pk"))
    if kind == "record":
        chosen, day, minutes, outcome, why = args
        rows = [ChildOutcome(child=children[i], outcome=outcome, minutes=minutes, not_seen_reason=why,
                             provision_item=ProvisionItem.objects.filter(child=children[i]).first()) for i in sorted(chosen)]
        visit_record(token=uuid.uuid4(), therapist=therapist, setting=w["setting"], date=past[day % len(past)],
                     starts_at=dt.time(9, 0), ends_at=dt.time(11, 0), kind="direct", summary="", group_minutes=minutes,
                     rows=rows, recorded_by=w["user"], today=TODAY, now=NOW)
    elif kind == "correct" and sessions:
        session = sessions[args[0] % len(sessions)]
        session_correct(session=session, summary="Corrected", minutes_by_child={a.child_id: min(args[1], session.minutes)
                                                                               for a in session.attendances.all()},
                        reason="Minutes were wrong", changed_by=w["user"], now=NOW)
    elif kind == "in_error" and sessions:
        session = sessions[args[0] % len(sessions)]
        some = [session.attendances.first().child_id] if args[1] else None
        attendance_mark_in_error(session=session, child_ids=some, reason="Wrong child", marked_by=w["user"], now=NOW)
    elif kind == "add_line":
        child, period, count, day = children[args[0]], args[1], args[2], past[args[3] % len(past)]
        provision_item_add(plan_version=ProvisionItem.objects.filter(child=child).first().plan_version, discipline="salt",
                           section="F", kind="direct", sessions=count, minutes=30, period=period, deliverer="therapist",
                           starts_on=day, wording="More speech and language therapy.")
    elif kind == "end_line":
        items = list(ProvisionItem.objects.order_by("pk"))
        item = items[args[0] % len(items)]
        item.ends_on = max(item.starts_on, past[args[1] % len(past)])
        item.save()  # as the admin ends a line
    elif kind == "pause":
        start = past[args[1] % len(past)]
        provision_pause_record(child=children[args[0]], starts_on=start, ends_on=start + dt.timedelta(days=args[2]),
                               reason="In hospital", recorded_by=w["user"])
    elif kind == "enrolment":
        enrolment = Enrolment.objects.get(child=children[args[0]])
        enrolment.on_roll_to = past[args[1] % len(past)]
        enrolment.save()  # as the admin records a child leaving
    elif kind == "book":
        item = ProvisionItem.objects.filter(child=children[args[0]]).first()
        sessions_book(therapist=therapist, provision_item=item, first_date=future[args[1] % len(future)], starts_at=dt.time(13, 0),
                      minutes=30, today=TODAY, now=NOW)
    elif kind == "cancel":
        visit_cancel(therapist=therapist, setting=w["setting"], date=future[args[0] % len(future)], reason="therapist_unwell",
                     cancelled_by=w["user"], now=NOW)


def _from_scratch(area) -> dict[int, dict]:
    # The selectors' own context, so the positions' faster one is held to it too.
    context = ledger_context(area, start=TODAY, end=year_end(TODAY))
    keys = context_keys(context)
    ledgers = item_ledgers(ProvisionItem.objects.filter(local_area=area), context=context, start=context.records_from,
                           end=year_end(TODAY), today=TODAY)
    return {pk: position_fields(ledger, context_key=keys[ledger.line.discipline]) for pk, ledger in ledgers.items()}


@pytest.mark.django_db
@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(writes, min_size=1, max_size=6))
def test_after_any_writes_stored_positions_are_the_ledger_from_scratch(world, steps):
    with freeze_time(NOW), transaction.atomic():
        items = ProvisionItem.objects.filter(local_area=world["area"])
        positions_read(items, local_area=world["area"], today=TODAY)
        for step in steps:
            try:
                _apply(step, world)
            except (ValidationError, VisitAlreadyRecorded):
                pass  # refused: nothing was written
        expected = _from_scratch(world["area"])
        stored = {p.provision_item_id: p for p in LinePosition.objects.filter(local_area=world["area"])}

        # Every line whose child had positions stored is still stored (a new line included)...
        assert set(stored) == set(expected)
        # ...and each one that claims to be current (as at today, under today's calendar, rules
        # and booking horizon) is exactly the ledger from scratch.
        for pk, position in stored.items():
            if position.as_at == TODAY and position.context_key == expected[pk]["context_key"]:
                assert stored_fields(position) == expected[pk], f"line {pk} after {steps}"
        # A read recomputes the rest (a booking that moved the horizon for everyone).
        read = positions_read(ProvisionItem.objects.filter(local_area=world["area"]), local_area=world["area"], today=TODAY)
        assert {pk: stored_fields(p) for pk, p in read.items()} == expected
        transaction.set_rollback(True)
