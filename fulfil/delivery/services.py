"""Writes for recording therapy: a school visit in one submit, a whole visit cancelled,
sessions booked (one, weekly, or make-up), rescheduled and corrected, and school programmes.

Every write is one transaction: bad input raises `ValidationError` before anything is saved.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from fulfil.children.models import Child
from fulfil.core.selectors import calendar_for_area
from fulfil.core.signals import ledger_inputs_changed
from fulfil.delivery.booking import Diaries, diary_lock
from fulfil.delivery.models import (
    NOT_SEEN_STATUS,
    Attendance,
    ClinicalNote,
    NotSeenReason,
    Programme,
    ProgrammeTick,
    Session,
    SessionKind,
    SessionRevision,
    SessionStatus,
    VisitRecord,
)
from fulfil.plans.models import ProvisionItem, ProvisionKind
from fulfil.workforce.models import CaseloadAssignment

# The journey the planner assumes between settings when no area setting is passed
# (fulfil.planning.models.PlanningSettings.travel_minutes_per_visit has the same default).
DEFAULT_JOURNEY_MINUTES = 20


# Named without "Error": it is a state the page explains, not a fault.
class VisitAlreadyRecorded(Exception):
    """The visit this form records was recorded already (another tab, the back button, a form
    left open): nothing was saved, and the page opens the recorded visit instead."""

    def __init__(self, visit: VisitRecord | None, message: str):
        super().__init__(message)
        self.visit, self.message = visit, message


def visit_recorded(*, therapist, setting, date: dt.date) -> VisitRecord | None:
    return VisitRecord.objects.filter(therapist=therapist, setting=setting, date=date).select_related("recorded_by").first()


def _already_recorded(visit: VisitRecord) -> VisitAlreadyRecorded:
    who = getattr(visit.recorded_by, "display_name", "") or visit.recorded_by.get_username()
    return VisitAlreadyRecorded(visit, f"This visit was already recorded by {who} on {timezone.localtime(visit.recorded_at):%-d %B %Y at %H:%M}. "
                                       "Nothing was changed; correct the recorded visit below if something is wrong.")

# A delivered session may be corrected freely this long after it was first recorded; after
# that a change is an amendment and needs a reason (both versions are always kept).
CORRECTION_WINDOW = dt.timedelta(hours=24)


class Outcome(models.TextChoices):
    """What happened to one child at a visit, as the visit form offers it."""

    ONE_TO_ONE = "one_to_one", "Seen one-to-one"
    GROUP = "group", "Seen in the group"
    NOT_SEEN = "not_seen", "Not seen"


SEEN = {Outcome.ONE_TO_ONE, Outcome.GROUP}


@dataclass
class ChildOutcome:
    """What happened to one child at a visit."""

    child: Child
    outcome: str  # an Outcome
    provision_item: ProvisionItem | None = None
    minutes: int = 0
    not_seen_reason: str = ""
    clinical_note: str = ""


def _minutes_between(start: dt.time, end: dt.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def children_recordable_by(therapist, *, setting, date: dt.date) -> set[int]:
    """Children this therapist may record at this visit: their own caseload on the day, and
    anyone already booked with them in this slot (a colleague's child they are covering)."""
    caseload = CaseloadAssignment.objects.filter(therapist=therapist, starts_on__lte=date).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=date)
    ).values_list("child_id", flat=True)
    booked = Attendance.objects.filter(
        session__therapist=therapist, session__setting=setting, session__date=date
    ).values_list("child_id", flat=True)
    return set(caseload) | set(booked)


