"""Reads of sessions, visits and programmes. `sessions_visible_to` is the delivery domain's one
access check; clinical notes have their own, narrower one (`clinical_notes_visible_to`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fulfil.accounts.models import Role, User
from fulfil.accounts.policy import Capability, roles_with
from fulfil.accounts.scopes import children_visible_to, therapists_visible_to
from fulfil.core.selectors import calendar_for_area
from fulfil.delivery.models import (
    CANCELLED_STATUSES,
    Attendance,
    ClinicalNote,
    Programme,
    Session,
    SessionStatus,
    VisitRecord,
)
from fulfil.plans.models import ProvisionItem, VersionStatus
from fulfil.schools.models import EducationSetting
from fulfil.workforce.models import CaseloadAssignment

# Read from the one capability policy (fulfil.accounts.policy).
RECORDING_ROLES = roles_with(Capability.RECORD_SESSIONS)
# Who may correct a recorded session or mark it recorded in error (of the sessions they can see).
CORRECTING_ROLES = roles_with(Capability.CORRECT_SESSIONS)
# A planned session not recorded this long after it was due is "missing paperwork".
PAPERWORK_DUE_AFTER = dt.timedelta(hours=48)


def sessions_visible_to(user: User) -> QuerySet[Session]:
    """Sessions this user may open. Deny by default."""
    if not user.is_authenticated or user.local_area_id is None:
        return Session.objects.none()
    base = Session.objects.filter(local_area_id=user.local_area_id)
    if user.role == Role.COUNCIL_OFFICER:
        return base
    if user.role == Role.SERVICE_MANAGER and user.provider_id:
        return base.filter(therapist__provider_id=user.provider_id)
    if user.role == Role.THERAPIST and (me := user.therapist) is not None:
        return base.filter(therapist__provider_id=me.provider_id, therapist__discipline=me.discipline)
    if user.role == Role.SENCO and user.setting_id:
        return base.filter(setting_id=user.setting_id)
    return Session.objects.none()


def session_get_for_user(user: User, pk: int) -> Session:
    try:
        return sessions_visible_to(user).select_related("therapist", "setting", "visit").get(pk=pk)
    except Session.DoesNotExist:
        raise Http404("No session found") from None


def visit_get_for_user(user: User, public_id) -> VisitRecord:
    visible = sessions_visible_to(user)
    try:
        visit = VisitRecord.objects.select_related("therapist", "setting").get(public_id=public_id, local_area_id=user.local_area_id)
    except (VisitRecord.DoesNotExist, ValueError, TypeError):
        raise Http404("No visit found") from None
    if not visible.filter(visit=visit).exists():
        raise Http404("No visit found")
    return visit


def clinical_notes_visible_to(user: User) -> QuerySet[ClinicalNote]:
    """Only therapists in the child's service (the session's provider and discipline) read
    clinical notes; managers, settings, families and commissioners never do."""
    me = user.therapist if user.is_authenticated and user.role == Role.THERAPIST else None
    if me is None:
        return ClinicalNote.objects.none()
    return ClinicalNote.objects.filter(
        attendance__session__local_area_id=user.local_area_id,
        attendance__session__therapist__provider_id=me.provider_id,
        attendance__session__therapist__discipline=me.discipline,
    )


def attendances_shown(user: User, sessions, *, now: dt.datetime) -> dict[int, list[Attendance]]:
    """The children in these sessions that the viewer may see, by session."""
    visible = set(children_visible_to(user, now=now).values_list("pk", flat=True))
    rows = (
        Attendance.objects.filter(session__in=sessions, child_id__in=visible)
        .select_related("child", "provision_item").order_by("child__last_name", "child__first_name")
    )
    by_session: dict[int, list[Attendance]] = defaultdict(list)
    for attendance in rows:
        by_session[attendance.session_id].append(attendance)
    return by_session


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass
class VisitSlot:
    """One setting on one day of a therapist's week."""

    date: dt.date
    setting: EducationSetting | None  # Session.setting may be empty
    sessions: list[Session] = field(default_factory=list)
    attendances: list[Attendance] = field(default_factory=list)

    @property
    def planned(self) -> int:
        return sum(1 for s in self.sessions if s.status == SessionStatus.PLANNED)

    @property
    def recorded(self) -> bool:
        return self.planned == 0

    @property
    def visit(self):
        """The visit record this slot was recorded in, if it was recorded as a visit."""
        return next((s.visit for s in self.sessions if s.visit_id), None)

    @property
    def starts_at(self):
        times = [s.starts_at for s in self.sessions if s.starts_at]
        return min(times) if times else None


def therapist_week(user: User, therapist, monday: dt.date, *, now: dt.datetime) -> list[tuple[dt.date, list[VisitSlot]]]:
    """The therapist's sessions Monday to Friday, by day and setting."""
    days = [monday + dt.timedelta(days=i) for i in range(5)]
    sessions = list(
        sessions_visible_to(user).filter(therapist=therapist, date__in=days).exclude(status=SessionStatus.REPLACED)
        .select_related("setting", "visit").order_by("date", "starts_at")
    )
    shown = attendances_shown(user, sessions, now=now)
    slots: dict[tuple, VisitSlot] = {}
    for session in sessions:
        slot = slots.setdefault((session.date, session.setting_id), VisitSlot(session.date, session.setting))
        slot.sessions.append(session)
        slot.attendances.extend(shown.get(session.pk, []))
    def order(slot: VisitSlot):
        return (slot.starts_at or dt.time(0), slot.setting.name if slot.setting else "")

    return [(day, sorted((s for s in slots.values() if s.date == day), key=order)) for day in days]


