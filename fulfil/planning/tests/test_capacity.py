"""Demand against capacity: hand-worked hours, what-if scenarios, the page and the command."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time

from fulfil.planning.capacity import DemandRow, Overheads, Scenario, StaffMember, VacantPost, discipline_capacity, term_gaps

# Two weeks of teaching, Monday 4 to Friday 15 January 2027: 10 days.
DAYS = [dt.date(2027, 1, 4) + dt.timedelta(days=d) for d in range(12) if (dt.date(2027, 1, 4) + dt.timedelta(days=d)).weekday() < 5]
SIMPLE = Overheads(non_clinical_fraction=0.2, other_work_fraction=0.5, training_hours_per_term=4, indirect_fraction=0.1,
                   report_hours_per_advice=6, report_hours_per_review=2, travel_minutes_per_visit=30)


def test_a_full_time_therapists_hours_are_worked_out_by_hand():
    staff = [StaffMember(1, "A", "ot", 37.5)]
    capacity = discipline_capacity("ot", staff, [], DAYS, SIMPLE)
    # 7.5 h a day x 10 days = 75; non-clinical 20% = 15; training 4; half the remaining 56 on work outside plans = 28.
    assert capacity.contracted_hours == 75
    assert capacity.non_clinical_hours == 15 and capacity.training_hours == 4 and capacity.other_work_hours == 28
    assert capacity.in_house_clinical == 28


def test_leave_takes_out_the_days_it_covers_and_a_vacancy_is_capacity_that_is_not_there():
    staff = [StaffMember(1, "A", "ot", 37.5, absences=((dt.date(2027, 1, 11), dt.date(2027, 1, 15)),))]
    posts = [VacantPost(9, "ot", 37.5, dt.date(2026, 9, 1))]
    capacity = discipline_capacity("ot", staff, posts, DAYS, SIMPLE)
    assert capacity.absence_hours == 37.5
    assert capacity.vacancy_hours == 75 and capacity.in_house_clinical == pytest.approx((37.5 - 7.5 - 4) / 2)


def test_what_ifs_sit_beside_the_current_position():
    staff = [StaffMember(1, "A", "ot", 37.5), StaffMember(2, "Independent", "ot", 15, independent=True)]
    posts = [VacantPost(9, "ot", 37.5, dt.date(2026, 9, 1))]
    demand = [DemandRow("ot", "SM1", due_hours=80, owed_hours=20)]
    table = term_gaps(demand, staff, posts, DAYS, SIMPLE, [
        Scenario(), Scenario("Filled from 11 January", fill_vacancy=(9, dt.date(2027, 1, 11))),
        Scenario("Leave and 40 hours bought", leave=(1, dt.date(2027, 1, 4), dt.date(2027, 1, 15)), bought_hours=40),
    ], ("ot",))
    now, filled, leave = (row[0] for row in table)
    assert now.capacity.commissioned_hours == 30  # 3 h a day x 10 days, counted apart from in-house
    assert now.gap == pytest.approx(100 - 28 - 30)
    # Filled for the second week: 37.5 hours, 20% non-clinical, half the rest outside plans.
    assert filled.capacity.in_house_clinical == pytest.approx(28 + 37.5 * 0.8 * 0.5)
    assert filled.capacity.vacancy_hours == 37.5
    assert leave.capacity.in_house_clinical == 0 and leave.capacity.bought_hours == 40
    assert leave.gap == pytest.approx(100 - 30 - 40)


# The demo is generated as of this day and the command is told it; the page reads the clock, so the
# clock is pinned to the same day (without it the page and the command disagree on any other day).
TODAY = "2026-11-25"


@pytest.mark.django_db
@freeze_time(TODAY)
def test_the_capacity_page_and_command_agree_on_the_demo(client, transactional_db):
    call_command("generate", "--seed", "3", "--today", TODAY, "--children", "300", verbosity=0)
    out = StringIO()
    call_command("capacity", "--term", "2027-spring", "--today", TODAY, "--buy-hours", "100", "--discipline", "ot", "--json",
                 stdout=out)
    data = json.loads(out.getvalue())
    now, what_if = data["scenarios"][0][0], data["scenarios"][1][0]
    assert now["discipline"] == "ot" and now["demand_hours"] > 0
    assert what_if["available_hours"] == pytest.approx(now["available_hours"] + 100, abs=0.2)
    from fulfil.accounts.models import User

    client.force_login(User.objects.get(username="manager"))
    page = client.get(reverse("planning:capacity"), {"term": "2027-spring", "bought_hours": "100"}).content.decode()
    assert "Spring 2026/27" in page and "With the changes" in page
    assert f"{now['demand_hours']:,.0f}".replace(",", "") in page.replace(",", "")
    bad = client.get(reverse("planning:capacity"), {"term": "2027-spring", "bought_hours": "lots"})
    assert bad.status_code == 400 and "Enter hours bought as a number" in bad.content.decode()
    # Leave is entered in day, month and year boxes; what was typed is shown again.
    from fulfil.workforce.models import Therapist

    therapist = Therapist.objects.filter(discipline="ot").first()
    leave = {"term": "2027-spring", "leave_of": therapist.pk, "leave_from_day": "4", "leave_from_month": "1",
             "leave_from_year": "2027", "leave_to_day": "15", "leave_to_month": "1", "leave_to_year": "2027"}
    page = client.get(reverse("planning:capacity"), leave)
    assert page.status_code == 200 and "With the changes" in page.content.decode()
    assert 'name="leave_to_day" value="15"' in page.content.decode()
    assert 'type="date"' not in page.content.decode()
    partial = client.get(reverse("planning:capacity"), leave | {"leave_to_month": ""})
    assert partial.status_code == 400 and 'href="#leave_from_day"' in partial.content.decode()


def test_an_unknown_term_name_says_what_to_type(db):
    from django.core.management.base import CommandError

    from fulfil.factories import LocalAreaFactory

    LocalAreaFactory()
    with pytest.raises(CommandError, match="for example 2027-spring"):
        call_command("capacity", "--term", "spring 2027")