def visit_problems(*, therapist, setting, date: dt.date, starts_at: dt.time, ends_at: dt.time, group_minutes: int | None,
                   rows: list[ChildOutcome], today: dt.date) -> list[tuple[str, str]]:
    """Everything wrong with a visit, as (field, message) pairs a form can show. Empty when the
    visit can be saved."""
    problems = _where_and_when_problems(therapist=therapist, setting=setting, date=date, starts_at=starts_at,
                                        ends_at=ends_at, today=today)
    length = _minutes_between(starts_at, ends_at)
    if length <= 0:
        problems.append(("ends_at", "The visit must end after it starts"))
        length = 0
    seen = [r for r in rows if r.outcome in SEEN]
    if not rows:
        problems.append(("children", "Choose at least one child seen or not seen at this visit"))
    allowed = children_recordable_by(therapist, setting=setting, date=date)
    group = [r for r in rows if r.outcome == Outcome.GROUP]
    if group:
        problems += _group_problems(group_minutes, length=length)
    for row in rows:
        problems += _child_problems(row, therapist=therapist, allowed=allowed, group_minutes=group_minutes, length=length)
    problems += _already_recorded_problems(seen, therapist=therapist, date=date)
    total = sum(r.minutes or 0 for r in seen if r.outcome == Outcome.ONE_TO_ONE) + ((group_minutes or 0) if group else 0)
    if length and total > length and not any(f.startswith("child-") for f, _ in problems):
        problems.append(("ends_at", f"The sessions add up to {total} minutes, longer than the visit ({length} minutes)"))
    return problems


def _where_and_when_problems(*, therapist, setting, date: dt.date, starts_at: dt.time, ends_at: dt.time,
                             today: dt.date) -> list[tuple[str, str]]:
    """A visit is recorded after it happens, at a setting the therapist covers (or was booked
    at that day), within the setting's school day."""
    problems: list[tuple[str, str]] = []
    if date > today:
        problems.append(("date", "The date of the visit must be today or in the past"))
    if setting.pk not in set(therapist.settings_covered.values_list("pk", flat=True)) and not Session.objects.filter(
        therapist=therapist, setting=setting, date=date
    ).exists():
        problems.append(("setting", f"You do not cover {setting.name}; ask your manager to add it to your settings"))
    if starts_at < setting.day_starts_at or ends_at > setting.day_ends_at:
        problems.append(("starts_at", f"{setting.name} is open {setting.day_starts_at:%H:%M} to {setting.day_ends_at:%H:%M}: "
                                      "enter times within the school day"))
    return problems


def _group_problems(group_minutes: int | None, *, length: int) -> list[tuple[str, str]]:
    """A group session has a length, and fits in the visit."""
    if not group_minutes or group_minutes <= 0:
        return [("group_minutes", "Enter how long the group session lasted, in minutes")]
    if length and group_minutes > length:
        return [("group_minutes", f"The group session cannot be longer than the visit ({length} minutes)")]
    return []


def _child_problems(row: ChildOutcome, *, therapist, allowed: set[int], group_minutes: int | None,
                    length: int) -> list[tuple[str, str]]:
    """One child's part: on the therapist's caseload (or booked with them), counted against one
    of the child's own lines in this therapy, a reason if not seen, and minutes seen that are
    more than none and no longer than their group session or the visit."""
    name, field = row.child.full_name, f"child-{row.child.public_id}"
    if row.child.pk not in allowed:
        return [(field, f"{name} is not on your caseload: ask your manager to allocate them first")]
    problems: list[tuple[str, str]] = []
    if row.provision_item is not None and (
        row.provision_item.child_id != row.child.pk or row.provision_item.discipline != therapist.discipline
    ):
        problems.append((field, f"Choose one of {name}'s own {therapist.get_discipline_display()} lines"))
    if row.outcome == Outcome.NOT_SEEN:
        if row.not_seen_reason not in NotSeenReason.values:
            problems.append((field, f"Choose why {name} was not seen"))
        return problems
    if row.minutes is None or row.minutes <= 0:
        problems.append((field, f"Enter the minutes {name} was seen for, more than 0"))
    elif row.outcome == Outcome.GROUP and group_minutes and row.minutes > group_minutes:
        problems.append((field, f"{name}'s minutes cannot be more than the group session ({group_minutes} minutes)"))
    elif row.outcome == Outcome.ONE_TO_ONE and length and row.minutes > length:
        problems.append((field, f"{name}'s minutes cannot be more than the visit ({length} minutes)"))
    return problems


