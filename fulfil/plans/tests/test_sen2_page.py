"""The SEN2 page and its CSV with every measure Fulfil's records support, from records made with
the factories; the expected counts are worked out by hand beside each record."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from freezegun import freeze_time

from fulfil.comparisons.models import PublishedFigure
from fulfil.factories import ChildFactory, PlanFactory, UserFactory
from fulfil.plans.models import AnnualReview, AssessmentRequest

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 11, 25)
YEAR = 2025  # the return made in January 2026: census day Thursday 15 January 2026
PLANS_ROW = "EHC plans held on the census day"


@pytest.fixture(autouse=True)
def pinned_clock():
    with freeze_time(TODAY):
        yield


@pytest.fixture
def year_of_records(area):
    """Plans held on 15 January 2026: 3. Assessments completed in 2025: 3, one ending in a decision
    not to issue (33.3%). Review meetings in 2025: 3, two within 12 months (66.7%)."""
    def plan(issued, ceased=None, archived=False):
        child = ChildFactory(local_area=area)
        if archived:
            child.archived_at = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
            child.save()
        return PlanFactory(child=child, first_issued_on=issued, ceased_on=ceased)

    held = plan(D(2020, 9, 1))                 # held
    plan(D(2026, 1, 15))                       # held: issued on the census day
    plan(D(2026, 1, 16))                       # not held: issued the day after
    plan(D(2021, 1, 4), D(2026, 1, 15))        # not held: ceased on the census day
    plan(D(2021, 1, 4), D(2026, 1, 16))        # held: ceased the day after
    plan(D(2020, 9, 1), archived=True)         # not held: the child's record is archived

    def request(ref, received, decided, outcome, **outcome_dates):
        AssessmentRequest.objects.create(local_area=area, child=ChildFactory(local_area=area), reference=ref,
                                         received_on=received, decided_on=decided, outcome=outcome, **outcome_dates)

    request("R1", D(2025, 8, 4), D(2025, 9, 1), "assess", final_plan_on=D(2025, 12, 31))  # a 2025 assessment
    request("R2", D(2025, 8, 4), D(2025, 9, 1), "assess", final_plan_on=D(2026, 1, 1))    # a 2026 one, not 2025
    request("R3", D(2025, 3, 3), D(2025, 4, 7), "assess", decision_not_to_issue_on=D(2025, 7, 1))  # 2025, not issued
    request("R4", D(2024, 10, 1), D(2024, 11, 1), "assess", final_plan_on=D(2025, 1, 1))  # a 2024 request, 2025 plan
    request("R5", D(2025, 6, 2), D(2025, 7, 1), "not_assess")                              # no assessment

    def review(ref, starts, meeting):
        AnnualReview.objects.create(local_area=area, plan=held, reference=ref, period_starts_on=starts, meeting_on=meeting)

    review("AR1", D(2024, 3, 1), D(2025, 2, 28))    # due by 28 February 2025: on time
    review("AR2", D(2024, 3, 1), D(2025, 3, 1))     # a day late
    review("AR3", D(2025, 1, 10), D(2025, 12, 31))  # on time, in 2025
    review("AR4", D(2025, 1, 10), D(2026, 1, 1))    # counts in 2026
    # The DfE's January 2026 caseload (published with time period 2026) for the area and England.
    for level, code, value in (("Local authority", str(area.la_number), "2582"), ("National", "E92000001", "638745")):
        PublishedFigure.objects.create(measure="ehc_plans", year=2026, time_period="2026", level=level, code=code,
                                       ons_code=code, name=code, value=Decimal(value))
    return area


def _csv_rows(client, year: int = YEAR) -> dict[str, list[str]]:
    text = client.get(reverse("plans:sen2"), {"year": year, "format": "csv"}).content.decode()
    return {row[0]: row for row in csv.reader(io.StringIO(text)) if row}


def test_the_officer_sees_every_supported_measure_with_the_counts_behind_it(client, year_of_records):
    client.force_login(UserFactory(role="council_officer", local_area=year_of_records))
    body = client.get(reverse("plans:sen2"), {"year": YEAR}).content.decode()
    for text in (PLANS_ROW, "plans in place on 15 January 2026: 3", "2,582", "638,745",
                 "EHC needs assessments completed", "plans issued: 2; decisions not to issue: 1", "33.3%", "1 of 3 assessments",
                 "SEND Tribunal appeal rate", "Not recorded in Fulfil",
                 "Annual review meetings recorded", "66.7%", "2 of 3 meetings", "Children and Families Act 2014 s.44(1)"):
        assert text in body, text
    rows = _csv_rows(client)
    assert rows[PLANS_ROW][1:5] == ["3", "2,582", "638,745", "plans in place on 15 January 2026: 3"]
    assert rows["EHC needs assessments completed"][1:3] == ["3", "Not read by Fulfil yet"]
    assert rows["Assessments ending in a decision not to issue a plan (%)"][1] == "33.3%"
    assert rows["SEND Tribunal appeal rate"][1] == "Not recorded in Fulfil"
    assert rows["Annual review meetings recorded"][1] == "3"
    assert rows["Annual review meetings held within 12 months (%)"][1:5] == ["66.7%", "Not read by Fulfil yet", "", "2 of 3 meetings"]
    assert "SEND Regulations 2014 reg 10(1)" in rows["EHC needs assessments completed"][5]


def test_the_next_year_counts_the_plan_issued_on_1_january_and_waits_for_its_census_day(client, year_of_records):
    client.force_login(UserFactory(role="council_officer", local_area=year_of_records))
    rows = _csv_rows(client, 2026)
    # 2026: R2's plan (1 January) is its one assessment; AR4 its one meeting; census day 21 January 2027 not yet come.
    assert rows["EHC needs assessments completed"][1] == "1"
    assert rows["Annual review meetings recorded"][1] == "1"
    assert rows[PLANS_ROW][1] == "No data" and rows[PLANS_ROW][4] == "plans in place on 21 January 2027: none yet"


def test_the_commissioner_sees_small_counts_suppressed(client, year_of_records):
    client.force_login(UserFactory(role="commissioner", local_area=year_of_records))
    body = client.get(reverse("plans:sen2"), {"year": YEAR}).content.decode()
    assert "33.3%" not in body and "66.7%" not in body and "1 of 3" not in body and "2 of 3" not in body
    rows = _csv_rows(client)
    # 3 plans, 3 assessments and 3 meetings are fewer than 8: no count, and no percentage beside them.
    assert rows[PLANS_ROW][1] == "fewer than 8" and rows[PLANS_ROW][2] == "2,582"
    assert rows["EHC needs assessments completed"][1] == "fewer than 8"
    assert rows["Assessments ending in a decision not to issue a plan (%)"][1] == "not shown"
    assert rows["Annual review meetings held within 12 months (%)"][1:5] == [
        "not shown", "Not read by Fulfil yet", "", "fewer than 8 of fewer than 8 meetings"]



def test_a_record_whose_dates_contradict_is_named_not_a_server_error(client, area):
    """An imported review meeting dated before the 12 months it falls in, and a request decided
    before it was received, cannot be counted either way: the page counts the rest and names them."""
    plan = PlanFactory(child=ChildFactory(local_area=area), first_issued_on=D(2020, 9, 1))
    AnnualReview.objects.create(local_area=area, plan=plan, reference="AR-BAD-1", period_starts_on=D(2025, 6, 1), meeting_on=D(2025, 3, 1))
    AnnualReview.objects.create(local_area=area, plan=plan, reference="AR-GOOD", period_starts_on=D(2024, 3, 1), meeting_on=D(2025, 2, 28))
    AssessmentRequest.objects.create(local_area=area, child=ChildFactory(local_area=area), reference="R-BAD",
                                     received_on=D(2025, 5, 1), decided_on=D(2025, 4, 1), outcome="assess")
    client.force_login(UserFactory(role="council_officer", local_area=area))
    response = client.get(reverse("plans:sen2"), {"year": YEAR})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 records could not be counted" in page
    assert "AR-BAD-1" in page and "R-BAD" in page
    assert "AR-GOOD" not in page  # a record that holds is counted, not listed
