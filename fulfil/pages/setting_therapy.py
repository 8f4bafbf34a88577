"""The SENCO's therapy page for a setting: this week's visits (delivery), what each pupil is owed
(ledger) and the programmes staff run between visits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from fulfil.accounts.models import User
from fulfil.accounts.scopes import children_visible_to
from fulfil.core.selectors import calendar_for_area
from fulfil.delivery.models import CANCELLED_STATUSES, Attendance, Programme, Session, SessionStatus
from fulfil.delivery.selectors import attendances_shown, monday_of, sessions_visible_to
from fulfil.ledger.positions import child_positions_stored
from fulfil.ledger.selectors import NOT_COUNTABLE
from fulfil.plans.models import ProvisionItem, VersionStatus
from fulfil.schools.models import EducationSetting


@dataclass
class VisitRow:
    session: Session
    shown: list[Attendance]  # the children in it the viewer may see


@dataclass
class LineRow:
    item: ProvisionItem
    position: dict  # the child's, from `child_positions_stored`: state, owed, reason


def setting_therapy(user: User, setting: EducationSetting, *, today: dt.date, now: dt.datetime) -> dict:
    """For a SENCO: this week's visits at the setting, what pupils are due, programmes to run
    between visits, and this term's sessions delivered and cancelled."""
    sessions = sessions_visible_to(user).filter(setting=setting).exclude(status=SessionStatus.REPLACED)
    monday = monday_of(today)
    week_sessions = list(sessions.filter(date__gte=monday, date__lte=monday + dt.timedelta(days=4))
                         .select_related("therapist").order_by("date", "starts_at"))
    shown = attendances_shown(user, week_sessions, now=now)
    week = [VisitRow(session, shown.get(session.pk, [])) for session in week_sessions]
    pupils = children_visible_to(user, now=now).filter(current_setting=setting)
    lines = list(
        ProvisionItem.objects.filter(child__in=pupils, plan_version__status=VersionStatus.FINAL).select_related("child")
        .order_by("child__last_name", "child__first_name", "discipline")
    )
    positions = child_positions_stored(pupils.filter(pk__in={i.child_id for i in lines}), local_area=setting.local_area, today=today)
    items = [LineRow(item, positions.get(item.child_id, NOT_COUNTABLE)) for item in lines]
    programmes = list(
        Programme.objects.filter(setting=setting, child__in=pupils, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)).select_related("child", "set_by")
        .prefetch_related(Prefetch("ticks", to_attr="ticks_list"))
    )
    term = calendar_for_area(setting.local_area).term_containing(today)
    term_start = term.starts_on if term else today - dt.timedelta(weeks=12)
    term_sessions = sessions.filter(date__gte=term_start, date__lte=today)
    by_status = dict(term_sessions.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    recent = list(term_sessions.exclude(status=SessionStatus.PLANNED).select_related("therapist").order_by("-date", "-starts_at")[:30])
    return {
        "week": week, "monday": monday, "items": items, "programmes": programmes, "term": term,
        "delivered": by_status.get(SessionStatus.DELIVERED, 0),
        "cancellations": [(SessionStatus(s).label, by_status.get(s, 0)) for s in CANCELLED_STATUSES],
        "recent": recent,
        "children_shown": [a.child for v in week for a in v.shown] + [i.child for i in lines] + [p.child for p in programmes],
    }
