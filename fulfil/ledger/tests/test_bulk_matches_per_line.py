"""The national path (`ledger.bulk`) gives every line the per-line ledger's answer on any area.

Random small areas hold what real records hold and the generated demo does not: children who
moved school (two enrolments with a gap between them), recorded pauses for a child or for one
line, sessions longer than the school day, sessions recorded twice, a child's part recorded
in error or against another child's line, sessions on non-teaching days, lines ending
mid-year and lines with no frequency. Both paths read the same rows: the per-line ledger
through `selectors.item_ledgers` from the database, the bulk path from the tables written out
as the generator's CSV files.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fulfil.children.models import Child, Enrolment
from fulfil.core.calendar import AcademicCalendar
from fulfil.delivery.models import Attendance, Session
from fulfil.factories import ChildFactory, EducationSettingFactory, LocalAreaFactory, PlanVersionFactory, TherapistFactory, UserFactory
from fulfil.ledger.bulk import CSV_TABLES, area_figures, arrays_from_duckdb, line_positions, open_csv_dataset
from fulfil.ledger.calendar_index import CalendarIndex
from fulfil.ledger.models import LedgerSettings, ProvisionPause
from fulfil.ledger.selectors import cohort_shortfall, item_ledgers, ledger_context
from fulfil.plans.models import ProvisionItem

START, END = dt.date(2025, 9, 1), dt.date(2026, 8, 31)
INDEX = CalendarIndex(AcademicCalendar(), 2025, 2026)
TEACHING = [dt.date.fromordinal(d) for d in INDEX.days if START.toordinal() <= d <= END.toordinal()]
ANY_DAY = [START + dt.timedelta(days=n) for n in range((END - START).days + 1)]
STATUSES = ["delivered", "delivered", "delivered", "cancelled_provider", "cancelled_setting", "cancelled_family", "dna", "planned"]
SCHOOL_DAY = (dt.time(8, 45), dt.time(15, 15))  # 390 minutes

teaching_day = st.sampled_from(TEACHING)
rules = st.sampled_from(["owed", "not_owed", "review"])


@st.composite
def contacts(draw):
    return {
        "date": draw(st.one_of(teaching_day, teaching_day, teaching_day, st.sampled_from(ANY_DAY))),
        "starts_at": draw(st.sampled_from([dt.time(9, 0), dt.time(10, 0), dt.time(13, 30), None])),
        "status": draw(st.sampled_from(STATUSES)),
        "seen": draw(st.booleans() | st.just(True)),
        "overlong": draw(st.integers(0, 9)) == 0,  # 420 minutes in a 390-minute school day
        "twice": draw(st.integers(0, 6)) == 0,  # the same session recorded again
        "in_error": draw(st.integers(0, 9)) == 0,
        "other_child": draw(st.integers(0, 14)) == 0,  # recorded against another child's line
        "no_setting": draw(st.integers(0, 9)) == 0,  # no school day known: nothing is too long
    }


@st.composite
def lines(draw):
    starts_on = draw(st.sampled_from(TEACHING[:150] + [dt.date(2024, 9, 2)]))
    quantified = draw(st.integers(0, 9)) > 0
    return {
        "discipline": draw(st.sampled_from(["salt", "ot", "physio"])),
        "sessions": draw(st.integers(1, 4)) if quantified else None,
        "minutes": draw(st.sampled_from([30, 45, 60])),
        "period": draw(st.sampled_from(["week", "fortnight", "month", "half_term", "term", "year"])) if quantified else "",
        "starts_on": starts_on,
        "ends_on": draw(st.one_of(st.none(), st.sampled_from([d for d in TEACHING if d > starts_on] or [END])))
        if draw(st.booleans()) else None,
        "contacts": draw(st.lists(contacts(), max_size=14)),
    }


@st.composite
def children(draw):
    # 0: no enrolment known; 1: on roll from before the year, perhaps leaving; 2: moved school
    # (the second enrolment starts after the first ends, sometimes with days off roll between,
    # or, as recorded in error, ten days before the first ends).
    enrolments = draw(st.integers(0, 2))
    roll = []
    if enrolments:
        leaves = draw(st.sampled_from(TEACHING[20:-20]))
        roll.append((dt.date(2023, 9, 4), leaves if enrolments == 2 or draw(st.booleans()) else None))
        if enrolments == 2:
            joins = leaves + dt.timedelta(days=draw(st.sampled_from([1, 3, 10, 40, -10])))
            roll.append((joins, draw(st.one_of(st.none(), st.sampled_from([d for d in TEACHING if d > joins] or [END])))))
    child_lines = draw(st.lists(lines(), min_size=1, max_size=3))
    pauses = []
    for _ in range(draw(st.integers(0, 2))):
        a = draw(teaching_day)
        b = a + dt.timedelta(days=draw(st.integers(0, 60)))
        which = draw(st.one_of(st.none(), st.integers(0, len(child_lines) - 1)))  # None: every line
        pauses.append((a, b, which))
    return {"roll": roll, "lines": child_lines, "pauses": pauses}


areas = st.fixed_dictionaries({
    "policy": st.tuples(rules, rules, rules),
    # Records may begin after the period starts; the year may be over or still under way.
    "records_from": st.sampled_from([START, START, dt.date(2025, 10, 13)]),
    "today": st.sampled_from([END + dt.timedelta(days=1), END + dt.timedelta(days=1), dt.date(2026, 2, 4), dt.date(2026, 5, 20)]),
    "children": st.lists(children(), min_size=1, max_size=4),
})


def build(spec) -> object:
    area = LocalAreaFactory()
    LedgerSettings.objects.create(local_area=area, records_from=spec["records_from"], cancelled_by_setting=spec["policy"][0],
                                  cancelled_by_family=spec["policy"][1], did_not_attend=spec["policy"][2],
                                  independent_hourly_rate=Decimal("95.00"))
    schools = [EducationSettingFactory(local_area=area, day_starts_at=SCHOOL_DAY[0], day_ends_at=SCHOOL_DAY[1]) for _ in range(2)]
    therapist = TherapistFactory(local_area=area)
    recorder = UserFactory(local_area=area)
    made: list[tuple[ProvisionItem, dict]] = []
    for child_spec in spec["children"]:
        child = ChildFactory(local_area=area, current_setting=schools[0])
        for n, (roll_from, roll_to) in enumerate(child_spec["roll"]):
            Enrolment.objects.create(local_area=area, child=child, setting=schools[n % 2], on_roll_from=roll_from, on_roll_to=roll_to)
        version = PlanVersionFactory(plan__child=child, plan__local_area=area)
        items = [ProvisionItem.objects.create(
            local_area=area, plan_version=version, child=child, discipline=line["discipline"], kind="direct",
            sessions=line["sessions"], minutes=line["minutes"], period=line["period"], starts_on=line["starts_on"],
            ends_on=line["ends_on"], wording="Generated") for line in child_spec["lines"]]
        made += list(zip(items, child_spec["lines"], strict=True))
        for a, b, which in child_spec["pauses"]:
            ProvisionPause.objects.create(local_area=area, child=child, provision_item=None if which is None else items[which],
                                          starts_on=a, ends_on=b, reason="In hospital", recorded_by=recorder)
    everyone = list(Child.objects.filter(local_area=area))
    attendances = []
    for item, line in made:
        for c in line["contacts"]:
            for _copy in range(2 if c["twice"] else 1):
                session = Session.objects.create(
                    local_area=area, therapist=therapist, setting=None if c["no_setting"] else schools[0], date=c["date"],
                    starts_at=c["starts_at"], minutes=420 if c["overlong"] else line["minutes"], kind="direct", status=c["status"])
                child = next(ch for ch in everyone if ch.pk != item.child_id) if c["other_child"] and len(everyone) > 1 else item.child
                attendances.append(Attendance(
                    session=session, child=child, provision_item=item,
                    minutes=session.minutes if c["status"] == "delivered" and c["seen"] else 0,
                    in_error_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC) if c["in_error"] else None,
                    in_error_reason="Wrong child" if c["in_error"] else ""))
    # Straight to the table, as an import of old records would: nothing refuses a duplicate.
    Attendance.objects.bulk_create(attendances)
    return area


def write_tables(directory) -> None:
    """The tables the bulk path reads, as the generator writes them (one CSV file each)."""
    models = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
    for table, columns in CSV_TABLES.items():
        with open(directory / f"{table}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in models[table].objects.values_list(*columns):
                writer.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date | dt.time) else v for v in row])


def both_paths(spec, directory):
    """The per-line ledgers and shortfall, and the bulk path's arrays, for one built area."""
    with transaction.atomic():
        area = build(spec)
        context = ledger_context(area, start=START, end=END)
        reference = item_ledgers(ProvisionItem.objects.filter(local_area=area), context=context, start=START, end=END,
                                 today=spec["today"])
        shortfall = cohort_shortfall(local_area=area, children=Child.objects.filter(local_area=area), start=START, end=END,
                                     today=spec["today"])
        write_tables(directory)
        transaction.set_rollback(True)
    con = open_csv_dataset(directory, memory_limit="512MB", threads=1)
    (arrays,) = [a for a in arrays_from_duckdb(con, start=START, end=END) if a.area_id == area.pk]
    return reference, shortfall, arrays


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=areas)
def test_every_line_and_every_figure_of_the_bulk_path_equals_the_per_line_ledger(spec, tmp_path_factory):
    today = spec["today"]
    reference, shortfall, arrays = both_paths(spec, tmp_path_factory.mktemp("area"))
    positions = line_positions(arrays, start=START, end=END, today=today)
    for i, line_id in enumerate(arrays.line_id.tolist()):
        ledger = reference[line_id]
        if not ledger.line.is_countable:
            continue
        assert positions.due[i] == pytest.approx(ledger.due, abs=1e-9), ("due", ledger.line, ledger.problems)
        assert positions.delivered[i] == ledger.delivered, ("delivered", ledger.line, ledger.problems)
        assert positions.owed[i] == pytest.approx(ledger.owed, abs=1e-9), ("owed", ledger.line, ledger.problems)

    bulk = {f.discipline: f for f in area_figures(arrays, start=START, end=END, today=today)}
    for ref in shortfall.by_discipline:
        got = bulk[ref.discipline]
        assert (got.children_with_provision, got.fully_delivered, got.short, got.received_none) == (
            ref.children_with_provision, ref.fully_delivered, ref.short, ref.received_none), ref.discipline
        assert got.due == pytest.approx(ref.due, abs=1e-9)
        assert got.delivered_within_due == pytest.approx(ref.delivered_within_due, abs=1e-9)
        assert got.owed_hours == pytest.approx(ref.owed_hours, abs=1e-9)
        assert got.owed_cost == pytest.approx(ref.owed_cost, abs=1e-6)
    assert {d for d, f in bulk.items() if f.children_with_provision} == {f.discipline for f in shortfall.by_discipline}


