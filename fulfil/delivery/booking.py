"""Putting sessions in diaries: what makes a booking possible, read once for a range of days.

Every route that books or moves a planned session (a term plan, a make-up booking, a weekly
series, a reschedule) asks `Diaries.problem` and books under `diary_lock`, so none of them can
put a therapist in two places at once, a child in two sessions of one line on one day, or a
session before today, on a day that is not a teaching day, on a day the therapist does not work
or is on leave, or outside the setting's school day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction

from fulfil.core.calendar import AcademicCalendar
from fulfil.delivery.diary import DiaryEntry, clash
from fulfil.delivery.models import CANCELLED_STATUSES, Attendance, DiaryLock, Session, SessionStatus
from fulfil.workforce.models import Absence

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# Sessions that put nobody anywhere: cancelled before they happened, or merged into another.
NOT_IN_DIARY = (*[s for s in CANCELLED_STATUSES if s != SessionStatus.DID_NOT_ATTEND], SessionStatus.REPLACED)


def diary_lock(*, local_area_id: int, discipline: str, now: dt.datetime) -> None:
    """Take the area's booking lock for a discipline until the surrounding transaction ends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("diary_lock holds only inside a transaction: call it in transaction.atomic()")
    if DiaryLock.objects.filter(local_area_id=local_area_id, discipline=discipline).update(locked_at=now):
        return
    try:
        with transaction.atomic():
            DiaryLock.objects.create(local_area_id=local_area_id, discipline=discipline, locked_at=now)
    except IntegrityError:  # created by the other booking a moment ago: wait for it
        DiaryLock.objects.filter(local_area_id=local_area_id, discipline=discipline).update(locked_at=now)


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


class Diaries:
    """The diaries of some therapists from `first` to `last`, as stored, plus what this booking
    adds as it goes. Read inside the booking transaction, after `diary_lock`."""

    def __init__(self, *, therapists: Iterable, first: dt.date, last: dt.date, today: dt.date, calendar: AcademicCalendar,
                 journey_minutes: int, ignore_session_id: int | None = None):

        self.therapists = {t.pk: t for t in therapists}
        self.today, self.calendar, self.journey_minutes = today, calendar, journey_minutes
        self.entries: dict[tuple[int, dt.date], list[DiaryEntry]] = defaultdict(list)
        sessions = (Session.objects.filter(therapist_id__in=self.therapists, date__gte=first, date__lte=last)
                    .exclude(status__in=NOT_IN_DIARY).exclude(pk=ignore_session_id).select_related("setting"))
        for session in sessions:
            self.entries[(session.therapist_id, session.date)].append(self._entry(session.setting, session.starts_at, session.minutes))
        self.line_days: set[tuple[int, dt.date]] = set(
            Attendance.objects.filter(session__therapist__discipline__in={t.discipline for t in self.therapists.values()},
                                      session__date__gte=first, session__date__lte=last, in_error_at__isnull=True,
                                      provision_item__isnull=False)
            .exclude(session__status__in=NOT_IN_DIARY).exclude(session_id=ignore_session_id)
            .values_list("provision_item_id", "session__date")
        )
        self.absences: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
        leave = Absence.objects.filter(therapist_id__in=self.therapists, starts_on__lte=last, ends_on__gte=first)
        for therapist_id, starts, ends in leave.values_list("therapist_id", "starts_on", "ends_on"):
            self.absences[therapist_id].append((starts, ends))

    @staticmethod
    def _entry(setting, starts_at: dt.time | None, minutes: int) -> DiaryEntry:
        name = setting.name if setting else "no setting"
        label = f"{starts_at:%H:%M} at {name}" if starts_at else f"a session at {name}"
        return DiaryEntry(setting.pk if setting else None, starts_at, minutes, label)

    def problem(self, *, therapist, setting, day: dt.date, starts_at: dt.time, minutes: int, item_ids: Iterable[int]) -> str | None:
        """Why this session cannot be booked, in words for the person booking, or None."""
        if day < self.today:
            return f"{day:%-d %B %Y} has passed"
        if not self.calendar.is_teaching_day(day):
            return f"{day:%A %-d %B %Y} is not a teaching day (weekend, holiday or closure)"
        if therapist.weekdays and day.weekday() not in therapist.weekdays:
            return f"{therapist.full_name} does not work on {WEEKDAYS[day.weekday()]}s"
        if any(starts <= day <= ends for starts, ends in self.absences.get(therapist.pk, [])):
            return f"{therapist.full_name} is on leave on {day:%-d %B %Y}"
        if setting is not None and (_minutes(starts_at) < _minutes(setting.day_starts_at)
                                    or _minutes(starts_at) + minutes > _minutes(setting.day_ends_at)):
            return (f"{setting.name} is open {setting.day_starts_at:%H:%M} to {setting.day_ends_at:%H:%M}: "
                    f"a {minutes}-minute session at {starts_at:%H:%M} does not fit")
        other = clash(self.entries.get((therapist.pk, day), []), self._entry(setting, starts_at, minutes),
                      journey_minutes=self.journey_minutes)
        if other is not None:
            elsewhere = other.setting_id != (setting.pk if setting else None)
            journey = f" (too close to allow the {self.journey_minutes}-minute journey)" if elsewhere else ""
            return f"{therapist.full_name} already has a session {other.label} on {day:%-d %B %Y}{journey}"
        if any(self.line_booked(item_id, day) for item_id in item_ids):
            return f"the child already has a session for this line on {day:%-d %B %Y}"
        return None

    def line_booked(self, item_id: int, day: dt.date) -> bool:
        """Whether this provision line already has a session on this day."""
        return (item_id, day) in self.line_days

    def add(self, *, therapist, setting, day: dt.date, starts_at: dt.time, minutes: int, item_ids: Iterable[int]) -> None:
        self.entries[(therapist.pk, day)].append(self._entry(setting, starts_at, minutes))
        self.line_days.update((item_id, day) for item_id in item_ids)

