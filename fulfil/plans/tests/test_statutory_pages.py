"""Advice requests due and overdue, the advice record, exceptions, timeliness and SEN2-style
figures, as the therapy service, the council and the ICB see them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from freezegun import freeze_time

from fulfil.factories import ChildFactory, ProviderFactory, TherapistFactory, UserFactory
from fulfil.plans.models import AdviceRequest, AnnualReview, AssessmentRequest, PlanVersion, RecordedException
from fulfil.plans.timeliness import area_sen2, area_timeliness, quarter_of

pytestmark = pytest.mark.django_db
# A Wednesday: the advice asked for six weeks ago less a day falls due tomorrow, in this week.
TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def pinned_clock():
    """The pages read today from the clock, the records here are dated from TODAY: pinned
    together, the tests mean the same thing on any day they run."""
    with freeze_time(TODAY):
        yield


@pytest.fixture
def clocks_world(area):
    provider = ProviderFactory(local_area=area)
    ot = TherapistFactory(local_area=area, provider=provider, discipline="ot")
    salt = TherapistFactory(local_area=area, provider=provider, discipline="salt")
    children = [ChildFactory(local_area=area, sen_status="sen_support") for _ in range(4)]
    requests = []
    for n, child in enumerate(children):
        requests.append(AssessmentRequest.objects.create(
            local_area=area, child=child, reference=f"EHCNA-{n}", received_on=TODAY - dt.timedelta(weeks=10),
            decided_on=TODAY - dt.timedelta(weeks=5), outcome="assess",
        ))
    requested = TODAY - dt.timedelta(weeks=8)
    overdue = AdviceRequest.objects.create(local_area=area, assessment=requests[0], service="ot", provider=provider, therapist=ot,
                                           requested_on=requested)
    due_soon = AdviceRequest.objects.create(local_area=area, assessment=requests[1], service="ot", provider=provider, therapist=ot,
                                            requested_on=TODAY - dt.timedelta(weeks=6) + dt.timedelta(days=1))
    on_time = AdviceRequest.objects.create(local_area=area, assessment=requests[2], service="ot", provider=provider, therapist=ot,
                                           requested_on=requested, provided_on=requested + dt.timedelta(weeks=5), written_by=ot)
    salt_advice = AdviceRequest.objects.create(local_area=area, assessment=requests[3], service="salt", provider=provider,
                                               therapist=salt, requested_on=requested)
    users = {
        "ot": UserFactory(role="therapist", local_area=area, therapist=ot),
        "salt": UserFactory(role="therapist", local_area=area, therapist=salt),
        "manager": UserFactory(role="service_manager", local_area=area, provider=provider),
        "officer": UserFactory(role="council_officer", local_area=area),
        "commissioner": UserFactory(role="commissioner", local_area=area),
        "senco": UserFactory(role="senco", local_area=area, setting=children[0].current_setting),
    }
    return {"overdue": overdue, "due_soon": due_soon, "on_time": on_time, "salt": salt_advice, "users": users, "children": children,
            "requests": requests, "area": area}


def test_the_ot_sees_their_services_overdue_advice_first_and_not_another_disciplines(client, clocks_world):
    client.force_login(clocks_world["users"]["ot"])
    body = client.get(reverse("plans:advice-due")).content.decode()
    children = clocks_world["children"]
    assert "Overdue (1)" in body and "Due this week (1)" in body
    assert body.index(children[0].full_name) < body.index(children[1].full_name)
    assert children[3].full_name not in body  # SALT's advice request
    assert "14 days late" in body


def test_the_therapist_may_open_the_child_they_are_writing_advice_for(client, clocks_world):
    client.force_login(clocks_world["users"]["ot"])
    assert client.get(reverse("children:detail", args=[clocks_world["children"][0].public_id])).status_code == 200
    assert client.get(reverse("children:detail", args=[clocks_world["children"][3].public_id])).status_code == 404


def test_recording_advice_sent_stops_the_clock_and_names_the_writer(client, clocks_world):
    advice = clocks_world["overdue"]
    client.force_login(clocks_world["users"]["ot"])
    url = reverse("plans:advice-detail", args=[advice.pk])
    assert "Overdue by 14 days" in client.get(url).content.decode()
    response = client.post(url, {"provided_on": TODAY.isoformat(), "summary": "Sensory and motor assessment"})
    assert response.status_code == 302
    advice.refresh_from_db()
    assert advice.provided_on == TODAY and advice.written_by == clocks_world["users"]["ot"].therapist
    page = client.get(url).content.decode()
    assert "Sent 14 days late" in page and "Record the advice as sent" not in page


def test_a_sent_date_before_the_request_is_refused(client, clocks_world):
    advice = clocks_world["due_soon"]
    client.force_login(clocks_world["users"]["ot"])
    response = client.post(reverse("plans:advice-detail", args=[advice.pk]), {"provided_on": "2020-01-01"})
    assert response.status_code == 400 and "cannot be sent before it was requested" in response.content.decode()
    advice.refresh_from_db()
    assert advice.provided_on is None


def test_an_exception_needs_a_reason_and_leaves_late_advice_late(client, clocks_world):
    advice = clocks_world["overdue"]
    client.force_login(clocks_world["users"]["manager"])
    url = reverse("plans:advice-exception", args=[advice.pk])
    start, end = (advice.requested_on + dt.timedelta(days=3)).isoformat(), (advice.requested_on + dt.timedelta(days=40)).isoformat()
    refused = client.post(url, {"kind": "absent_from_area", "reason": " ", "starts_on": start, "ends_on": end})
    assert refused.status_code == 400 and not RecordedException.objects.exists()
    disallowed = client.post(url, {"kind": "school_closure", "reason": "Summer", "starts_on": start, "ends_on": end})
    assert disallowed.status_code == 400
    ok = client.post(url, {"kind": "absent_from_area", "reason": "Family abroad for six weeks", "starts_on": start, "ends_on": end})
    assert ok.status_code == 302
    page = client.get(reverse("plans:advice-detail", args=[advice.pk])).content.decode()
    assert "Overdue by 14 days" in page and "Late with an exception recorded" in page and "Family abroad" in page


def test_only_the_services_therapists_record_advice_and_others_get_404(client, clocks_world):
    advice = clocks_world["overdue"]
    client.force_login(clocks_world["users"]["salt"])
    assert client.get(reverse("plans:advice-detail", args=[advice.pk])).status_code == 404
    client.force_login(clocks_world["users"]["officer"])
    assert client.post(reverse("plans:advice-detail", args=[advice.pk]), {"provided_on": TODAY.isoformat()}).status_code == 404
    for role in ("commissioner", "senco"):
        client.force_login(clocks_world["users"][role])
        assert client.get(reverse("plans:advice-due")).status_code == 404


def test_timeliness_counts_advice_in_the_quarter_it_fell_due(clocks_world):
    report = area_timeliness(clocks_world["area"].pk, today=TODAY)
    ot = report.advice["Occupational therapy"]
    due_quarter = quarter_of(clocks_world["overdue"].requested_on + dt.timedelta(weeks=6))
    on_time_quarter = quarter_of(clocks_world["on_time"].provided_on)
    total_due = sum(rate.due for rate in ot.values())
    assert total_due == 2  # the overdue one and the one sent on time; the one not yet due is not counted
    assert ot[due_quarter].due >= 1 and sum(rate.on_time for rate in ot.values()) == 1
    assert ot[on_time_quarter].on_time == 1


def test_the_commissioner_sees_rounded_counts_and_can_download_csv(client, clocks_world):
    client.force_login(clocks_world["users"]["commissioner"])
    body = client.get(reverse("plans:timeliness")).content.decode()
    assert "Statutory timeliness" in body and "fewer than 8" in body
    response = client.get(reverse("plans:timeliness"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert "Advice: Occupational therapy" in text and "fewer than 8" in text


def test_the_commissioner_gets_no_share_on_time_beside_a_count_of_fewer_than_8(client, clocks_world):
    import csv
    import io
    import re

    client.force_login(clocks_world["users"]["commissioner"])
    rows = list(csv.reader(io.StringIO(client.get(reverse("plans:timeliness"), {"format": "csv"}).content.decode())))
    small = [row for row in rows[1:] if len(row) == 5 and "fewer than 8" in row[2:4]]
    assert small and {row[4] for row in small} <= {"", "not shown"}
    body = client.get(reverse("plans:timeliness")).content.decode()
    assert "not shown" in body
    assert not re.search(r"\d%<br><span class=\"govuk-body-s\">[^<]*fewer than 8", body)


def test_reviews_overdue_are_counted_from_the_computed_due_date(clocks_world, area):
    from fulfil.factories import PlanFactory

    plan = PlanFactory(child=clocks_world["children"][0])
    AnnualReview.objects.create(local_area=area, plan=plan, reference="AR-1", period_starts_on=TODAY - dt.timedelta(days=400))
    AnnualReview.objects.create(local_area=area, plan=plan, reference="AR-2", period_starts_on=TODAY - dt.timedelta(days=350))
    report = area_timeliness(area.pk, today=TODAY)
    assert report.reviews_overdue == 1 and report.reviews_due_next_month == 1


def test_sen2_style_figures_from_records_sit_beside_the_published_ones(client, clocks_world, area):
    year = TODAY.year - 1
    for n, (received, decided, outcome, plan_on) in enumerate([
        (dt.date(year, 1, 10), dt.date(year, 2, 14), "assess", dt.date(year, 5, 20)),   # 5 weeks; 18.7 weeks
        (dt.date(year, 3, 1), dt.date(year, 4, 30), "assess", dt.date(year, 9, 1)),     # 8.6 weeks; 26 weeks
        (dt.date(year, 6, 2), dt.date(year, 7, 1), "not_assess", None),
    ]):
        AssessmentRequest.objects.create(local_area=area, child=ChildFactory(local_area=area), reference=f"Y-{n}", received_on=received,
                                         decided_on=decided, outcome=outcome, final_plan_on=plan_on)
    figures = area_sen2(area.pk, year=year, as_of=TODAY)
    assert figures.requests == 3
    assert str(figures.pct_decided_within_6_weeks) == "66.7"
    assert str(figures.pct_not_assessed) == "33.3"
    assert figures.plans_issued == 2 and str(figures.pct_issued_within_20_weeks) == "50.0"
    client.force_login(clocks_world["users"]["officer"])
    body = client.get(reverse("plans:sen2"), {"year": year}).content.decode()
    assert "66.7%" in body and "Not loaded" in body
    # Three requests and two plans are too few to leave the council: no count, no percentage.
    client.force_login(clocks_world["users"]["commissioner"])
    body = client.get(reverse("plans:sen2"), {"year": year}).content.decode()
    assert "66.7%" not in body and "33.3%" not in body and "50.0%" not in body and "fewer than 8 new plans" in body
    csv_text = client.get(reverse("plans:sen2"), {"year": year, "format": "csv"}).content.decode()
    assert "66.7" not in csv_text and "fewer than 8" in csv_text and "not shown" in csv_text


def test_plan_versions_are_untouched_by_the_clocks(clocks_world):
    # Reading the clocks writes nothing.
    before = PlanVersion.objects.count(), AdviceRequest.objects.count()
    area_timeliness(clocks_world["area"].pk, today=TODAY)
    assert (PlanVersion.objects.count(), AdviceRequest.objects.count()) == before


def test_a_school_closure_exception_keeps_the_day_advice_was_asked_for(clocks_world):
    from fulfil.plans.services import exception_record
    from fulfil.plans.timeliness import area_timeliness

    request = clocks_world["requests"][0]
    summer = (dt.date(TODAY.year - 1, 7, 23), dt.date(TODAY.year - 1, 9, 2))
    row = exception_record(assessment=request, advice_request=None, kind="school_closure", reason="Summer holiday",
                           starts_on=summer[0], ends_on=summer[1], recorded_by=clocks_world["users"]["officer"],
                           advice_requested_on=summer[0] - dt.timedelta(days=3))
    assert row.advice_requested_on == summer[0] - dt.timedelta(days=3)
    area_timeliness(clocks_world["area"].pk, today=TODAY)  # reads the closure back without complaint
    with pytest.raises(ValidationError, match="one week before"):
        exception_record(assessment=request, advice_request=None, kind="school_closure", reason="Summer holiday",
                         starts_on=summer[0], ends_on=summer[1], recorded_by=clocks_world["users"]["officer"],
                         advice_requested_on=summer[0] - dt.timedelta(days=30))
