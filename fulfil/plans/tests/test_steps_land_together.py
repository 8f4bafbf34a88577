"""A step and the revision that keeps what it replaced are saved together or not at all: a
failure writing the revision must not leave a changed date with no record of the old one."""

import datetime as dt

import pytest

from fulfil.factories import ChildFactory, PlanFactory, UserFactory
from fulfil.plans.models import StepRevision
from fulfil.plans.services import (
    annual_review_record,
    assessment_request_record,
    assessment_steps_record,
    review_steps_record,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 25)


class RevisionLost(Exception):
    pass


@pytest.fixture
def revisions_fail(monkeypatch):
    def fail(*args, **kwargs):
        raise RevisionLost

    monkeypatch.setattr(StepRevision.objects, "create", fail)


def test_an_assessment_step_is_not_kept_without_its_revision(area, revisions_fail):
    request = assessment_request_record(child=ChildFactory(local_area=area, sen_status="ehcp"), reference="R1",
                                        received_on=dt.date(2026, 9, 1), today=TODAY)
    with pytest.raises(RevisionLost):
        assessment_steps_record(assessment=request, today=TODAY, changed_by=UserFactory(), outcome="assess",
                                decided_on=dt.date(2026, 10, 1))
    request.refresh_from_db()
    assert (request.outcome, request.decided_on) == ("", None)


def test_a_review_step_is_not_kept_without_its_revision(area, revisions_fail):
    plan = PlanFactory(child=ChildFactory(local_area=area, sen_status="ehcp"))
    review = annual_review_record(plan=plan, reference="AR-1", period_starts_on=dt.date(2025, 6, 1), today=TODAY)
    with pytest.raises(RevisionLost):
        review_steps_record(review=review, today=TODAY, changed_by=UserFactory(), meeting_on=dt.date(2026, 5, 1))
    review.refresh_from_db()
    assert review.meeting_on is None
