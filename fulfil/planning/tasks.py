"""Jobs the queue runs (`fulfil worker`, ADR 18). A task is an edge, like a view: it loads what
it works on and calls a service."""

from __future__ import annotations

from django_tasks import task

from fulfil.planning.models import PlannerRun, RunStatus
from fulfil.planning.services import planner_run_execute


@task()
def planner_run_job(run_id: int) -> None:
    """Solve one stored planner run. A run no longer waiting (already solved, or marked failed
    after its worker was lost) is left as it is, so a job retried or run twice changes nothing."""
    run = PlannerRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).first()
    if run is not None:
        planner_run_execute(run)
