"""Every page that states a statutory timescale reads it from `plans.clocks.RULES`: change the
rule and every page says the new period; no page or template types the weeks again."""

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import reverse
from freezegun import freeze_time

from fulfil.factories import ChildFactory, ProviderFactory, TherapistFactory, UserFactory
from fulfil.plans.clocks import RULES, ClockKind
from fulfil.plans.models import AdviceRequest, AssessmentRequest

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 25)
ROOT = Path(__file__).resolve().parents[3]
# Periods no rule has, so a page can only show them by reading the rule.
CHANGED = {ClockKind.ADVICE: 7, ClockKind.DECISION_TO_ASSESS: 5, ClockKind.FINAL_PLAN: 19, ClockKind.REVIEW_DECISION: 3}


@pytest.fixture
def changed_rules(monkeypatch):
    for kind, weeks in CHANGED.items():
        monkeypatch.setitem(RULES, kind, dataclasses.replace(RULES[kind], weeks=weeks))
    with freeze_time(TODAY):
        yield


@pytest.fixture
def advice(area):
    provider = ProviderFactory(local_area=area)
    ot = TherapistFactory(local_area=area, provider=provider, discipline="ot")
    request = AssessmentRequest.objects.create(local_area=area, child=ChildFactory(local_area=area, sen_status="sen_support"),
                                               reference="EHCNA-1", received_on=TODAY - dt.timedelta(weeks=3))
    return AdviceRequest.objects.create(local_area=area, assessment=request, service="ot", provider=provider, therapist=ot,
                                        requested_on=TODAY - dt.timedelta(weeks=2))


def page(client, user, name, *args, **query) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_the_advice_pages_state_the_advice_rule(client, area, advice, changed_rules):
    therapist = UserFactory(role="therapist", local_area=area, therapist=advice.therapist)
    officer = UserFactory(role="council_officer", local_area=area)
    assert "due 7 weeks after the service receives the request" in page(client, therapist, "plans:advice-due")
    assert "7 weeks from the request" in page(client, therapist, "plans:advice-detail", advice.pk)
    assert "why the 7 weeks could not be met" in page(client, officer, "plans:advice-exception", advice.pk)
    assert "The advice is due 7 weeks after the request" in page(client, officer, "plans:advice-request-new", advice.assessment.pk)


def test_the_councils_pages_state_the_assessment_rules(client, area, advice, changed_rules):
    officer = UserFactory(role="council_officer", local_area=area)
    intro = page(client, officer, "plans:assessment-new", advice.assessment.child.public_id)
    assert "due 5 weeks after the request is received, and a final plan 19 weeks after" in intro
    timeliness = page(client, officer, "plans:timeliness")
    assert "Decision whether to assess (5 weeks)" in timeliness and "Final plan issued (19 weeks)" in timeliness
    sen2 = page(client, officer, "plans:sen2", year=TODAY.year - 1)
    assert "still undecided past 5 weeks" in sen2 and "within 19 weeks" in sen2 and "decided within 3 weeks" in sen2


def test_no_plans_page_types_a_statutory_period():
    typed = []
    sources = [ROOT / "fulfil/plans/views.py", *sorted((ROOT / "fulfil/templates/plans").glob("*.html"))]
    for path in sources:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if re.search(r"\b\d+ (weeks|months)\b", line):
                typed.append(f"{path.relative_to(ROOT)}:{number}")
    assert typed == []
