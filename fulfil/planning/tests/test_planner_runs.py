"""The term planner from the records: the command's figures, a run started on the page, and
booking its plan as planned sessions, once."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time

from fulfil.accounts.models import User
from fulfil.delivery.models import Attendance, Session
from fulfil.planning.models import PlannerRun
from fulfil.planning.solver.schema import TermInstance, TermPlan
from fulfil.planning.solver.validate import validate

pytestmark = pytest.mark.django_db

REQUIRED = ("required_contacts", "planned_contacts", "upper_bound_contacts", "pct_of_bound", "greedy_planned_contacts",
            "children_at_zero", "setting_visits", "seconds")


# The demo is generated as of this day and the command is told it; the pages read the clock, so
# their tests pin it to the same day (booking refuses days that have passed). `tick` lets time run
# on from there: the planner shares its time limit by the clock.
TODAY = "2026-11-25"


@pytest.fixture
def demo(transactional_db):
    call_command("generate", "--seed", "11", "--today", TODAY, "--children", "400", verbosity=0)


def test_plan_term_prints_the_figures_a_commissioner_asks_for(demo):
    out = StringIO()
    call_command("plan-term", "--discipline", "OT", "--term", "2027-spring", "--time-limit", "10", "--json", "--today", TODAY,
                 stdout=out)
    data = json.loads(out.getvalue()[out.getvalue().index("{"):])
    assert all(key in data for key in REQUIRED)
    assert data["required_contacts"] > 0
    assert data["greedy_planned_contacts"] <= data["planned_contacts"] <= data["upper_bound_contacts"] <= data["required_contacts"]
    assert data["planned_contacts"] <= data["fair_upper_bound_contacts"] <= data["upper_bound_contacts"]
    assert data["pct_of_fair_bound"] == round(100 * data["planned_contacts"] / data["fair_upper_bound_contacts"], 2)
    run = PlannerRun.objects.get(pk=data["run"])
    # The stored input and output reproduce a valid plan.
    assert validate(TermInstance.from_dict(run.instance), TermPlan.from_dict(run.plan)) == []


@freeze_time(f"{TODAY} 10:00", tick=True)
def test_a_manager_plans_a_term_on_the_page_and_books_it_once(client, demo):
    client.force_login(User.objects.get(username="manager"))
    response = client.post(reverse("planning:planner"), {"discipline": "salt", "term": "2027-spring", "time_limit": "10"})
    assert response.status_code == 302
    run = PlannerRun.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "of required sessions planned" in page and "Provision that cannot be met" in page
    assert "Most sessions of a plan that sees as many children" in page
    assert "seconds: a good plan, not proved the best possible" in page or "seconds: proved the best plan possible" in page
    assert f"{run.stats['fair_upper_bound_contacts']}: this plan delivers {run.stats['pct_of_fair_bound']}% of it" in page
    before = Session.objects.filter(status="planned").count()
    client.post(reverse("planning:run-apply", args=[run.pk]))
    run.refresh_from_db()
    booked = Session.objects.filter(status="planned").count() - before
    assert booked == run.applied_sessions > 0
    client.post(reverse("planning:run-apply", args=[run.pk]))
    assert Session.objects.filter(status="planned").count() - before == booked
    # Every booked session is a teaching day in the term, for a child with that line.
    new = Session.objects.filter(status="planned").order_by("-pk")[:booked]
    assert all(s.date.weekday() < 5 for s in new)
    assert Attendance.objects.filter(session__in=new, provision_item__discipline="salt").count() >= booked


def test_a_bad_time_limit_is_refused_with_a_message(client, demo):
    client.force_login(User.objects.get(username="manager"))
    response = client.post(reverse("planning:planner"), {"discipline": "ot", "term": "2027-spring", "time_limit": "9999"})
    assert response.status_code == 400 and "between 5 and 600 seconds" in response.content.decode()
    assert not PlannerRun.objects.exists()


def test_only_the_service_may_book_a_plan_into_its_diaries(client, area):
    from fulfil.factories import UserFactory

    run = PlannerRun.objects.create(local_area=area, discipline="ot", term="2027-spring", instance={})
    # The council plans and reads; booking therapists' diaries belongs to the service's managers.
    for role in ("council_officer", "therapist", "commissioner", "senco", "parent"):
        client.force_login(UserFactory(role=role, local_area=area))
        assert client.post(reverse("planning:run-apply", args=[run.pk])).status_code == 404
    run.refresh_from_db()
    assert run.applied_at is None


def test_the_planner_uses_recorded_working_days_and_assumes_the_rest(demo):
    import datetime as dt

    from fulfil.core.models import LocalArea
    from fulfil.core.selectors import calendar_for_area
    from fulfil.planning.instance import term_instance, working_days
    from fulfil.planning.terms import term_named
    from fulfil.workforce.models import Therapist
    from fulfil.workforce.services import therapist_working_days_set

    area = LocalArea.objects.get()
    recorded, assumed = Therapist.objects.filter(discipline="ot", archived_at__isnull=True).order_by("pk")[:2]
    therapist_working_days_set(therapist=recorded, days=[1, 2, 4] if recorded.contracted_hours <= 30 else [0, 1, 2, 3, 4])
    instance = term_instance(area, "ot", term_named("2027-spring", calendar_for_area(area)), today=dt.date(2026, 11, 25), time_limit=5)
    days = {t.id: t.working_days for t in instance.therapists}
    assert days[str(recorded.pk)] == Therapist.objects.get(pk=recorded.pk).weekdays
    assert days[str(assumed.pk)] == working_days(assumed.pk, float(assumed.contracted_hours))
