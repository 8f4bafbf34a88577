"""Reads for the ledger: load the rows once, in bulk, and run the pure ledger over them.

Access is not decided here: callers pass provision items already limited by the domain's
access check (`children_visible_to`), or an area for aggregate-only figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, Min, OuterRef, QuerySet, Subquery

from fulfil.children.models import Child, Enrolment
from fulfil.core.calendar import academic_year_bounds, academic_year_of
from fulfil.core.models import LocalArea
from fulfil.core.selectors import calendar_for_area
from fulfil.delivery.models import Attendance, Session, SessionStatus
from fulfil.ledger.calendar_index import CalendarIndex
from fulfil.ledger.figures import DISCIPLINE_LABELS, DisciplineFigures
from fulfil.ledger.ledger import Contact, LedgerPolicy, Line, LineLedger, Pause, line_ledger
from fulfil.ledger.models import LedgerSettings, ProvisionPause
from fulfil.plans.models import ProvisionItem
from fulfil.workforce.models import CaseloadAssignment, Therapist

STATE_ORDER = {"behind": 0, "at_risk": 1, "not_started": 2, "on_track": 3, "not_countable": 4}
# The position of a child `child_positions` has no countable line for (read-only, shared).
NOT_COUNTABLE = {"state": "not_countable", "owed": 0, "reason": ""}


@dataclass
class LedgerContext:
    """What every ledger in one area needs: its calendar, its rules, and how far ahead the
    service has booked sessions."""

    local_area: LocalArea
    index: CalendarIndex
    policy: LedgerPolicy
    records_from: dt.date
    hourly_rate: Decimal
    booked_until: dict[str, dt.date] = field(default_factory=dict)


# Calendar indexes by area, years and calendar: building one walks every day of the years it
# covers, and an area's term dates change a few times a year, so the few in use are kept.
_INDEXES: dict[tuple, CalendarIndex] = {}


def calendar_index(local_area: LocalArea, first_year: int, last_year: int) -> CalendarIndex:
    calendar = calendar_for_area(local_area)
    key = (local_area.pk, first_year, last_year, tuple(sorted(calendar.terms, key=repr)), tuple(sorted(calendar.closures)))
    index = _INDEXES.get(key)
    if index is None:
        if len(_INDEXES) >= 16:
            _INDEXES.clear()
        index = _INDEXES[key] = CalendarIndex(calendar, first_year, last_year)
    return index


def booked_until(local_area: LocalArea) -> dict[str, dt.date]:
    """How far ahead each discipline has booked: the latest of its therapists' last planned
    sessions, each read backwards along the (therapist, date) index rather than by a scan of
    every session."""
    last_planned = Session.objects.filter(therapist=OuterRef("pk"), status=SessionStatus.PLANNED).order_by("-date").values("date")[:1]
    booked: dict[str, dt.date] = {}
    for discipline, day in Therapist.objects.filter(local_area=local_area).annotate(last=Subquery(last_planned)).values_list(
            "discipline", "last"):
        if day is not None and (discipline not in booked or day > booked[discipline]):
            booked[discipline] = day
    return booked


def ledger_context(local_area: LocalArea, *, start: dt.date, end: dt.date) -> LedgerContext:
    settings = LedgerSettings.objects.filter(local_area=local_area).first()
    if settings is None:
        # An area that has not set its rules gets the defaults, counting from its first
        # recorded session (or this academic year if it has none yet).
        first = Session.objects.filter(local_area=local_area).aggregate(first=Min("date"))["first"]
        settings = LedgerSettings(local_area=local_area, records_from=first or academic_year_bounds(academic_year_of(start))[0])
    return LedgerContext(
        local_area=local_area,
        index=calendar_index(local_area, academic_year_of(min(start, settings.records_from)), academic_year_of(end) + 1),
        policy=LedgerPolicy(settings.cancelled_by_setting, settings.cancelled_by_family, settings.did_not_attend),
        records_from=settings.records_from,
        hourly_rate=settings.independent_hourly_rate,
        booked_until=booked_until(local_area),
    )


def item_ledgers(
    items: QuerySet[ProvisionItem], *, context: LedgerContext, start: dt.date, end: dt.date, today: dt.date
) -> dict[int, LineLedger]:
    """The ledger of each item from `start` (never before the area's records begin) to `end`."""
    start = max(start, context.records_from)
    lines = [
        Line(pk, child_id, discipline, sessions, minutes, period or "", starts_on, ends_on)
        for pk, child_id, discipline, sessions, minutes, period, starts_on, ends_on in items.values_list(
            "pk", "child_id", "discipline", "sessions", "minutes", "period", "starts_on", "ends_on"
        )
    ]
    if not lines:
        return {}
    item_ids = items.values("pk")
    child_ids = items.values("child_id")

    contacts: dict[int, list[Contact]] = defaultdict(list)
    # A child's part recorded in error is kept for the record but never counted.
    rows = Attendance.objects.filter(provision_item_id__in=item_ids, session__date__gte=start, session__date__lte=end,
                                     in_error_at__isnull=True).values_list(
        "provision_item_id", "session_id", "session__date", "session__status", "minutes", "session__minutes",
        "session__starts_at", "session__is_make_up", "child_id", "session__setting__day_starts_at", "session__setting__day_ends_at",
    )
    for item_id, session_id, date, status, minutes, session_minutes, starts_at, make_up, child_id, day_start, day_end in rows.iterator(
        chunk_size=20000
    ):
        day_minutes = None
        if day_start and day_end:
            day_minutes = (day_end.hour * 60 + day_end.minute) - (day_start.hour * 60 + day_start.minute)
        contacts[item_id].append(Contact(session_id, date, status, minutes, session_minutes, starts_at, make_up, child_id, day_minutes))

    on_roll: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for child_id, roll_from, roll_to in Enrolment.objects.filter(child_id__in=child_ids).values_list("child_id", "on_roll_from", "on_roll_to"):
        on_roll[child_id].append((roll_from, roll_to))

    pauses: dict[tuple[int, int | None], list[Pause]] = defaultdict(list)
    for child_id, item_id, p_start, p_end, reason in ProvisionPause.objects.filter(child_id__in=child_ids).values_list(
        "child_id", "provision_item_id", "starts_on", "ends_on", "reason"
    ):
        pauses[(child_id, item_id)].append(Pause(p_start, p_end, reason))

    result = {}
    for line in lines:
        result[line.id] = line_ledger(
            line, contacts.get(line.id, ()), context.index, start=start, end=end, today=today,
            # A child with no enrolment recorded (e.g. a young person not in education) is not
            # excused by it: provision stays due.
            on_roll=on_roll.get(line.child_id), pauses=pauses.get((line.child_id, None), []) + pauses.get((line.child_id, line.id), []),
            policy=context.policy, booked_until=context.booked_until.get(line.discipline),
        )
    return result


def child_ledgers(child, *, today: dt.date) -> tuple[LedgerContext, dict[int, LineLedger]]:
    """Each of the child's lines from the start of records to the end of this academic year."""
    year_end = academic_year_bounds(academic_year_of(today))[1]
    context = ledger_context(child.local_area, start=today, end=year_end)
    items = ProvisionItem.objects.filter(child=child)
    return context, item_ledgers(items, context=context, start=context.records_from, end=year_end, today=today)


def child_positions(children: QuerySet, *, local_area: LocalArea, today: dt.date, discipline: str = "") -> dict[int, dict]:
    """Worst state and total owed per child, for ordering lists "behind first"."""
    year_end = academic_year_bounds(academic_year_of(today))[1]
    context = ledger_context(local_area, start=today, end=year_end)
    items = ProvisionItem.objects.filter(child__in=children.values("pk"))
    if discipline:
        items = items.filter(discipline=discipline)
    ledgers = item_ledgers(items, context=context, start=context.records_from, end=year_end, today=today).values()
    return positions_by_child(
        (ledger.line.id, ledger.line.child_id, ledger.state, ledger.reason, ledger.owed_contacts, ledger.owed_minutes) for ledger in ledgers
    )


def positions_by_child(lines: Iterable[tuple[int, int, str, str, float, float]]) -> dict[int, dict]:
    """A child's position from their lines' (line id, child id, state, reason, sessions owed,
    minutes owed): the worst state and its reason (the first line in that state), sessions and
    hours owed over all lines, and the lines with sessions owed. Lists order children "behind
    first" by it."""
    positions: dict[int, dict] = {}
    for line_id, child_id, state, reason, owed_contacts, owed_minutes in lines:
        current = positions.setdefault(child_id, {"state": "not_countable", "owed": 0.0, "owed_hours": 0.0, "reason": "", "owed_items": []})
        if STATE_ORDER[state] < STATE_ORDER[current["state"]]:
            current["state"], current["reason"] = state, reason
        current["owed"] += owed_contacts
        if owed_contacts > 0:
            current["owed_items"].append(line_id)
        current["owed_hours"] += owed_minutes / 60
    return positions


# -- the cohort shortfall report ---------------------------------------------------------------


def last_complete_year(today: dt.date) -> tuple[dt.date, dt.date]:
    """The period the shortfall report (page and command) and the demo's summary show unless
    asked for another: the last academic year that has ended, so each child's position is final."""
    return academic_year_bounds(academic_year_of(today) - 1)


@dataclass
class ChildShortfall:
    child_id: int
    public_id: str
    name: str
    setting: str
    primary_need: str
    disciplines: list[str]
    due: float
    delivered: int
    owed_contacts: int
    owed_hours: float


@dataclass
class CohortShortfall:
    start: dt.date
    end: dt.date
    hourly_rate: Decimal
    totals: DisciplineFigures
    by_discipline: list[DisciplineFigures]
    children: list[ChildShortfall]
    unquantified_lines: int

    def as_dict(self) -> dict:
        def figures(f: DisciplineFigures) -> dict:
            return {
                "discipline": f.discipline, "children_with_provision": f.children_with_provision,
                "fully_delivered": f.fully_delivered, "short": f.short, "received_none": f.received_none,
                "due_contacts": round(f.due, 1), "pct_contacts_delivered": f.pct_contacts_delivered,
                "owed_hours": round(f.owed_hours, 1), "owed_cost": round(f.owed_cost, 2),
            }

        return {
            "from": self.start.isoformat(), "to": self.end.isoformat(), "hourly_rate": float(self.hourly_rate),
            **{k: v for k, v in figures(self.totals).items() if k != "discipline"},
            "unquantified_lines": self.unquantified_lines,
            "by_discipline": [figures(f) for f in self.by_discipline],
        }




def cohort_shortfall(
    *,
    local_area: LocalArea,
    children: QuerySet,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    discipline: str = "",
    provider_id: int | None = None,
    setting_id: int | None = None,
    need: str = "",
) -> CohortShortfall:
    """Children with statutory provision in the period: fully delivered, short, received none;
    % of due contacts delivered; owed hours and their cost at the independent-market rate.

    The period stands alone: debt from before `start` is not carried in, so the figures answer
    "what was due and delivered in this period".
    """
    items = ProvisionItem.objects.filter(local_area=local_area, child__in=children.values("pk"))
    if discipline:
        items = items.filter(discipline=discipline)
    if setting_id:
        items = items.filter(child__current_setting_id=setting_id)
    if need:
        items = items.filter(child__primary_need=need)
    if provider_id:
        items = items.filter(Exists(CaseloadAssignment.objects.filter(
            child=OuterRef("child"), discipline=OuterRef("discipline"), therapist__provider_id=provider_id)))
    context = ledger_context(local_area, start=start, end=end)
    as_of = min(today, end + dt.timedelta(days=1))
    ledgers = item_ledgers(items, context=context, start=start, end=end, today=as_of)
    rate = float(context.hourly_rate)

    per_child: dict[tuple[str, int], list[LineLedger]] = defaultdict(list)
    unquantified = 0
    for ledger in ledgers.values():
        if not ledger.line.is_countable:
            unquantified += 1
            continue
        if ledger.due >= 0.5:
            per_child[(ledger.line.discipline, ledger.line.child_id)].append(ledger)

    figures = {d: DisciplineFigures(d, label) for d, label in DISCIPLINE_LABELS.items()}
    totals = DisciplineFigures("all", "All therapies")
    child_totals: dict[int, dict] = {}
    for (disc, child_id), child_lines in per_child.items():
        f = figures[disc]
        due = sum(line.due for line in child_lines)
        delivered = sum(line.delivered for line in child_lines)
        # Short, owed sessions and owed hours all come from the ledger's whole sessions owed
        # (`ledger.is_behind`), so a child who is not short owes no hours and no cost.
        owed = sum(line.owed_contacts for line in child_lines)
        short = any(line.is_behind for line in child_lines)
        owed_hours = sum(line.owed_minutes for line in child_lines) / 60
        f.children_with_provision += 1
        f.due += due
        f.delivered_within_due += sum(min(line.delivered, line.due) for line in child_lines)
        f.owed_hours += owed_hours
        if short:
            f.short += 1
        else:
            f.fully_delivered += 1
        if delivered == 0 and due >= 1:
            f.received_none += 1
        entry = child_totals.setdefault(child_id, {"due": 0.0, "delivered": 0, "owed": 0, "hours": 0.0, "disciplines": set(), "short": False})
        entry["due"] += due
        entry["delivered"] += delivered
        entry["owed"] += owed
        entry["hours"] += owed_hours
        entry["disciplines"].add(disc)
        entry["short"] |= short
    for f in figures.values():
        f.owed_cost = f.owed_hours * rate

    # Totals count children once, across therapies.
    totals.children_with_provision = len(child_totals)
    totals.short = sum(1 for e in child_totals.values() if e["short"])
    totals.fully_delivered = totals.children_with_provision - totals.short
    totals.received_none = sum(1 for e in child_totals.values() if e["delivered"] == 0 and e["due"] >= 1)
    totals.due = sum(f.due for f in figures.values())
    totals.delivered_within_due = sum(f.delivered_within_due for f in figures.values())
    totals.owed_hours = sum(f.owed_hours for f in figures.values())
    totals.owed_cost = totals.owed_hours * rate

    short_ids = [cid for cid, e in child_totals.items() if e["short"]]
    details = {
        c.pk: c for c in Child.objects.filter(pk__in=short_ids).select_related("current_setting").only(
            "pk", "public_id", "first_name", "last_name", "primary_need", "current_setting__name")
    }
    affected = [
        ChildShortfall(
            child_id=cid, public_id=str(child.public_id), name=f"{child.last_name}, {child.first_name}",
            setting=child.current_setting.name if child.current_setting else "Not in a setting",
            primary_need=child.primary_need, disciplines=sorted(child_totals[cid]["disciplines"]),
            due=child_totals[cid]["due"], delivered=child_totals[cid]["delivered"],
            owed_contacts=child_totals[cid]["owed"], owed_hours=child_totals[cid]["hours"],
        )
        for cid in short_ids if (child := details.get(cid)) is not None
    ]
    affected.sort(key=lambda c: (-c.owed_hours, c.name))
    return CohortShortfall(
        start=start, end=end, hourly_rate=context.hourly_rate, totals=totals,
        by_discipline=[f for f in figures.values() if f.children_with_provision or f.discipline == discipline],
        children=affected, unquantified_lines=unquantified,
    )