def _already_recorded_problems(seen: list[ChildOutcome], *, therapist, date: dt.date) -> list[tuple[str, str]]:
    """A child seen already has a delivered contact with this therapist that day: the earlier
    one is corrected, not recorded again."""
    already = dict(Attendance.objects.filter(
        child__in=[r.child for r in seen], session__therapist=therapist, session__date=date, delivered_slot__isnull=False,
    ).values_list("child_id", "session__starts_at"))
    problems: list[tuple[str, str]] = []
    for row in seen:
        if row.child.pk in already:
            when = f" at {already[row.child.pk]:%H:%M}" if already[row.child.pk] else ""
            problems.append((f"child-{row.child.public_id}", f"{row.child.full_name} already has a session recorded with you on "
                                                             f"{date:%-d %B %Y}{when}: correct that session instead of recording it again"))
    return problems


def visit_record(*, token: uuid.UUID, therapist, setting, date: dt.date, starts_at: dt.time, ends_at: dt.time,
                 kind: str, summary: str, group_minutes: int | None, rows: list[ChildOutcome], recorded_by,
                 today: dt.date, now: dt.datetime, add_to: VisitRecord | None = None) -> tuple[VisitRecord, bool]:
    """Record a whole visit. Returns (visit, created): the same token twice returns the first
    visit and changes nothing. A visit already recorded by another form (a second tab, the back
    button) raises `VisitAlreadyRecorded` and changes nothing: the database allows one visit
    record per therapist, setting and day, and one delivered contact per child, therapist,
    setting, day and start time.

    Sessions already planned for this therapist at this setting on this day are turned into the
    recorded ones rather than left beside them, so the "missing paperwork" list clears.

    `add_to` records more children at a visit already recorded (a child missed off the first
    form, or the right child after the wrong one was marked recorded in error).
    """
    if add_to is not None:
        if (add_to.therapist_id, add_to.setting_id, add_to.date) != (therapist.pk, setting.pk, date):
            raise ValidationError({"date": "Children can only be added to your own visit, at its setting and on its day"})
        return _visit_add(add_to, therapist=therapist, setting=setting, date=date, kind=kind, group_minutes=group_minutes,
                          rows=rows, recorded_by=recorded_by, today=today, now=now), True
    existing = VisitRecord.objects.filter(token=token).first()
    if existing:
        return existing, False
    recorded = visit_recorded(therapist=therapist, setting=setting, date=date)
    if recorded:
        raise _already_recorded(recorded)
    problems = visit_problems(therapist=therapist, setting=setting, date=date, starts_at=starts_at, ends_at=ends_at,
                              group_minutes=group_minutes, rows=rows, today=today)
    if problems:
        by_field: dict[str, list[str]] = {}
        for field, message in problems:
            by_field.setdefault(field, []).append(message)
        raise ValidationError(by_field)
    try:
        with transaction.atomic():
            visit = VisitRecord.objects.create(
                token=token, local_area_id=therapist.local_area_id, therapist=therapist, setting=setting, date=date,
                starts_at=starts_at, ends_at=ends_at, summary=summary, recorded_by=recorded_by,
            )
            _record_outcomes(visit, kind=kind, group_minutes=group_minutes, rows=rows, recorded_by=recorded_by, now=now)
    except IntegrityError:
        # Another request got there first: the same form twice at once (same token), another
        # form for the same visit, or a child already recorded at that time by another route.
        existing = VisitRecord.objects.filter(token=token).first()
        if existing:
            return existing, False
        recorded = visit_recorded(therapist=therapist, setting=setting, date=date)
        if recorded:
            raise _already_recorded(recorded) from None
        raise ValidationError({"children": "One of these children already has a session recorded with you at this time: "
                                           "correct that session instead of recording it again"}) from None
    return visit, True