def visit_children(user: User, therapist, setting, date: dt.date, *, now: dt.datetime) -> list[dict[str, Any]]:
    """Rows for the visit form: children booked with this therapist at this setting that day
    first (with what was booked), then the rest of their caseload on roll there. Each row is a
    dict (`child`, `session`, `item`, `recorded`, `items`) that the form's view adds its fields to."""
    visible = children_visible_to(user, now=now)
    booked = (
        Attendance.objects.filter(session__therapist=therapist, session__setting=setting, session__date=date, child__in=visible)
        .filter(in_error_at__isnull=True)
        .exclude(session__status=SessionStatus.REPLACED).select_related("child", "session", "provision_item")
    )
    caseload_ids = CaseloadAssignment.objects.filter(therapist=therapist, starts_on__lte=date).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=date)
    ).values_list("child_id", flat=True)
    others = visible.filter(pk__in=caseload_ids, current_setting=setting).order_by("last_name", "first_name")
    first_booking: dict[int, Attendance] = {}
    for attendance in booked:
        first_booking.setdefault(attendance.child_id, attendance)
    bookings = sorted(first_booking.values(), key=lambda a: (a.session.starts_at or dt.time(0), a.child.last_name))
    # A child whose session here is already recorded is shown as recorded, never offered for
    # recording again: a correction goes through the recorded session.
    rows: list[dict[str, Any]] = [
        {"child": a.child, "session": a.session, "item": a.provision_item,
         "recorded": a.session if a.session.status != SessionStatus.PLANNED else None}
        for a in bookings
    ]
    rows += [{"child": child, "session": None, "item": None, "recorded": None} for child in others if child.pk not in first_booking]
    items = ProvisionItem.objects.filter(
        child__in=[r["child"] for r in rows], discipline=therapist.discipline, plan_version__status=VersionStatus.FINAL
    ).order_by("pk")
    items_by_child: dict[int, list[ProvisionItem]] = defaultdict(list)
    for item in items:
        items_by_child[item.child_id].append(item)
    for row in rows:
        row["items"] = items_by_child.get(row["child"].pk, [])
        if row["item"] is None and row["items"]:
            row["item"] = row["items"][0]
    return rows


def missing_paperwork(sessions: QuerySet[Session], *, now: dt.datetime) -> QuerySet[Session]:
    """Planned sessions more than 48 hours past their start and still not recorded."""
    cutoff = timezone.localtime(now - PAPERWORK_DUE_AFTER)
    return sessions.filter(status=SessionStatus.PLANNED).filter(
        Q(date__lt=cutoff.date()) | Q(date=cutoff.date(), starts_at__lte=cutoff.time())
    ).select_related("therapist", "setting").order_by("date", "starts_at")


def service_activity(user: User, *, today: dt.date, now: dt.datetime, weeks: int = 6) -> dict:
    """For a service manager: sessions recorded per therapist per week, cancellations by cause
    this term, and the missing-paperwork list."""
    sessions = sessions_visible_to(user)
    this_monday = monday_of(today)
    mondays = [this_monday - dt.timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]
    therapists = list(therapists_visible_to(user).order_by("discipline", "last_name", "first_name"))
    recorded = (
        sessions.filter(date__gte=mondays[0], date__lte=this_monday + dt.timedelta(days=6))
        .exclude(status__in=[SessionStatus.PLANNED, SessionStatus.REPLACED])
        .values_list("therapist_id", "date")
    )
    per_week: Counter = Counter()
    for therapist_id, day in recorded:
        per_week[(therapist_id, monday_of(day))] += 1
    rows = [{"therapist": t, "weeks": [per_week[(t.pk, m)] for m in mondays], "total": sum(per_week[(t.pk, m)] for m in mondays)}
            for t in therapists]
    term = calendar_for_area(user.local_area).term_containing(today) if user.local_area is not None else None
    term_start = term.starts_on if term else today - dt.timedelta(weeks=12)
    causes = dict(
        sessions.filter(date__gte=term_start, date__lte=today, status__in=CANCELLED_STATUSES)
        .values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    delivered = sessions.filter(date__gte=term_start, date__lte=today, status=SessionStatus.DELIVERED).count()
    cancellations = [(SessionStatus(s).label, causes.get(s, 0)) for s in CANCELLED_STATUSES]
    return {
        "mondays": mondays, "rows": rows, "term": term, "term_start": term_start, "delivered": delivered,
        "cancellations": cancellations, "cancelled_total": sum(n for _, n in cancellations),
        "missing": missing_paperwork(sessions, now=now),
    }


def programme_get_for_user(user: User, pk: int, *, now: dt.datetime) -> Programme:
    """School staff of the programme's setting and therapists of its service may open it."""
    visible_children = children_visible_to(user, now=now)
    programmes = Programme.objects.filter(local_area_id=user.local_area_id, child__in=visible_children)
    if user.role == Role.SENCO:
        programmes = programmes.filter(setting_id=user.setting_id)
    elif user.role != Role.THERAPIST:
        programmes = programmes.none()
    try:
        return programmes.select_related("child", "setting", "set_by").get(pk=pk)
    except Programme.DoesNotExist:
        raise Http404("No programme found") from None
