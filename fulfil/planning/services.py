"""Writes for the term planner: create a run (its input stored), execute it (in the background,
with progress), and apply its plan as planned sessions."""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, transaction
from django.utils import timezone

from fulfil.core.selectors import calendar_for_area
from fulfil.planning.instance import term_instance
from fulfil.planning.models import PlannerRun, RunStatus
from fulfil.planning.solver.schema import GROUP, TermInstance, TermPlan
from fulfil.planning.terms import term_named

logger = logging.getLogger(__name__)


def planner_run_create(*, local_area, discipline: str, term: str, time_limit: int, started_by=None, today: dt.date | None = None) -> PlannerRun:
    """Store the planner's input for a term (built from today's records), ready to solve."""
    today = today or timezone.localdate()
    try:
        term_dates = term_named(term, calendar_for_area(local_area))
    except ValueError as error:
        raise ValidationError({"term": str(error)}) from None
    if not 5 <= time_limit <= 600:
        raise ValidationError({"time_limit_seconds": "Give the planner between 5 and 600 seconds"})
    instance = term_instance(local_area, discipline, term_dates, today=today, time_limit=float(time_limit))
    if not instance.needs:
        raise ValidationError({"term": f"No {discipline.upper()} provision is due or owed in {term}: there is nothing to plan"})
    return PlannerRun.objects.create(local_area=local_area, discipline=discipline, term=term, time_limit_seconds=time_limit,
                                     instance=instance.to_dict(), started_by=started_by)


def planner_run_execute(run: PlannerRun) -> PlannerRun:
    """Solve a stored run, saving progress as it goes and the plan at the end."""
    from fulfil.planning.solver.solve import solve

    run.status, run.progress, run.progress_message = RunStatus.RUNNING, 0, "Starting"
    run.save(update_fields=["status", "progress", "progress_message", "updated_at"])
    last = {"percent": -1}

    def progress(fraction: float, message: str) -> None:
        percent = int(100 * max(0.0, min(1.0, fraction)))
        if percent != last["percent"]:
            last["percent"] = percent
            PlannerRun.objects.filter(pk=run.pk).update(progress=percent, progress_message=message[:200], updated_at=timezone.now())

    try:
        plan = solve(TermInstance.from_dict(run.instance), on_progress=progress)
    except Exception as error:  # the run records why it failed; the page shows it
        logger.exception("planner run %s failed", run.pk)
        run.status, run.error, run.finished_at = RunStatus.FAILED, str(error)[:2000], timezone.now()
        run.save(update_fields=["status", "error", "finished_at", "updated_at"])
        return run
    data = plan.to_dict()
    run.plan, run.stats = data, data["stats"]
    run.status, run.progress, run.progress_message, run.finished_at = RunStatus.FINISHED, 100, "Finished", timezone.now()
    run.save(update_fields=["plan", "stats", "status", "progress", "progress_message", "finished_at", "updated_at"])
    return run


def planner_run_start(run: PlannerRun) -> None:
    """Run in a background thread so the page returns at once and shows progress. Tests (and
    `FULFIL_PLANNER_INLINE`) run it in the request instead. A production deployment with several
    workers should move this to a task queue (ADR 7)."""
    if getattr(settings, "FULFIL_PLANNER_INLINE", False):
        planner_run_execute(run)
        return

    def work() -> None:
        close_old_connections()
        try:
            planner_run_execute(PlannerRun.objects.get(pk=run.pk))
        finally:
            close_old_connections()

    threading.Thread(target=work, name=f"planner-run-{run.pk}", daemon=True).start()


def _lane_times(setting, visit) -> dict[int, dt.time]:
    """Start time of each lane of a visit: lanes run one after another from a quarter of an hour
    after the school day starts, 10 minutes apart; a lane keeps its time all term."""
    lengths: dict[int, int] = {}
    for session in visit.sessions:
        lengths[session.lane] = max(lengths.get(session.lane, 0), session.minutes)
    times, start = {}, dt.datetime.combine(dt.date(2000, 1, 1), setting.day_starts_at) + dt.timedelta(minutes=15)
    for lane in sorted(lengths):
        times[lane] = start.time()
        start += dt.timedelta(minutes=lengths[lane] + 10)
    return times


def planner_run_apply(*, run: PlannerRun, applied_by) -> int:
    """Turn a finished plan into planned sessions. Applying twice adds nothing: the run remembers
    it was applied, and a child already booked that day in the discipline is skipped."""
    from fulfil.delivery.models import Attendance, Session, SessionKind, SessionStatus
    from fulfil.plans.models import ProvisionItem
    from fulfil.schools.models import EducationSetting
    from fulfil.workforce.models import Therapist

    if run.status != RunStatus.FINISHED or not run.plan:
        raise ValidationError("Only a finished plan can be applied")
    with transaction.atomic():
        run = PlannerRun.objects.select_for_update().get(pk=run.pk)
        if run.applied_at:
            return 0
        plan = TermPlan.from_dict(run.plan)
        instance = TermInstance.from_dict(run.instance)
        mondays = {w.index: dt.date.fromisoformat(w.starts_on) for w in instance.weeks if w.starts_on}
        items = {str(i.pk): i for i in ProvisionItem.objects.filter(pk__in=[int(k) for k in plan.planned_sessions])}
        therapists = {str(t.pk): t for t in Therapist.objects.filter(local_area=run.local_area)}
        settings_ = {str(s.pk): s for s in EducationSetting.objects.filter(local_area=run.local_area)}
        booked = set(Attendance.objects.filter(
            child_id__in={i.child_id for i in items.values()}, session__therapist__discipline=run.discipline,
            session__date__gte=min(mondays.values()), session__date__lte=max(mondays.values()) + dt.timedelta(days=4),
        ).exclude(session__status=SessionStatus.REPLACED).values_list("child_id", "session__date"))
        created = 0
        for visit in plan.timetable:
            setting = settings_[visit.setting_id]
            times = _lane_times(setting, visit)
            for session in visit.sessions:
                starts_at = times[session.lane]
                for week in session.weeks:
                    day = mondays[week] + dt.timedelta(days=visit.weekday)
                    children = [items[n] for n in session.need_ids if (items[n].child_id, day) not in booked]
                    if not children:
                        continue
                    row = Session.objects.create(
                        local_area=run.local_area, therapist=therapists[visit.therapist_id], setting=setting, date=day,
                        starts_at=starts_at, minutes=session.minutes, status=SessionStatus.PLANNED,
                        kind=SessionKind.GROUP if session.kind == GROUP else SessionKind.DIRECT,
                    )
                    Attendance.objects.bulk_create([
                        Attendance(session=row, child_id=item.child_id, provision_item=item, minutes=session.minutes) for item in children
                    ])
                    booked.update((item.child_id, day) for item in children)
                    created += 1
        run.applied_at, run.applied_sessions = timezone.now(), created
        run.save(update_fields=["applied_at", "applied_sessions", "updated_at"])
    logger.info("planner run %s applied: %s sessions", run.pk, created)
    return created