def _visit_add(visit: VisitRecord, *, therapist, setting, date, kind, group_minutes, rows, recorded_by, today, now) -> VisitRecord:
    problems = visit_problems(therapist=therapist, setting=setting, date=date, starts_at=visit.starts_at, ends_at=visit.ends_at,
                              group_minutes=group_minutes, rows=rows, today=today)
    at_visit = set(Attendance.objects.filter(session__visit=visit, in_error_at__isnull=True).values_list("child_id", flat=True))
    problems += [(f"child-{r.child.public_id}", f"{r.child.full_name} is already recorded at this visit: correct their session instead")
                 for r in rows if r.child.pk in at_visit]
    if problems:
        by_field: dict[str, list[str]] = {}
        for field, message in problems:
            by_field.setdefault(field, []).append(message)
        raise ValidationError(by_field)
    try:
        with transaction.atomic():
            _record_outcomes(visit, kind=kind, group_minutes=group_minutes, rows=rows, recorded_by=recorded_by, now=now)
    except IntegrityError:
        raise ValidationError({"children": "One of these children already has a session recorded with you at this time: "
                                           "correct that session instead of recording it again"}) from None
    return visit


def _record_outcomes(visit: VisitRecord, *, kind: str, group_minutes: int | None, rows: list[ChildOutcome], recorded_by, now) -> None:
    planned = list(
        Session.objects.select_for_update().filter(
            therapist=visit.therapist, setting=visit.setting, date=visit.date, status=SessionStatus.PLANNED
        ).prefetch_related("attendances")
    )
    booked = {a.child_id: (s, a) for s in planned for a in s.attendances.all()}
    reused: set[int] = set()

    def session_for(children: list[int], **fields) -> Session:
        # Reuse a planned session of one of these children, so the booking becomes the record.
        for child_id in children:
            if child_id in booked and booked[child_id][0].pk not in reused:
                session = booked[child_id][0]
                reused.add(session.pk)
                for name, value in fields.items():
                    setattr(session, name, value)
                session.save()
                return session
        return Session.objects.create(local_area_id=visit.local_area_id, therapist=visit.therapist, setting=visit.setting,
                                      date=visit.date, **fields)

    common = {"visit": visit, "recorded_at": now, "starts_at": visit.starts_at, "cancellation_reason": ""}
    targets: list[tuple[Session, ChildOutcome]] = []
    group = [r for r in rows if r.outcome == Outcome.GROUP]
    if group:
        session = session_for([r.child.pk for r in group], kind=SessionKind.GROUP, status=SessionStatus.DELIVERED,
                              minutes=group_minutes, summary=visit.summary, **common)
        targets += [(session, r) for r in group]
    for row in rows:
        if row.outcome == Outcome.ONE_TO_ONE:
            session = session_for([row.child.pk], kind=kind, status=SessionStatus.DELIVERED, minutes=row.minutes,
                                  summary=visit.summary, **common)
        elif row.outcome == Outcome.NOT_SEEN:
            planned_minutes = booked[row.child.pk][0].minutes if row.child.pk in booked else (getattr(row.provision_item, "minutes", 0) or 0)
            session = session_for([row.child.pk], kind=kind, status=NOT_SEEN_STATUS[NotSeenReason(row.not_seen_reason)], minutes=planned_minutes,
                                  summary="", **{**common, "cancellation_reason": NotSeenReason(row.not_seen_reason).label})
        else:
            continue
        targets.append((session, row))
    for session, row in targets:
        _record_attendance(session, row, booking=booked.get(row.child.pk), recorded_by=recorded_by)
    _retire_replaced([s for s in planned if s.pk not in reused], visit=visit, now=now)
    ledger_inputs_changed.send(Session, child_ids=[row.child.pk for row in rows], today=timezone.localdate(now))


def _record_attendance(session: Session, row: ChildOutcome, *, booking: tuple[Session, Attendance] | None, recorded_by) -> None:
    """A child's part of the session: their booked attendance becomes the record (or a new one is
    made), with the minutes seen, or none and the reason not seen; a clinical note if written."""
    not_seen = row.outcome == Outcome.NOT_SEEN
    fields: dict[str, object] = {
        "session": session, "minutes": 0 if not_seen else row.minutes,
        "not_seen_reason": NotSeenReason(row.not_seen_reason).label if not_seen else "",
    }
    if row.provision_item is not None:
        fields["provision_item"] = row.provision_item
    if booking is not None:
        attendance = booking[1]
        for name, value in fields.items():
            setattr(attendance, name, value)
    else:
        attendance = Attendance(child=row.child, **{"provision_item": row.provision_item, **fields})
    attendance.save()  # save() keeps its delivered_slot in step with the session
    if row.clinical_note.strip():
        ClinicalNote.objects.create(attendance=attendance, text=row.clinical_note.strip(), written_by=recorded_by)


