"""Writes for the term planner: create a run (its input stored), execute it (in the background,
with progress), and apply its plan as planned sessions."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from fulfil.core import clock
from fulfil.core.selectors import calendar_for_area
from fulfil.core.signals import ledger_inputs_changed
from fulfil.delivery.booking import Diaries, diary_lock
from fulfil.delivery.models import Attendance, Session, SessionKind, SessionStatus
from fulfil.planning.instance import term_instance
from fulfil.planning.models import PlannerRun, RunStatus
from fulfil.planning.selectors import journey_minutes_for
from fulfil.planning.solver.schema import GROUP, TermInstance, TermPlan
from fulfil.planning.terms import term_named
from fulfil.plans.models import ProvisionItem
from fulfil.schools.models import EducationSetting
from fulfil.workforce.models import Therapist

logger = logging.getLogger(__name__)


def planner_run_create(*, local_area, discipline: str, term: str, time_limit: int, today: dt.date, started_by=None) -> PlannerRun:
    """Store the planner's input for a term (built from today's records), ready to solve."""
    try:
        term_dates = term_named(term, calendar_for_area(local_area))
    except ValueError as error:
        raise ValidationError({"term": str(error)}) from None
    if not 5 <= time_limit <= 600:
        raise ValidationError({"time_limit_seconds": "Give the planner between 5 and 600 seconds"})
    active = _active_run(local_area, discipline, term)
    if active:
        raise _already_planning(active)
    instance = term_instance(local_area, discipline, term_dates, today=today, time_limit=float(time_limit))
    if not instance.needs:
        raise ValidationError({"term": f"No {discipline.upper()} provision is due or owed in {term}: there is nothing to plan"})
    try:
        with transaction.atomic():
            return PlannerRun.objects.create(local_area=local_area, discipline=discipline, term=term, time_limit_seconds=time_limit,
                                             instance=instance.to_dict(), started_by=started_by)
    except IntegrityError:  # another run for this term started a moment ago
        raise _already_planning(_active_run(local_area, discipline, term)) from None


def _active_run(local_area, discipline: str, term: str) -> PlannerRun | None:
    return PlannerRun.objects.filter(local_area=local_area, discipline=discipline, term=term,
                                     status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).select_related("started_by").first()


def _already_planning(run: PlannerRun | None) -> ValidationError:
    who = f" by {run.started_by.display_name}" if run and run.started_by else ""
    when = f" at {timezone.localtime(run.created_at):%H:%M on %-d %B}" if run else ""
    return ValidationError({"term": f"A {run.get_discipline_display() if run else ''} plan for {run.term if run else 'this term'} is "
                                    f"already being made (started{who}{when}): wait for it to finish, then open it"})


def planner_run_execute(run: PlannerRun) -> PlannerRun:
    """Solve a stored run, saving progress as it goes and the plan at the end."""
    # The solver loads OR-Tools (0.5 s and 57 MB a process): only the worker solves (ADR 18), so
    # the web processes, which import this module for its other services, never load it.
    from fulfil.planning.solver.solve import solve  # noqa: PLC0415 - keeps OR-Tools out of the web processes

    run.status, run.progress, run.progress_message = RunStatus.RUNNING, 0, "Starting"
    run.save(update_fields=["status", "progress", "progress_message", "updated_at"])
    last = {"percent": -1}

    def progress(fraction: float, message: str) -> None:
        percent = int(100 * max(0.0, min(1.0, fraction)))
        if percent != last["percent"]:
            last["percent"] = percent
            PlannerRun.objects.filter(pk=run.pk).update(progress=percent, progress_message=message[:200], updated_at=clock.now())

    try:
        plan = solve(TermInstance.from_dict(run.instance), on_progress=progress)
    except Exception as error:  # the run records why it failed; the page shows it
        logger.exception("planner run %s failed", run.pk)
        run.status, run.error, run.finished_at = RunStatus.FAILED, str(error)[:2000], clock.now()
        run.save(update_fields=["status", "error", "finished_at", "updated_at"])
        return run
    data = plan.to_dict()
    run.plan, run.stats = data, data["stats"]
    run.status, run.progress, run.progress_message, run.finished_at = RunStatus.FINISHED, 100, "Finished", clock.now()
    run.save(update_fields=["plan", "stats", "status", "progress", "progress_message", "finished_at", "updated_at"])
    return run


def planner_run_start(run: PlannerRun) -> None:
    """Hand the run to the job queue once this transaction commits, so the page returns at once
    and shows progress while `fulfil worker` solves it (ADR 18). Tests (and
    `FULFIL_PLANNER_INLINE`) run it in the request instead."""
    if getattr(settings, "FULFIL_PLANNER_INLINE", False):
        planner_run_execute(run)
        return
    from fulfil.planning.tasks import planner_run_job  # noqa: PLC0415 - a cycle: the job calls planner_run_execute here

    transaction.on_commit(lambda: planner_run_job.enqueue(run.pk))


# A run that has said nothing for this long beyond its own time limit has lost its worker.
STALLED_AFTER = dt.timedelta(minutes=10)


def planner_runs_fail_stalled(*, now: dt.datetime) -> int:
    """Mark failed, with the reason, every run whose worker stopped before it finished (a
    restart, a crash, a machine lost): otherwise it would say "Running" for ever and block new
    plans for its term. A manager starts the plan again from its page."""
    failed = 0
    for run in PlannerRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]):
        quiet_since = run.updated_at
        if now - quiet_since > STALLED_AFTER + dt.timedelta(seconds=run.time_limit_seconds):
            PlannerRun.objects.filter(pk=run.pk, status=run.status, updated_at=quiet_since).update(
                status=RunStatus.FAILED, finished_at=now, updated_at=now,
                error=f"The worker running this plan stopped before it finished (nothing heard since "
                      f"{timezone.localtime(quiet_since):%H:%M on %-d %B}). Start the plan again.",
            )
            failed += 1
    return failed


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


@dataclass
class PlannedBooking:
    """One session of a plan on one day, with the children in it."""

    therapist: Therapist
    setting: EducationSetting
    day: dt.date
    starts_at: dt.time
    minutes: int
    kind: str
    items: list[ProvisionItem] = field(default_factory=list)

    def describe(self) -> dict:
        return {"date": f"{self.day:%a %-d %b %Y}", "time": self.starts_at.strftime("%H:%M"), "therapist": self.therapist.full_name,
                "setting": self.setting.name, "minutes": self.minutes, "children": len(self.items)}


@dataclass
class Booking:
    """What booking a plan does: the sessions it books and the ones it skips, each with why."""

    booked: list[PlannedBooking] = field(default_factory=list)
    skipped: list[tuple[PlannedBooking, str]] = field(default_factory=list)

    @property
    def contacts(self) -> int:
        return sum(len(b.items) for b in self.booked)

    @property
    def skipped_contacts(self) -> int:
        return sum(len(b.items) for b, _ in self.skipped)

    @property
    def therapists(self) -> int:
        return len({b.therapist.pk for b in self.booked})

    @property
    def first_day(self) -> dt.date | None:
        return min((b.day for b in self.booked), default=None)

    def report(self) -> dict:
        """Stored on the run, so the result page can say what was booked and why the rest was not."""
        reasons = Counter(_reason_kind(reason) for _, reason in self.skipped)
        return {"booked_sessions": len(self.booked), "booked_contacts": self.contacts, "therapists": self.therapists,
                "first_day": f"{self.first_day:%A %-d %B %Y}" if self.first_day else None,
                "skipped_sessions": len(self.skipped), "skipped_contacts": self.skipped_contacts,
                "skipped_by_reason": reasons.most_common(),
                "skipped": [{**b.describe(), "reason": reason} for b, reason in self.skipped[:SKIPPED_LISTED]]}


# The result page lists this many skipped sessions; the counts by reason cover them all.
SKIPPED_LISTED = 500


def _reason_kind(reason: str) -> str:
    """A skipped session's reason without its names and dates, to count by."""
    for words, kind in (("has passed", "The date has passed"), ("not a teaching day", "Not a teaching day"),
                        ("does not work on", "Not one of the therapist's working days"), ("on leave", "The therapist is on leave"),
                        ("is open", "Outside the setting's school day"), ("already has a session", "Clashes with the therapist's diary"),
                        ("for this line", "The child already has a session for this line that day"),
                        ("works for another service", "Another service's diary (its own manager books it)")):
        if words in reason:
            return kind
    return reason


