"""The job queue (ADR 18): a plan started on the page waits in the database until `fulfil
worker` solves it; a run whose worker was lost is marked failed with the reason; one plan at a
time for a discipline and term."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from fulfil.accounts.models import User
from fulfil.planning.models import PlannerRun

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):
    call_command("generate", "--seed", "5", "--today", "2026-11-25", "--children", "200", verbosity=0)


@override_settings(FULFIL_PLANNER_INLINE=False)
def test_a_plan_started_on_the_page_waits_for_the_worker_and_then_finishes(client, demo):
    client.force_login(User.objects.get(username="manager"))
    with freeze_time("2026-11-25 10:00", tick=True):
        response = client.post(reverse("planning:planner"), {"discipline": "salt", "term": "2027-spring", "time_limit": "5"})
    assert response.status_code == 302
    run = PlannerRun.objects.get()
    assert run.status == "queued" and DBTaskResult.objects.filter(status="READY").count() == 1
    # A second plan for the same therapy and term is refused while this one waits.
    with freeze_time("2026-11-25 10:01", tick=True):
        again = client.post(reverse("planning:planner"), {"discipline": "salt", "term": "2027-spring", "time_limit": "5"})
    assert again.status_code == 400 and "already being made" in again.content.decode()
    assert PlannerRun.objects.count() == 1
    with freeze_time("2026-11-25 10:02", tick=True):
        call_command("worker", "--batch", verbosity=0)
    run.refresh_from_db()
    assert run.status == "finished" and run.plan and run.progress == 100
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    # Running the worker again finds nothing to do and changes nothing.
    with freeze_time("2026-11-25 10:05", tick=True):
        call_command("worker", "--batch", verbosity=0)
    run.refresh_from_db()
    assert run.status == "finished"


def test_a_run_whose_worker_was_lost_is_marked_failed_with_the_reason(area):
    with freeze_time("2026-11-25 09:00"):
        lost = PlannerRun.objects.create(local_area=area, discipline="ot", term="2027-spring", instance={}, status="running",
                                         time_limit_seconds=60)
        fresh = PlannerRun.objects.create(local_area=area, discipline="salt", term="2027-spring", instance={}, status="running",
                                          time_limit_seconds=60)
    with freeze_time("2026-11-25 09:05"):
        PlannerRun.objects.filter(pk=fresh.pk).update(progress=40, updated_at=dt.datetime(2026, 11, 25, 9, 5, tzinfo=dt.UTC))
    with freeze_time("2026-11-25 09:12"):  # 12 minutes since the lost run was heard of; 7 since the other
        call_command("worker", "--batch", verbosity=0)
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == "failed" and "stopped before it finished" in lost.error and "Start the plan again" in lost.error
    assert fresh.status == "running"  # still reporting progress within its time


def test_the_database_refuses_two_active_plans_for_one_discipline_and_term(area):
    PlannerRun.objects.create(local_area=area, discipline="ot", term="2027-spring", instance={})
    with pytest.raises(IntegrityError), transaction.atomic():
        PlannerRun.objects.create(local_area=area, discipline="ot", term="2027-spring", instance={}, status="running")
    PlannerRun.objects.create(local_area=area, discipline="ot", term="2027-spring", instance={}, status="finished")