def _weekly_line(**changes) -> dict:
    return {"discipline": "salt", "sessions": 1, "minutes": 30, "period": "week", "starts_on": START, "ends_on": None,
            "contacts": [], **changes}


def _area(child: dict) -> dict:
    return {"policy": ("review", "review", "review"), "records_from": START, "today": END + dt.timedelta(days=1),
            "children": [{"roll": [], "pauses": [], **child}]}


@pytest.mark.django_db
def test_a_child_who_moved_school_in_january_is_due_at_both_schools(tmp_path):
    # The national path kept the earliest start and the latest end of a child's enrolments,
    # and an open enrolment has no end: this child was due 15 sessions (to December) in the
    # national figures and 40 on their own page (issue 26).
    spec = _area({"roll": [(dt.date(2023, 9, 4), dt.date(2025, 12, 19)), (dt.date(2026, 1, 5), None)], "lines": [_weekly_line()]})
    reference, _shortfall, arrays = both_paths(spec, tmp_path)
    positions = line_positions(arrays, start=START, end=END, today=spec["today"])
    (ledger,) = reference.values()
    assert ledger.due == pytest.approx(40.0)
    assert positions.due[0] == pytest.approx(ledger.due)


@pytest.mark.django_db
def test_a_pause_and_an_overlong_or_doubled_session_count_as_on_the_childs_page(tmp_path):
    # Paused for the spring half-term's first two weeks; one 420-minute session in a 390-minute
    # school day; one session recorded twice.
    contact = {"date": dt.date(2025, 10, 7), "starts_at": dt.time(10, 0), "status": "delivered", "seen": True, "overlong": False,
               "twice": False, "in_error": False, "other_child": False, "no_setting": False}
    spec = _area({"lines": [_weekly_line(contacts=[
        contact, {**contact, "date": dt.date(2025, 10, 14), "overlong": True}, {**contact, "date": dt.date(2025, 10, 21), "twice": True}])],
        "pauses": [(dt.date(2026, 2, 23), dt.date(2026, 3, 6), None)]})
    reference, _shortfall, arrays = both_paths(spec, tmp_path)
    positions = line_positions(arrays, start=START, end=END, today=spec["today"])
    (ledger,) = reference.values()
    assert (positions.delivered[0], ledger.delivered) == (2, 2)
    assert len(ledger.problems) == 2
    assert positions.due[0] == pytest.approx(ledger.due)
    assert positions.owed[0] == pytest.approx(ledger.owed)