def _bookings(run: PlannerRun, *, today: dt.date, provider_id: int | None) -> Booking:
    """Every session the plan would book, checked against the diaries as they stand
    (`fulfil.delivery.booking.Diaries`): the same checks a make-up booking passes. Only the
    diaries of the booking manager's own service (`provider_id`) are booked; another service's
    sessions are skipped for their own manager to book."""
    if not run.plan:
        raise ValidationError("Only a finished plan can be booked")
    plan = TermPlan.from_dict(run.plan)
    instance = TermInstance.from_dict(run.instance)
    mondays = {w.index: dt.date.fromisoformat(w.starts_on) for w in instance.weeks if w.starts_on}
    items = {str(i.pk): i for i in ProvisionItem.objects.filter(pk__in=[int(k) for k in plan.planned_sessions]).select_related("child")}
    therapists = {str(t.pk): t for t in Therapist.objects.filter(local_area=run.local_area)}
    settings_ = {str(s.pk): s for s in EducationSetting.objects.filter(local_area=run.local_area)}
    diaries = Diaries(therapists=[t for t in therapists.values() if t.discipline == run.discipline], first=min(mondays.values()),
                      last=max(mondays.values()) + dt.timedelta(days=4), today=today, calendar=calendar_for_area(run.local_area),
                      journey_minutes=journey_minutes_for(run.local_area))
    result = Booking()
    for visit in sorted(plan.timetable, key=lambda v: (v.therapist_id, v.weekday, v.setting_id)):
        setting, therapist = settings_[visit.setting_id], therapists[visit.therapist_id]
        times = _lane_times(setting, visit)
        for session in visit.sessions:
            for week in sorted(session.weeks):
                booking = PlannedBooking(therapist, setting, mondays[week] + dt.timedelta(days=visit.weekday), times[session.lane],
                                         session.minutes, SessionKind.GROUP if session.kind == GROUP else SessionKind.DIRECT,
                                         [items[n] for n in session.need_ids])
                reason = diaries.problem(therapist=therapist, setting=setting, day=booking.day, starts_at=booking.starts_at,
                                         minutes=booking.minutes, item_ids=[])
                if reason is None and provider_id is not None and therapist.provider_id != provider_id:
                    reason = f"{therapist.full_name} works for another service: their own manager books their diary"
                if reason is None:
                    # A child already seen for this line that day is left out; the rest still go.
                    taken = [i for i in booking.items if diaries.line_booked(i.pk, booking.day)]
                    if taken:
                        result.skipped.append((PlannedBooking(therapist, setting, booking.day, booking.starts_at, booking.minutes,
                                                              booking.kind, taken),
                                               f"the child already has a session for this line on {booking.day:%-d %B %Y}"))
                        booking.items = [i for i in booking.items if i not in taken]
                    if not booking.items:
                        continue
                    diaries.add(therapist=therapist, setting=setting, day=booking.day, starts_at=booking.starts_at,
                                minutes=booking.minutes, item_ids=[i.pk for i in booking.items])
                    result.booked.append(booking)
                else:
                    result.skipped.append((booking, reason))
    return result


