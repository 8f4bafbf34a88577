"""The council records a child's requests for assessment and reviews, step by step; due dates
are computed, bad dates are refused with what to fix, and nothing half-saved is kept."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fulfil.accounts.models import AccessRecord
from fulfil.factories import ChildFactory, PlanFactory, UserFactory
from fulfil.plans.models import AnnualReview, AssessmentRequest
from fulfil.plans.services import (
    annual_review_record,
    assessment_request_record,
    assessment_steps_record,
    review_steps_record,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 25)


def boxes(name: str, day: dt.date) -> dict:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


@pytest.fixture
def officer(area):
    return UserFactory(role="council_officer", local_area=area)


@pytest.fixture
def child(area):
    return ChildFactory(local_area=area, sen_status="ehcp")


def test_an_officer_logs_a_request_then_its_decision_and_sees_the_clocks(client, officer, child):
    client.force_login(officer)
    received = dt.date.today() - dt.timedelta(days=30)
    response = client.post(reverse("plans:assessment-new", args=[child.public_id]),
                           {"reference": "EHCNA-0042"} | boxes("received_on", received))
    request = AssessmentRequest.objects.get(reference="EHCNA-0042")
    assert response.status_code == 302 and response["Location"] == reverse("plans:assessment", args=[request.pk])
    page = client.get(response["Location"]).content.decode()
    # Due 6 weeks after the request (reg 5(1)), and a final plan 20 weeks after (reg 13(2)).
    assert (received + dt.timedelta(weeks=6)).strftime("%-d %b %Y") in page
    assert (received + dt.timedelta(weeks=20)).strftime("%-d %b %Y") in page

    decided = received + dt.timedelta(days=20)
    start = boxes("received_on", received)  # the page shows it filled in, so it is always sent
    bad = client.post(reverse("plans:assessment", args=[request.pk]),
                      {"outcome": "assess"} | start | boxes("decided_on", received - dt.timedelta(days=1)))
    assert bad.status_code == 400 and "cannot be before the request was received" in bad.content.decode()
    request.refresh_from_db()
    assert request.decided_on is None and request.outcome == ""

    ok = client.post(reverse("plans:assessment", args=[request.pk]), {"outcome": "assess"} | start | boxes("decided_on", decided))
    assert ok.status_code == 302
    request.refresh_from_db()
    assert (request.outcome, request.decided_on) == ("assess", decided)
    assert AccessRecord.objects.filter(child=child, action="view-assessment-request").exists()
    child_page = client.get(reverse("children:detail", args=[child.public_id])).content.decode()
    assert "Request for assessment EHCNA-0042" in child_page


def test_an_officer_logs_a_review_and_a_report_without_a_meeting_is_refused(client, officer, child):
    plan = PlanFactory(child=child, first_issued_on=dt.date(2025, 6, 1))
    client.force_login(officer)
    response = client.post(reverse("plans:review-new", args=[child.public_id]),
                           {"reference": "AR-7"} | boxes("period_starts_on", dt.date(2025, 6, 1)))
    review = AnnualReview.objects.get(reference="AR-7", plan=plan)
    assert response.status_code == 302
    page = client.get(reverse("plans:review", args=[review.pk])).content.decode()
    assert "31 May 2026" in page  # the 12 months starting 1 June 2025 end on 31 May 2026 (CFA 2014 s.44(1))
    assert "Ask for advice" not in page  # advice belongs to assessments, not reviews
    bad = client.post(reverse("plans:review", args=[review.pk]),
                      boxes("period_starts_on", dt.date(2025, 6, 1)) | boxes("report_on", dt.date(2025, 12, 1)))
    assert bad.status_code == 400 and "needs the date of the review meeting" in bad.content.decode()
    review.refresh_from_db()
    assert review.report_on is None


def test_only_council_officers_see_and_record_statutory_steps(client, area, child):
    therapist = UserFactory(role="therapist", local_area=area)
    client.force_login(therapist)
    assert client.get(reverse("plans:assessment-new", args=[child.public_id])).status_code == 404


@pytest.mark.parametrize(("steps", "field", "message"), [
    ({"outcome": "assess", "decided_on": TODAY + dt.timedelta(days=1)}, "decided_on", "today or in the past"),
    ({"outcome": "assess"}, "decided_on", "Enter the date of the decision"),
    ({"outcome": "", "decided_on": dt.date(2026, 10, 1)}, "outcome", "Choose the decision"),
    ({"outcome": "not_assess", "decided_on": dt.date(2026, 10, 1), "final_plan_on": dt.date(2026, 11, 1)}, "__all__",
     "follows only a decision to assess"),
    ({"outcome": "assess", "decided_on": dt.date(2026, 10, 1), "draft_sent_on": dt.date(2026, 10, 20),
      "final_plan_on": dt.date(2026, 10, 10)}, "final_plan_on", "cannot be before the draft plan was sent"),
])
def test_impossible_assessment_steps_say_what_to_fix_and_change_nothing(child, steps, field, message):
    request = assessment_request_record(child=child, reference="R1", received_on=dt.date(2026, 9, 1), today=TODAY)
    with pytest.raises(ValidationError) as error:
        assessment_steps_record(assessment=request, today=TODAY, changed_by=UserFactory(), **({"outcome": ""} | steps))
    assert any(message in text for text in error.value.message_dict[field])
    request.refresh_from_db()
    assert request.decided_on is None and request.final_plan_on is None


def test_a_reference_is_used_once_in_an_area(child):
    assessment_request_record(child=child, reference="R1", received_on=dt.date(2026, 9, 1), today=TODAY)
    with pytest.raises(ValidationError) as error:
        assessment_request_record(child=child, reference=" R1 ", received_on=dt.date(2026, 9, 2), today=TODAY)
    assert "already used" in error.value.message_dict["reference"][0]
    assert AssessmentRequest.objects.count() == 1


def test_review_steps_keep_their_order(child):
    plan = PlanFactory(child=child, first_issued_on=dt.date(2025, 6, 1))
    with pytest.raises(ValidationError) as error:
        annual_review_record(plan=plan, reference="AR-1", period_starts_on=dt.date(2025, 5, 1), today=TODAY)
    assert "before the plan was first issued" in error.value.message_dict["period_starts_on"][0]
    review = annual_review_record(plan=plan, reference="AR-1", period_starts_on=dt.date(2025, 6, 1), today=TODAY)
    with pytest.raises(ValidationError) as error:
        review_steps_record(review=review, today=TODAY, changed_by=UserFactory(), meeting_on=dt.date(2026, 5, 1),
                            amendment_notice_on=dt.date(2026, 5, 20),
                            amended_plan_on=dt.date(2026, 5, 10))
    assert "before the notice of proposed amendments" in error.value.message_dict["amended_plan_on"][0]
    review_steps_record(review=review, today=TODAY, changed_by=UserFactory(), meeting_on=dt.date(2026, 5, 1), report_on=dt.date(2026, 5, 8),
                        decision_on=dt.date(2026, 5, 20))
    review.refresh_from_db()
    assert (review.meeting_on, review.report_on, review.decision_on) == (dt.date(2026, 5, 1), dt.date(2026, 5, 8), dt.date(2026, 5, 20))



def test_a_corrected_step_keeps_the_date_it_replaced(client, officer, child):
    from fulfil.plans.models import StepRevision

    request = assessment_request_record(child=child, reference="R9", received_on=dt.date(2026, 9, 1), today=TODAY)
    assessment_steps_record(assessment=request, today=TODAY, changed_by=officer, outcome="assess", decided_on=dt.date(2026, 10, 1))
    assessment_steps_record(assessment=request, today=TODAY, changed_by=officer, outcome="assess", decided_on=dt.date(2026, 10, 2))
    assessment_steps_record(assessment=request, today=TODAY, changed_by=officer, outcome="assess", decided_on=dt.date(2026, 10, 2))
    revisions = list(StepRevision.objects.filter(assessment=request).order_by("pk"))
    assert len(revisions) == 2  # saving the same steps again changes nothing
    assert (revisions[1].before["decided_on"], revisions[1].after["decided_on"]) == ("2026-10-01", "2026-10-02")
    client.force_login(officer)
    page = client.get(reverse("plans:assessment", args=[request.pk])).content.decode()
    assert "Date of the decision, or of the withdrawal: 1 October 2026 to 2 October 2026" in page


def test_the_subject_access_export_lists_the_childs_requests_and_reviews(client, officer, child):
    import json

    plan = PlanFactory(child=child, first_issued_on=dt.date(2025, 6, 1))
    assessment_request_record(child=child, reference="R-SAR", received_on=dt.date(2026, 9, 1), today=TODAY)
    annual_review_record(plan=plan, reference="AR-SAR", period_starts_on=dt.date(2025, 6, 1), today=TODAY)
    client.force_login(officer)
    data = json.loads(client.get(reverse("children:subject-access-json", args=[child.public_id])).content)
    assert [r["reference"] for r in data["assessment_requests"]] == ["R-SAR"]
    assert [r["reference"] for r in data["annual_reviews"]] == ["AR-SAR"]
    assert client.get(reverse("children:subject-access-pdf", args=[child.public_id])).status_code == 200


def test_an_officer_asks_a_therapy_service_for_advice_and_its_clock_starts(client, officer, child, area):
    from fulfil.factories import ProviderFactory
    from fulfil.plans.models import AdviceRequest

    provider = ProviderFactory(local_area=area, name="Borough OT Service")
    request = assessment_request_record(child=child, reference="R-ADV", received_on=dt.date.today() - dt.timedelta(days=50),
                                        today=dt.date.today())
    assessment_steps_record(assessment=request, today=dt.date.today(), changed_by=officer, outcome="assess",
                            decided_on=dt.date.today() - dt.timedelta(days=20))
    client.force_login(officer)
    url = reverse("plans:advice-request-new", args=[request.pk])
    asked = dt.date.today() - dt.timedelta(days=7)
    no_provider = client.post(url, {"service": "ot"} | boxes("requested_on", asked))
    assert no_provider.status_code == 400 and "Choose the therapy provider" in no_provider.content.decode()
    assert client.post(url, {"service": "ot", "provider": provider.pk} | boxes("requested_on", asked)).status_code == 302
    advice = AdviceRequest.objects.get(assessment=request)
    assert (advice.service, advice.provider, advice.requested_on) == ("ot", provider, asked)
    page = client.get(reverse("plans:assessment", args=[request.pk])).content.decode()
    assert "Advice for the assessment: Occupational therapy" in page
    assert (asked + dt.timedelta(weeks=6)).strftime("%-d %b %Y") in page  # reg 8(1): 6 weeks
    again = client.post(url, {"service": "ot", "provider": provider.pk} | boxes("requested_on", asked))
    assert again.status_code == 400 and "already asked for" in again.content.decode()
    assert AdviceRequest.objects.filter(assessment=request).count() == 1


def test_no_advice_is_asked_for_after_a_refusal_to_assess(officer, child):
    from fulfil.plans.services import advice_request_record

    request = assessment_request_record(child=child, reference="R-NO", received_on=dt.date(2026, 9, 1), today=TODAY)
    assessment_steps_record(assessment=request, today=TODAY, changed_by=officer, outcome="not_assess", decided_on=dt.date(2026, 10, 1))
    with pytest.raises(ValidationError) as error:
        advice_request_record(assessment=request, service="ep", provider_id=None, requested_on=dt.date(2026, 10, 2), today=TODAY)
    assert "refused or withdrawn" in error.value.message_dict["__all__"][0]


def test_the_family_sees_their_childs_next_statutory_step_but_records_nothing(client, area, child):
    from fulfil.accounts.models import FamilyLink

    received = dt.date.today() - dt.timedelta(days=10)
    assessment_request_record(child=child, reference="R-FAM", received_on=received, today=dt.date.today())
    parent = UserFactory(role="parent", local_area=area)
    FamilyLink.objects.create(user=parent, child=child, starts_on=dt.date(2020, 1, 1))
    client.force_login(parent)
    page = client.get(reverse("children:detail", args=[child.public_id])).content.decode()
    assert "Assessments and reviews" in page and "Request for assessment R-FAM" in page
    assert (received + dt.timedelta(weeks=6)).strftime("%-d %b %Y") in page
    assert "Log a request for an assessment" not in page and reverse("plans:assessment-new", args=[child.public_id]) not in page
    # A therapist with the child on their caseload opens the page, but the statutory steps are not theirs.
    from fulfil.factories import CaseloadAssignmentFactory, TherapistFactory

    clinician = TherapistFactory(local_area=area, discipline="ot")
    CaseloadAssignmentFactory(therapist=clinician, child=child, discipline="ot")
    therapist = UserFactory(role="therapist", local_area=area, therapist=clinician)
    client.force_login(therapist)
    response = client.get(reverse("children:detail", args=[child.public_id]))
    assert response.status_code == 200 and "Assessments and reviews" not in response.content.decode()



def test_a_mistyped_received_date_is_corrected_and_every_due_date_follows_it(client, officer, child):
    from fulfil.plans.models import StepRevision

    request = assessment_request_record(child=child, reference="R-TYPO", received_on=dt.date(2026, 9, 21), today=TODAY)
    client.force_login(officer)
    response = client.post(reverse("plans:assessment", args=[request.pk]), {"outcome": ""} | boxes("received_on", dt.date(2026, 9, 12)))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.received_on == dt.date(2026, 9, 12)
    page = client.get(reverse("plans:assessment", args=[request.pk])).content.decode()
    assert "24 Oct 2026" in page  # 6 weeks from 12 September (reg 5(1)), not from the 21st
    assert "Date the request was received: 21 September 2026 to 12 September 2026" in page
    assert StepRevision.objects.filter(assessment=request).count() == 1
    future = client.post(reverse("plans:assessment", args=[request.pk]), {"outcome": ""} | boxes("received_on", TODAY + dt.timedelta(days=400)))
    assert future.status_code == 400