def _retire_replaced(unused: list[Session], *, visit: VisitRecord, now: dt.datetime) -> None:
    """A planned session not reused whose children all moved to another session of this visit is
    marked replaced (kept, never counted), so the visit's bookings are all accounted for."""
    for session in unused:
        if not session.attendances.exists():
            session.status = SessionStatus.REPLACED
            session.recorded_at = now
            session.visit = visit
            session.save(update_fields=["status", "recorded_at", "visit", "updated_at"])


def visit_cancel(*, therapist, setting, date: dt.date, reason: str, cancelled_by, now: dt.datetime) -> int:
    """Cancel every session still planned at this visit (e.g. the therapist is unwell).
    Returns how many; a second call finds none left, so it is safe to repeat."""
    status = NOT_SEEN_STATUS[NotSeenReason(reason)]
    with transaction.atomic():
        planned = Session.objects.filter(therapist=therapist, setting=setting, date=date, status=SessionStatus.PLANNED)
        child_ids = list(Attendance.objects.filter(session__in=planned).values_list("child_id", flat=True))
        cancelled = planned.update(status=status, cancellation_reason=NotSeenReason(reason).label, recorded_at=now, updated_at=now)
        ledger_inputs_changed.send(Session, child_ids=child_ids, today=timezone.localdate(now))
        return cancelled


def sessions_book(*, therapist, provision_item, first_date: dt.date, starts_at: dt.time, minutes: int,
                  repeat_until: dt.date | None = None, make_up: bool = False, today: dt.date, now: dt.datetime,
                  journey_minutes: int = DEFAULT_JOURNEY_MINUTES) -> tuple[list[Session], list[tuple[dt.date, str]]]:
    """Book planned sessions for one provision line: once, or weekly on the same weekday until
    `repeat_until`. Returns (booked, skipped), each skipped date with the reason: a holiday or
    closure, a day the therapist does not work or is on leave, a clash with the therapist's
    diary (journeys included), or a session for this line already booked that day
    (`fulfil.delivery.booking.Diaries`)."""
    setting = provision_item.child.current_setting
    problems = {}
    if setting is None:
        problems["provision_item"] = f"{provision_item.child.full_name} has no current setting; record where they are first"
    elif starts_at < setting.day_starts_at or starts_at >= setting.day_ends_at:
        problems["starts_at"] = (f"{setting.name} is open {setting.day_starts_at:%H:%M} to {setting.day_ends_at:%H:%M}: "
                                 "choose a time in the school day")
    if first_date < today:
        problems["first_date"] = f"The first session must be today or later: today is {today:%-d %B %Y}"
    elif (first_date - today).days > 366:
        problems["first_date"] = "Book at most a year ahead"
    if minutes <= 0 or minutes > 240:
        problems["minutes"] = "Enter the session length in minutes, from 1 to 240"
    if repeat_until and repeat_until < first_date:
        problems["repeat_until"] = "The last date must be on or after the first session"
    if repeat_until and (repeat_until - first_date).days > 366:
        problems["repeat_until"] = "Book at most a year ahead"
    if problems:
        raise ValidationError(problems)
    dates, day = [], first_date
    while day <= (repeat_until or first_date):
        dates.append(day)
        day += dt.timedelta(weeks=1)
    booked, skipped = [], []
    with transaction.atomic():
        diary_lock(local_area_id=therapist.local_area_id, discipline=therapist.discipline, now=now)
        diaries = Diaries(therapists=[therapist], first=dates[0], last=dates[-1], today=today,
                          calendar=calendar_for_area(therapist.local_area), journey_minutes=journey_minutes)
        for day in dates:
            slot = {"therapist": therapist, "setting": setting, "day": day, "starts_at": starts_at, "minutes": minutes,
                    "item_ids": [provision_item.pk]}
            reason = diaries.problem(**slot)
            if reason:
                skipped.append((day, reason))
                continue
            session = Session.objects.create(
                local_area_id=therapist.local_area_id, therapist=therapist, setting=setting, date=day, starts_at=starts_at,
                minutes=minutes, kind=SessionKind.GROUP if provision_item.kind == ProvisionKind.GROUP else SessionKind.DIRECT,
                status=SessionStatus.PLANNED, is_make_up=make_up,
            )
            Attendance.objects.create(session=session, child=provision_item.child, provision_item=provision_item, minutes=minutes)
            diaries.add(**slot)
            booked.append(session)
        ledger_inputs_changed.send(Session, child_ids=[provision_item.child_id], today=today)
    if not booked:
        first_reason = skipped[0][1] if skipped else ""
        raise ValidationError({"first_date": f"Nothing could be booked: {first_reason}. Choose other dates or another time"})
    return booked, skipped