def planner_run_booking_preview(*, run: PlannerRun, today: dt.date, provider_id: int | None) -> Booking:
    """What booking this plan would do today, without booking anything."""
    if run.status != RunStatus.FINISHED or not run.plan:
        raise ValidationError("Only a finished plan can be booked")
    return _bookings(run, today=today, provider_id=provider_id)


def planner_run_apply(*, run: PlannerRun, applied_by, today: dt.date, now: dt.datetime, provider_id: int | None = None) -> Booking | None:
    """Book a finished plan as planned sessions, skipping (and saying why) anything the diaries
    cannot take. Bookings into one discipline's diaries run one at a time (`diary_lock`), so two
    plans for the same term, or one plan booked twice at once, cannot double-book anyone; a run
    already booked books nothing more and returns None."""
    if run.status != RunStatus.FINISHED or not run.plan:
        raise ValidationError("Only a finished plan can be booked")
    with transaction.atomic():
        diary_lock(local_area_id=run.local_area_id, discipline=run.discipline, now=now)
        run = PlannerRun.objects.select_for_update().get(pk=run.pk)
        if run.applied_at:
            return None
        result = _bookings(run, today=today, provider_id=provider_id)
        for booking in result.booked:
            row = Session.objects.create(
                local_area=run.local_area, therapist=booking.therapist, setting=booking.setting, date=booking.day,
                starts_at=booking.starts_at, minutes=booking.minutes, status=SessionStatus.PLANNED, kind=booking.kind,
            )
            Attendance.objects.bulk_create([
                Attendance(session=row, child_id=item.child_id, provision_item=item, minutes=booking.minutes) for item in booking.items
            ])
        ledger_inputs_changed.send(PlannerRun, child_ids={i.child_id for b in result.booked for i in b.items}, today=today)
        run.applied_at, run.applied_sessions, run.booking_report = now, len(result.booked), result.report()
        run.save(update_fields=["applied_at", "applied_sessions", "booking_report", "updated_at"])
    logger.info("planner run %s booked: %s sessions, %s skipped", run.pk, len(result.booked), len(result.skipped))
    return result
