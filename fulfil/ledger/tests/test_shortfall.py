"""The cohort shortfall report and the ledger as users see it, on hand-worked data.

Autumn 2025 first half-term (3 Sep - 24 Oct 2025) has 8 teaching weeks in the default
London calendar, so a weekly 30-minute line is due 8 sessions (4 hours)."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from fulfil.accounts.models import AccessRecord
from fulfil.children.models import Child
from fulfil.factories import (
    AttendanceFactory,
    CaseloadAssignmentFactory,
    ChildFactory,
    ProvisionItemFactory,
    SessionFactory,
    UserFactory,
)
from fulfil.ledger.models import LedgerSettings, ProvisionPause
from fulfil.ledger.selectors import cohort_shortfall

pytestmark = pytest.mark.django_db

D = dt.date
WEEKS = [D(2025, 9, 3)] + [D(2025, 9, 8) + dt.timedelta(weeks=n) for n in range(7)]
TODAY = D(2026, 11, 25)


@pytest.fixture(autouse=True)
def pinned_clock():
    """The pages offer the periods around the day they read from the clock; pinned to TODAY, they
    still offer autumn 2025 when these tests run years later."""
    with freeze_time(TODAY):
        yield


@pytest.fixture
def ledger_area(area):
    LedgerSettings.objects.create(local_area=area, records_from=D(2025, 9, 1))
    return area


def weekly_line(area, first_name, *, discipline="salt", delivered=8, provider_cancelled=0, last_name="Test", **child):
    child = ChildFactory(local_area=area, first_name=first_name, last_name=last_name, **child)
    item = ProvisionItemFactory(plan_version__plan__child=child, discipline=discipline, starts_on=D(2025, 9, 1))
    therapist = CaseloadAssignmentFactory(child=child, therapist__local_area=area, therapist__discipline=discipline).therapist
    for n, day in enumerate(WEEKS):
        status = "delivered" if n < delivered else "cancelled_provider" if n < delivered + provider_cancelled else None
        if status:
            session = SessionFactory(therapist=therapist, setting=child.current_setting, date=day, status=status)
            AttendanceFactory(session=session, child=child, provision_item=item, minutes=30)
    return child, item


def report(area, **kw):
    from fulfil.children.models import Child

    return cohort_shortfall(local_area=area, children=Child.objects.filter(local_area=area), start=D(2025, 9, 1),
                            end=D(2025, 10, 24), today=TODAY, **kw)


def test_shortfall_counts_children_fully_delivered_short_and_with_none(ledger_area):
    weekly_line(ledger_area, "Full", delivered=8)
    weekly_line(ledger_area, "Short", delivered=6, provider_cancelled=1)
    weekly_line(ledger_area, "None", discipline="ot", delivered=0)
    result = report(ledger_area)
    t = result.totals
    assert (t.children_with_provision, t.fully_delivered, t.short, t.received_none) == (3, 1, 2, 1)
    assert t.pct_contacts_delivered == pytest.approx(100 * 14 / 24, abs=0.05)
    assert t.owed_hours == pytest.approx((2 + 8) * 0.5)
    assert t.owed_cost == pytest.approx(5 * 95)
    assert [c.name for c in result.children] == ["Test, None", "Test, Short"]
    salt = next(f for f in result.by_discipline if f.discipline == "salt")
    assert (salt.children_with_provision, salt.short) == (2, 1)


def test_filters_by_discipline_and_need(ledger_area):
    weekly_line(ledger_area, "Salt", delivered=4, primary_need="SLCN")
    weekly_line(ledger_area, "Ot", discipline="ot", delivered=8, primary_need="PD")
    assert report(ledger_area, discipline="ot").totals.short == 0
    assert report(ledger_area, need="SLCN").totals.short == 1
    assert report(ledger_area, need="PD").totals.children_with_provision == 1


def test_a_pause_with_a_reason_stops_the_clock(ledger_area):
    child, item = weekly_line(ledger_area, "Hospital", delivered=4)
    ProvisionPause.objects.create(local_area=ledger_area, child=child, starts_on=D(2025, 9, 29), ends_on=D(2025, 10, 24),
                                  reason="In hospital for four weeks", recorded_by=UserFactory(local_area=ledger_area))
    assert report(ledger_area).totals.short == 0


def test_the_report_page_shows_figures_and_ranks_children_by_owed(client, ledger_area):
    weekly_line(ledger_area, "Short", delivered=5)
    client.force_login(UserFactory(role="council_officer", local_area=ledger_area))
    response = client.get(reverse("ledger:shortfall"), {"period": "2025-autumn"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Children short of their plan" in html and "Test, Short" in html
    assert AccessRecord.objects.filter(action="shortfall-report").count() == 1


def test_a_commissioner_sees_suppressed_figures_and_no_children(client, ledger_area):
    weekly_line(ledger_area, "Short", delivered=5)
    client.force_login(UserFactory(role="commissioner", local_area=ledger_area))
    response = client.get(reverse("ledger:shortfall"), {"period": "2025-autumn"})
    html = response.content.decode()
    assert "fewer than 8" in html
    assert "Test, Short" not in html and "Children short of their plan" not in html


@pytest.mark.parametrize("role", ["therapist", "senco", "parent", "admin"])
def test_other_roles_do_not_get_the_report(client, ledger_area, role):
    client.force_login(UserFactory(role=role, local_area=ledger_area))
    assert client.get(reverse("ledger:shortfall")).status_code == 404
    assert client.get(reverse("ledger:shortfall-csv")).status_code == 404


def test_csv_and_xlsx_downloads_hold_the_same_figures(client, ledger_area):
    weekly_line(ledger_area, "Formula", last_name="=HYPERLINK(1)", delivered=5)
    client.force_login(UserFactory(role="council_officer", local_area=ledger_area))
    csv_text = client.get(reverse("ledger:shortfall-csv"), {"period": "2025-autumn"}).content.decode()
    assert "Children with statutory provision" in csv_text
    assert "\"'=HYPERLINK(1), Formula\"" in csv_text  # a name that looks like a formula is escaped
    xlsx = client.get(reverse("ledger:shortfall-xlsx"), {"period": "2025-autumn"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Summary", "Children short"]
    assert book["Children short"]["A2"].value == "'=HYPERLINK(1), Formula"
    assert book["Children short"]["G2"].value == 10  # autumn term: 15 due, 5 delivered


def test_shortfall_command_prints_figures_and_json(ledger_area, capsys):
    weekly_line(ledger_area, "Short", discipline="ot", delivered=5)
    call_command("shortfall", "--discipline", "OT", "--from", "2025-09-01", "--to", "2025-10-24", "--today", "2026-11-25")
    out = capsys.readouterr().out
    assert "Occupational therapy" in out and "Short" in out
    call_command("shortfall", "--discipline", "ot", "--from", "2025-09-01", "--to", "2025-10-24", "--json")
    data = json.loads(capsys.readouterr().out)
    for key in ["children_with_provision", "fully_delivered", "short", "received_none", "pct_contacts_delivered", "owed_hours", "owed_cost"]:
        assert key in data
    assert (data["short"], data["owed_hours"], data["owed_cost"]) == (1, 1.5, 142.5)


def test_shortfall_command_explains_bad_options(ledger_area):
    with pytest.raises(CommandError, match="SALT, OT or physio"):
        call_command("shortfall", "--discipline", "music")
    with pytest.raises(CommandError, match="like 2025-09-01"):
        call_command("shortfall", "--from", "1/9/2025")
    with pytest.raises(CommandError, match="on or after"):
        call_command("shortfall", "--from", "2025-09-01", "--to", "2025-08-01")


def test_child_record_shows_owed_and_caseload_lists_behind_first(client, ledger_area):
    behind, _ = weekly_line(ledger_area, "Behind", delivered=3)
    on_track, _ = weekly_line(ledger_area, "Ontrack", delivered=8)
    client.force_login(UserFactory(role="council_officer", local_area=ledger_area))
    html = client.get(reverse("children:detail", args=[behind.public_id])).content.decode()
    assert "Behind" in html and "Owed" in html
    # Put both on one therapist's caseload; the child behind is listed first.
    therapist = on_track.caseload_assignments.get().therapist
    CaseloadAssignmentFactory(therapist=therapist, child=behind)
    response = client.get(reverse("workforce:detail", args=[therapist.pk]))
    names = [r.assignment.child.first_name for r in response.context["caseload"]]
    assert names.index("Behind") < names.index("Ontrack")


def test_an_officer_pauses_the_clock_with_a_reason_and_it_shows_on_the_record(client, ledger_area):
    child, item = weekly_line(ledger_area, "Paused", delivered=4)
    client.force_login(UserFactory(role="council_officer", local_area=ledger_area))
    url = reverse("ledger:pause-create", args=[child.public_id])
    response = client.post(url, {"provision_item": "", "starts_on": "2025-10-20", "ends_on": "2025-10-10", "reason": ""})
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The end date must be the same as or after the start date" in html and "Enter the reason" in html
    assert not ProvisionPause.objects.exists()
    response = client.post(url, {"provision_item": item.pk, "starts_on": "2025-09-29", "ends_on": "2025-10-24",
                                 "reason": "In hospital for four weeks"})
    assert response.status_code == 302
    pause = ProvisionPause.objects.get()
    assert (pause.provision_item, pause.reason) == (item, "In hospital for four weeks")
    html = client.get(reverse("children:detail", args=[child.public_id])).content.decode()
    assert "Clock paused from 29 September 2025 to 24 October 2025" in html


@pytest.mark.parametrize("role", ["therapist", "senco", "parent"])
def test_only_the_council_and_service_managers_can_pause_the_clock(client, ledger_area, role):
    child, _ = weekly_line(ledger_area, "Paused", delivered=4)
    user = UserFactory(role=role, local_area=ledger_area)
    if role == "therapist":
        user.therapist = child.caseload_assignments.get().therapist
        user.save()
    client.force_login(user)
    assert client.get(reverse("ledger:pause-create", args=[child.public_id])).status_code == 404


def test_parts_of_a_session_owed_on_two_lines_make_no_child_short_and_cost_nothing(ledger_area):
    # Counted to Wednesday 22 October: 3 of the last week's 5 teaching days, so 0.6 of a session is
    # due on each of two weekly lines that missed only that week's session (on Monday 20 October).
    # Neither line owes a whole session: the child is not short, and no hours or cost are owed.
    child, item = weekly_line(ledger_area, "Parts", delivered=7)
    second = ProvisionItemFactory(plan_version=item.plan_version, discipline="salt", starts_on=D(2025, 9, 1))
    therapist = child.caseload_assignments.get().therapist
    for day in WEEKS[:7]:
        session = SessionFactory(therapist=therapist, setting=child.current_setting, date=day, starts_at=dt.time(11, 0))
        AttendanceFactory(session=session, child=child, provision_item=second, minutes=30)
    result = cohort_shortfall(local_area=ledger_area, children=Child.objects.filter(local_area=ledger_area), start=D(2025, 9, 1),
                              end=D(2025, 10, 22), today=TODAY)
    t = result.totals
    assert (t.children_with_provision, t.fully_delivered, t.short, t.owed_hours, t.owed_cost) == (1, 1, 0, 0, 0)
    assert t.pct_contacts_delivered == pytest.approx(100 * 14 / 15.2, abs=0.05)  # what was delivered, against pro rata due
    assert result.children == []


def _csv_rows(client):
    import csv

    return list(csv.reader(io.StringIO(client.get(reverse("ledger:shortfall-csv"), {"period": "2025-autumn"}).content.decode())))


def test_a_commissioner_gets_no_share_hours_or_cost_for_a_small_group_nor_totals_that_give_them_away(client, ledger_area):
    for n in range(8):
        weekly_line(ledger_area, f"Salt{n}", delivered=6)  # autumn term: 15 due, 6 delivered (40.0%)
    weekly_line(ledger_area, "Ot", discipline="ot", delivered=5)  # one child: 33.3%, 5 hours, £475
    client.force_login(UserFactory(role="commissioner", local_area=ledger_area))
    rows = {row[0]: row for row in _csv_rows(client)[1:] if row}
    assert rows["Speech and language therapy"] == ["Speech and language therapy", "10", "0", "10", "0", "40.0%", "36", "£3,420"]
    assert rows["Occupational therapy"] == ["Occupational therapy", "fewer than 8", "0", "fewer than 8", "0", "not shown", "not shown",
                                            "not shown"]
    assert rows["All therapies"] == ["All therapies", "not shown", "not shown", "not shown", "0", "not shown", "not shown", "not shown"]
    book = load_workbook(io.BytesIO(client.get(reverse("ledger:shortfall-xlsx"), {"period": "2025-autumn"}).content))
    assert [[c.value for c in row] for row in book["Summary"].iter_rows(min_row=2, max_row=4)] == [
        rows["Speech and language therapy"], rows["Occupational therapy"], rows["All therapies"]]
    html = client.get(reverse("ledger:shortfall"), {"period": "2025-autumn"}).content.decode()
    assert "40.0%" in html and "33.3%" not in html and ">33%<" not in html and "£475" not in html and "£3,895" not in html


def test_a_commissioner_is_told_of_fewer_than_8_unquantified_lines_not_how_many(client, ledger_area):
    ProvisionItemFactory(plan_version__plan__child=ChildFactory(local_area=ledger_area), sessions=None, period="",
                         starts_on=D(2025, 9, 1))
    client.force_login(UserFactory(role="commissioner", local_area=ledger_area))
    html = client.get(reverse("ledger:shortfall"), {"period": "2025-autumn"}).content.decode()
    assert "fewer than 8 therapy lines in plans do not say how often" in html
    book = load_workbook(io.BytesIO(client.get(reverse("ledger:shortfall-xlsx"), {"period": "2025-autumn"}).content))
    assert any(c.value and c.value.endswith("counted: fewer than 8.") for c in book["Summary"]["A"])


def test_roles_who_see_the_children_still_get_exact_figures(client, ledger_area):
    weekly_line(ledger_area, "Ot", discipline="ot", delivered=5)
    client.force_login(UserFactory(role="council_officer", local_area=ledger_area))
    assert ["Occupational therapy", "1", "0", "1", "0", "33.3%", "5", "£475"] in _csv_rows(client)