def session_reschedule(*, session: Session, date: dt.date, starts_at: dt.time, today: dt.date, now: dt.datetime,
                       journey_minutes: int = DEFAULT_JOURNEY_MINUTES) -> Session:
    """Move a planned session, if the new day and time are possible for the therapist and the
    child (the same checks as booking; the session's own old place does not count against it)."""
    if session.status != SessionStatus.PLANNED:
        raise ValidationError({"date": "Only a planned session can be moved; record what happened instead"})
    if (date - today).days > 366:
        raise ValidationError({"date": "Move a session at most a year ahead"})
    item_ids = [a.provision_item_id for a in session.attendances.all() if a.provision_item_id]
    with transaction.atomic():
        diary_lock(local_area_id=session.local_area_id, discipline=session.therapist.discipline, now=now)
        diaries = Diaries(therapists=[session.therapist], first=date, last=date, today=today,
                          calendar=calendar_for_area(session.therapist.local_area), journey_minutes=journey_minutes,
                          ignore_session_id=session.pk)
        reason = diaries.problem(therapist=session.therapist, setting=session.setting, day=date, starts_at=starts_at,
                                 minutes=session.minutes, item_ids=item_ids)
        if reason:
            field = "starts_at" if "open" in reason or "already has a session" in reason else "date"
            raise ValidationError({field: f"The session cannot move there: {reason}"})
        session.date, session.starts_at = date, starts_at
        session.save(update_fields=["date", "starts_at", "updated_at"])
        ledger_inputs_changed.send(Session, child_ids=[a.child_id for a in session.attendances.all()], today=today)
    return session


def _snapshot(session: Session) -> dict:
    """Every field a correction can change, so a revision keeps what it replaced."""
    return {
        "status": session.status, "minutes": session.minutes, "summary": session.summary,
        "attendances": {str(a.child_id): {"minutes": a.minutes, "not_seen_reason": a.not_seen_reason,
                                          "provision_item": a.provision_item_id,
                                          "in_error": a.in_error_reason if a.in_error_at else None}
                        for a in session.attendances.order_by("child_id")},
    }


def correction_needs_reason(session: Session, *, now: dt.datetime) -> bool:
    recorded = session.recorded_at or session.created_at
    return now - recorded > CORRECTION_WINDOW


def session_correct(*, session: Session, summary: str, minutes_by_child: dict[int, int], reason: str, changed_by,
                    now: dt.datetime, item_by_child: dict[int, ProvisionItem | None] | None = None) -> SessionRevision | None:
    """Correct a recorded session: the note, each child's minutes and the line each child's time
    counts against. Within 24 hours of recording it is a correction; after that an amendment that
    needs a reason. Either way the earlier version is kept. Saving the same values again records
    nothing (a form sent twice). A child's part recorded in error is not changed here."""
    if session.status in {SessionStatus.PLANNED, SessionStatus.REPLACED}:
        raise ValidationError({"summary": "Only a recorded session can be corrected"})
    item_by_child = item_by_child or {}
    is_amendment = correction_needs_reason(session, now=now)
    problems = {}
    if is_amendment and not reason.strip():
        problems["reason"] = "This session was recorded more than 24 hours ago: give a reason for the amendment"
    for child_id, minutes in minutes_by_child.items():
        if minutes < 0 or minutes > session.minutes:
            problems[f"minutes-{child_id}"] = f"Minutes must be from 0 to the session's {session.minutes}"
    for child_id, item in item_by_child.items():
        if item is not None and (item.child_id != child_id or item.discipline != session.therapist.discipline):
            problems[f"item-{child_id}"] = "Choose one of this child's own lines in this therapy"
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic():
            session = Session.objects.select_for_update().get(pk=session.pk)
            before = _snapshot(session)
            session.summary = summary
            session.save(update_fields=["summary", "updated_at"])
            for attendance in session.attendances.filter(in_error_at__isnull=True):
                if attendance.child_id in minutes_by_child:
                    attendance.minutes = minutes_by_child[attendance.child_id]
                if attendance.child_id in item_by_child:
                    attendance.provision_item = item_by_child[attendance.child_id]
                attendance.save(update_fields=["minutes", "provision_item"])  # and its delivered_slot
            after = _snapshot(session)
            if after == before:
                return None
            ledger_inputs_changed.send(Session, child_ids=[int(c) for c in after["attendances"]], today=timezone.localdate(now))
            return SessionRevision.objects.create(session=session, before=before, after=after, reason=reason.strip(),
                                                  is_amendment=is_amendment, changed_by=changed_by)
    except IntegrityError:
        raise ValidationError({"summary": "A child in this session already has another session recorded with this therapist "
                                          "at the same time and place: mark one of them recorded in error"}) from None


def attendance_mark_in_error(*, session: Session, child_ids: list[int] | None, reason: str, marked_by,
                             now: dt.datetime) -> SessionRevision | None:
    """Mark children's parts of a recorded session (all of them when `child_ids` is None)
    "recorded in error": kept and shown struck through, never counted by the ledger, and the
    place freed so the contact can be recorded correctly. Marking again changes nothing."""
    if session.status in {SessionStatus.PLANNED, SessionStatus.REPLACED}:
        raise ValidationError({"reason": "Only a recorded session can be marked recorded in error; cancel or move a planned one"})
    if not reason.strip():
        raise ValidationError({"reason": "Say why this was recorded in error, for example 'recorded twice' or 'wrong child'"})
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        before = _snapshot(session)
        parts = session.attendances.filter(in_error_at__isnull=True)
        if child_ids is not None:
            parts = parts.filter(child_id__in=child_ids)
        changed = parts.update(in_error_at=now, in_error_reason=reason.strip()[:500], in_error_by=marked_by, delivered_slot=None)
        if not changed:
            return None
        ledger_inputs_changed.send(Session, child_ids=[int(c) for c in before["attendances"]], today=timezone.localdate(now))
        return SessionRevision.objects.create(session=session, before=before, after=_snapshot(session),
                                              reason=f"Recorded in error: {reason.strip()}"[:500],
                                              is_amendment=correction_needs_reason(session, now=now), changed_by=marked_by)


def programme_create(*, therapist, child, provision_item, title: str, instructions: str, times_per_week: int,
                     starts_on: dt.date, ends_on: dt.date | None) -> Programme:
    if child.current_setting_id is None:
        raise ValidationError({"title": f"{child.full_name} has no current setting to run the programme"})
    programme = Programme(local_area_id=therapist.local_area_id, child=child, setting_id=child.current_setting_id,
                          provision_item=provision_item, set_by=therapist, title=title, instructions=instructions,
                          times_per_week=times_per_week, starts_on=starts_on, ends_on=ends_on)
    programme.full_clean()
    programme.save()
    return programme


def programme_ticks_record(*, programme: Programme, done_by_date: dict[dt.date, bool], recorded_by) -> int:
    """Save a week of the tick-sheet. One row per day: saving the same sheet twice changes nothing."""
    with transaction.atomic():
        for day, done in done_by_date.items():
            ProgrammeTick.objects.update_or_create(programme=programme, date=day, defaults={"done": done, "recorded_by": recorded_by})
    return len(done_by_date)
