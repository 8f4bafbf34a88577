"""The provision ledger: what is due, delivered and owed on each therapy line of a plan.

Statutory source: Children and Families Act 2014 s.42(2) - the local authority must secure
the special educational provision specified in the plan (Section F); s.42(3) - the health
commissioner must arrange the health care provision specified (Section G). The duty is
absolute: a shortage of therapists is no defence, so provision missed for the provider's
reasons stays owed until it is made up. SEND Code of Practice 2015, para 9.69: provision must
be specified and quantified (frequency, duration), which is what makes it countable here.

Pure functions over plain data (no Django): `fulfil.ledger.selectors` loads the rows.

Rules, in plain words:
- Due: `sessions` per `period`, spread evenly over teaching days (see `calendar_index`),
  only while the line is in force, the child is on roll (when enrolment is known) and no
  recorded exception pauses the clock.
- Delivered: delivered sessions in which the child was seen, counted against the line.
- Owed: settled block by block (the line's own period, or half-terms for weekly lines). In each
  block the debt grows by what fell due and shrinks by what was delivered; it never goes below
  zero, so over-delivery does not bank credit, and a shortfall carries forward until made up.
- Behind (a line) and short (a child, in a therapy: any of their lines behind): at least one
  whole session owed (`is_behind`); every page, report, export and command counts with it, and
  owed hours and their cost are those whole sessions' minutes. Why whole sessions: the plan
  quantifies provision in sessions (Code of Practice para 9.69), while due is spread pro rata
  over teaching days, so a line that starts mid-term, or a period that ends mid-block, falls
  due in parts of a session that no one could have delivered; a part carries forward in the
  settlement and becomes owed once it adds up to a whole session. A session belongs to one
  line, so parts owed on two lines never make a session owed.
- Cancellations by the provider are owed. Cancellations by the setting or family and
  did-not-attend follow the area's policy: owed, not owed, or not owed but listed for review.
- A recorded contact that cannot be right (non-teaching day, longer than the school day,
  after the line ended, recorded twice, or another child's line) is reported, not counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from fulfil.delivery.statuses import SessionStatus
from fulfil.ledger.calendar_index import CalendarIndex

# A shortfall smaller than this (in contacts) is rounding from pro rata, not a missed session.
WHOLE_CONTACT = 0.999


def sessions_owed(owed: float) -> int:
    """Whole sessions owed on a line whose running debt is `owed` (see "Behind" above): the
    number pages, reports, exports and commands show, and the one owed hours are counted from."""
    return int(owed + 1 - WHOLE_CONTACT)


def is_behind(owed: float) -> bool:
    """The one definition of "behind" (a line) and "short" (a child: any of their lines behind):
    at least one whole session owed. Used by the ledger's own state, the shortfall report and its
    exports and command (`selectors.cohort_shortfall`, `bulk.area_figures`), the generator's
    summary and the child, caseload and planning pages."""
    return sessions_owed(owed) >= 1


@dataclass(frozen=True)
class LedgerPolicy:
    """How each kind of cancellation counts. Values: "owed", "not_owed" or "review"
    ("review" = not owed in the figures, listed for someone to decide)."""

    cancelled_by_setting: str = "review"
    cancelled_by_family: str = "review"
    did_not_attend: str = "review"


@dataclass(frozen=True)
class Line:
    """One provision item, as the ledger needs it."""

    id: int
    child_id: int
    discipline: str
    sessions: int | None
    minutes: int | None
    period: str
    starts_on: dt.date
    ends_on: dt.date | None = None

    @property
    def is_countable(self) -> bool:
        return bool(self.sessions and self.period)


@dataclass(frozen=True)
class Contact:
    """One child's part in one recorded session, counted against a line."""

    session_id: int
    date: dt.date
    status: str  # a `SessionStatus` value
    minutes: int  # minutes this child was seen (0 if not seen)
    session_minutes: int
    starts_at: dt.time | None = None
    is_make_up: bool = False
    child_id: int | None = None  # the child in the attendance row (checked against the line)
    day_minutes: int | None = None  # length of the setting's school day, if known


@dataclass(frozen=True)
class Pause:
    """A recorded pause of the clock (the council's decision, e.g. while the child was in
    hospital; see `services.provision_pause_record`)."""

    starts_on: dt.date
    ends_on: dt.date
    reason: str


@dataclass
class BlockPosition:
    label: str
    starts_on: dt.date
    ends_on: dt.date
    due: float
    delivered: int
    owed_after: float

    @property
    def is_behind(self) -> bool:
        return is_behind(self.owed_after)


class HorizonKind(StrEnum):
    """Which block a forecast looks to the end of (the kinds in `calendar_index.BLOCK_PERIODS`)."""

    HALF_TERM = "half_term"
    TERM = "term"
    YEAR = "year"


@dataclass
class Forecast:
    kind: HorizonKind
    horizon: str  # for display, e.g. "end of Autumn 2026/27"
    ends_on: dt.date
    due_by_then: float
    projected_delivered: float
    projected_owed: float

    @property
    def sessions_short(self) -> int:
        """Whole sessions projected to be owed by then (0 when on track): the same rule as owed."""
        return sessions_owed(self.projected_owed)


@dataclass
class LineLedger:
    line: Line
    start: dt.date
    end: dt.date
    due: float = 0.0
    due_minutes: float = 0.0
    delivered: int = 0
    delivered_minutes: int = 0
    made_up: int = 0
    owed: float = 0.0
    owed_minutes: float = 0.0
    cancelled_by_provider: int = 0
    cancelled_by_setting: int = 0
    cancelled_by_family: int = 0
    did_not_attend: int = 0
    not_seen: int = 0
    to_review: int = 0
    excused: int = 0
    planned: int = 0
    problems: list[str] = field(default_factory=list)
    blocks: list[BlockPosition] = field(default_factory=list)
    forecasts: list[Forecast] = field(default_factory=list)
    state: str = "on_track"
    reason: str = ""

    @property
    def owed_contacts(self) -> int:
        """Whole contacts owed (a fraction from pro rata is not a missed session yet)."""
        return sessions_owed(self.owed)

    @property
    def is_behind(self) -> bool:
        return is_behind(self.owed)

    @property
    def pct_delivered(self) -> float | None:
        return None if self.due < 0.5 else min(100.0, 100.0 * self.delivered / self.due)


STATE_LABELS = {
    "on_track": "On track",
    "at_risk": "At risk",
    "behind": "Behind",
    "not_started": "Not started",
    "not_countable": "Cannot be counted",
}


def _merged(spans: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Overlapping or touching spans as one. A child on roll at two settings at once (dual
    registration, or a move recorded with the old school's end after the new one's start) is
    owed the plan's provision once, not once per setting."""
    merged: list[tuple[dt.date, dt.date]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _intervals(line: Line, start: dt.date, end: dt.date, on_roll: list[tuple[dt.date, dt.date | None]] | None,
               pauses: Iterable[Pause]) -> list[tuple[dt.date, dt.date]]:
    """Date intervals in which the line's provision falls due."""
    lo = max(start, line.starts_on)
    hi = min(end, line.ends_on) if line.ends_on else end
    if lo > hi:
        return []
    spans = [(lo, hi)]
    if on_roll is not None:
        clipped = []
        for roll_from, roll_to in on_roll:
            a, b = max(lo, roll_from), min(hi, roll_to or hi)
            if a <= b:
                clipped.append((a, b))
        spans = _merged(clipped)
    for pause in pauses:
        next_spans = []
        for a, b in spans:
            if pause.ends_on < a or pause.starts_on > b:
                next_spans.append((a, b))
                continue
            if a < pause.starts_on:
                next_spans.append((a, pause.starts_on - dt.timedelta(days=1)))
            if pause.ends_on < b:
                next_spans.append((pause.ends_on + dt.timedelta(days=1), b))
        spans = next_spans
    return spans


def _due(index: CalendarIndex, line: Line, spans: list[tuple[dt.date, dt.date]], start: dt.date, end: dt.date) -> float:
    total = 0.0
    for a, b in spans:
        a, b = max(a, start), min(b, end)
        if a <= b:
            total += index.due_weight(line.period, a, b)
    return total * (line.sessions or 0)


def _problem(line: Line, contact: Contact, index: CalendarIndex, seen: set) -> str | None:
    """Why a recorded contact cannot be counted, or None if it can."""
    when = contact.date.strftime("%-d %b %Y")
    if contact.child_id is not None and contact.child_id != line.child_id:
        return f"Session on {when} is recorded against another child's provision line"
    if not index.is_teaching_day(contact.date):
        return f"Session on {when} is on a day that is not a teaching day"
    if contact.day_minutes is not None and contact.session_minutes > contact.day_minutes:
        return f"Session on {when} is longer ({contact.session_minutes} minutes) than the setting's school day"
    if line.ends_on and contact.date > line.ends_on:
        return f"Session on {when} is after this line ended on {line.ends_on.strftime('%-d %b %Y')}"
    if contact.date < line.starts_on:
        return f"Session on {when} is before this line started on {line.starts_on.strftime('%-d %b %Y')}"
    key = (contact.date, contact.starts_at, contact.status)
    if key in seen:
        return f"Session on {when} is recorded twice"
    seen.add(key)
    return None


def line_ledger(
    line: Line,
    contacts: Iterable[Contact],
    index: CalendarIndex,
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date | None = None,
    on_roll: list[tuple[dt.date, dt.date | None]] | None = None,
    pauses: Iterable[Pause] = (),
    policy: LedgerPolicy = LedgerPolicy(),
    booked_until: dt.date | None = None,
) -> LineLedger:
    """The ledger of one line from `start` to `end` (inclusive), as known on `today`.

    Due is counted up to the earlier of `end` and the day before `today` (nothing is owed for
    a session that can still happen today); forecasts look from `today` to the end of the
    half-term, term and academic year. `booked_until` is how far ahead the service books
    sessions (the latest planned session in the area); without it, the line's own last
    planned session.
    """
    today = today or end + dt.timedelta(days=1)
    pauses = list(pauses)
    ledger = LineLedger(line=line, start=start, end=end)
    if not line.is_countable:  # not quantified (Code of Practice para 9.69): contacts are counted, due is not
        ledger.state = "not_countable"
        ledger.reason = "The plan does not say how often, so what is due cannot be counted"
    counted_to = min(end, today - dt.timedelta(days=1))
    # Due only while the line is in force, the child is on roll and no pause stops the clock.
    spans = _intervals(line, start, end, on_roll, pauses)
    planned_dates, credits, recent = _record_contacts(ledger, contacts, index, start=start, end=end, today=today,
                                                      policy=policy)
    if not line.is_countable:
        return ledger
    _settle(ledger, index, spans, credits, start=start, counted_to=counted_to)
    if booked_until is None and planned_dates:
        booked_until = max(planned_dates)
    _forecast(ledger, index, spans, today, end, planned_dates, recent, booked_until)
    _state(ledger, today)
    return ledger


def _record_contacts(ledger: LineLedger, contacts: Iterable[Contact], index: CalendarIndex, *, start: dt.date,
                     end: dt.date, today: dt.date, policy: LedgerPolicy,
                     ) -> tuple[list[dt.date], list[tuple[dt.date, bool]], tuple[int, int]]:
    """Count the line's contacts from `start` to `end`, in time order, onto the ledger.

    A planned session from `today` on is booked (it counts towards the forecast, not the
    debt). A recorded contact that cannot be right is reported, not counted (`_problem`);
    the rest count by their status (`_credit`). Returns the booked dates, the credits
    against what falls due ((date, delivered) each: a delivered session, or one excused
    under the area's policy), and the recent record the forecast's rates come from
    (delivered and recorded in the six weeks before `today`).
    """
    recent_from = today - dt.timedelta(weeks=6)
    recent_delivered = recent_booked = 0
    planned_dates: list[dt.date] = []
    seen: set = set()
    credits: list[tuple[dt.date, bool]] = []
    for contact in sorted(contacts, key=lambda c: (c.date, c.starts_at or dt.time(0), c.session_id)):
        if contact.date < start or contact.date > end:
            continue
        if contact.status == SessionStatus.PLANNED:
            if contact.date >= today:
                ledger.planned += 1
                planned_dates.append(contact.date)
            continue
        problem = _problem(ledger.line, contact, index, seen)
        if problem:
            ledger.problems.append(problem)
            continue
        if recent_from <= contact.date < today:
            recent_booked += 1
            recent_delivered += contact.status == SessionStatus.DELIVERED and contact.minutes > 0
        credit = _credit(ledger, contact, policy)
        if credit is not None:
            credits.append(credit)
    return planned_dates, credits, (recent_delivered, recent_booked)


def _credit(ledger: LineLedger, contact: Contact, policy: LedgerPolicy) -> tuple[dt.date, bool] | None:
    """Count one recorded contact by its status; return its credit against what falls due
    ((date, delivered)), or None if it adds to the debt.

    - Delivered, and the child was seen: delivered, and credited.
    - Cancelled by the provider: owed. The duty to secure the provision is absolute
      (Children and Families Act 2014 s.42), so the provider's reasons are no defence.
    - Cancelled by the setting or the family, did not attend, or not seen in a session that
      went ahead (e.g. absent from school on the day of a group, which counts as did not
      attend): the area's policy decides (`_excused`).
    """
    if contact.status == SessionStatus.DELIVERED and contact.minutes > 0:
        ledger.delivered += 1
        ledger.delivered_minutes += contact.minutes
        ledger.made_up += contact.is_make_up
        return contact.date, True
    if contact.status == SessionStatus.DELIVERED:
        ledger.not_seen += 1
        return _excused(ledger, contact, policy.did_not_attend)
    if contact.status == SessionStatus.CANCELLED_BY_PROVIDER:
        ledger.cancelled_by_provider += 1
        return None
    counter, rule = {
        SessionStatus.CANCELLED_BY_SETTING.value: ("cancelled_by_setting", policy.cancelled_by_setting),
        SessionStatus.CANCELLED_BY_FAMILY.value: ("cancelled_by_family", policy.cancelled_by_family),
        SessionStatus.DID_NOT_ATTEND.value: ("did_not_attend", policy.did_not_attend),
    }.get(contact.status, ("", "owed"))
    if counter:
        setattr(ledger, counter, getattr(ledger, counter) + 1)
    return _excused(ledger, contact, rule)


def _excused(ledger: LineLedger, contact: Contact, rule: str) -> tuple[dt.date, bool] | None:
    """A session missed not by the provider's doing, under the policy's `rule` for it: "owed"
    adds to the debt (None); "not_owed" and "review" do not (credited, not delivered), and
    "review" lists it for someone to decide."""
    if rule not in {"not_owed", "review"}:
        return None
    ledger.excused += 1
    ledger.to_review += rule == "review"
    return contact.date, False


def _settle(ledger: LineLedger, index: CalendarIndex, spans: list[tuple[dt.date, dt.date]],
            credits: list[tuple[dt.date, bool]], *, start: dt.date, counted_to: dt.date) -> None:
    """Settle the debt block by block (the line's own period, or half-terms for weekly lines),
    up to `counted_to`. In each block the debt grows by what fell due and shrinks by what was
    credited; it never goes below zero, so over-delivery banks no credit, and a shortfall
    carries forward until made up (the duty does not lapse: Children and Families Act 2014
    s.42). Owed time is the whole sessions owed, so a line that is not behind owes no hours.
    """
    line = ledger.line
    minutes = line.minutes or 0
    owed = 0.0
    credits = sorted(credits)
    k = 0
    for block in index.accounting_blocks(line.period, start, counted_to):
        block_start, block_end = max(block.starts_on, start), min(block.ends_on, counted_to)
        due = _due(index, line, spans, block_start, block_end)
        credited = delivered = 0
        while k < len(credits) and credits[k][0] <= block.ends_on:
            if credits[k][0] >= block.starts_on:
                credited += 1
                delivered += credits[k][1]
            k += 1
        # Rounded so pro-rata fractions that sum to whole sessions settle to exactly zero.
        owed = round(max(0.0, owed + due - credited), 9)
        ledger.blocks.append(BlockPosition(block.label, block.starts_on, block.ends_on, due, delivered, owed))
        ledger.due += due
    ledger.due = round(ledger.due, 9)
    ledger.owed = owed
    ledger.due_minutes = ledger.due * minutes
    ledger.owed_minutes = sessions_owed(owed) * minutes


def _forecast(ledger: LineLedger, index: CalendarIndex, spans, today: dt.date, end: dt.date,
              planned_dates: list[dt.date], recent: tuple[int, int], booked_until: dt.date | None) -> None:
    """Project the position at the end of the half-term, term and academic year.

    Inside the booking horizon (`booked_until`) only booked sessions can happen, each going
    ahead at the recent keep rate; beyond it, the line is assumed to be
    delivered at the recent delivery rate (last six teaching weeks). So a gap in the bookings
    shows as a shortfall weeks before the term ends.
    """
    line = ledger.line
    recent_delivered, recent_booked = recent
    keep_rate = recent_delivered / recent_booked if recent_booked else 1.0
    recent_due = _due(index, line, spans, today - dt.timedelta(weeks=6), today - dt.timedelta(days=1))
    rate = min(1.0, recent_delivered / recent_due) if recent_due >= 0.5 else 1.0
    horizons: dict[dt.date, tuple[HorizonKind, str]] = {}
    for kind in HorizonKind:
        block = index.block_containing(kind, today)
        if block is None:  # in a break: the next block
            later = [b for b in index.blocks[kind] if b.starts_on > today]
            block = later[0] if later else None
        if block is not None and block.ends_on <= end:
            # When a half-term and its term end together, name the term.
            horizons[block.ends_on] = (kind, block.label)
    for horizon_end, (horizon_kind, label) in sorted(horizons.items()):
        due_future = _due(index, line, spans, today, horizon_end)
        booked = sum(1 for d in planned_dates if today <= d <= horizon_end)
        after_booking = (booked_until + dt.timedelta(days=1)) if booked_until else today
        unbooked_due = _due(index, line, spans, max(today, after_booking), horizon_end)
        projected = booked * keep_rate + unbooked_due * rate
        projected_owed = max(0.0, ledger.owed + due_future - projected)
        ledger.forecasts.append(Forecast(
            kind=horizon_kind, horizon=f"end of {label}", ends_on=horizon_end, due_by_then=ledger.due + due_future,
            projected_delivered=ledger.delivered + projected, projected_owed=projected_owed,
        ))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def duration_words(minutes: float) -> str:
    minutes = int(round(minutes))
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{_plural(hours, 'hour')} {rest} minutes"
    return _plural(hours, "hour") if hours else f"{rest} minutes"


def _state(ledger: LineLedger, today: dt.date) -> None:
    line = ledger.line
    notes = []
    if ledger.problems:
        notes.append(f"{_plural(len(ledger.problems), 'recorded session')} could not be counted")
    if ledger.to_review:
        notes.append(f"{_plural(ledger.to_review, 'cancellation')} by the setting or family to review")
    if ledger.is_behind:
        owed = ledger.owed_contacts
        causes = []
        if ledger.cancelled_by_provider:
            causes.append(f"{ledger.cancelled_by_provider} cancelled by the provider")
        unbooked = owed - min(owed, ledger.cancelled_by_provider)
        if unbooked:
            causes.append(f"{unbooked} not booked or not recorded")
        ledger.state = "behind"
        ledger.reason = f"{_plural(owed, 'session')} owed ({duration_words(owed * (line.minutes or 0))})"
        if causes:
            ledger.reason += ": " + ", ".join(causes)
    elif ledger.due < 0.5 and ledger.delivered == 0:
        ledger.state = "not_started"
        ledger.reason = (f"Starts on {line.starts_on.strftime('%-d %B %Y')}" if line.starts_on >= today
                         else "Nothing is due yet")
    else:
        # A half-term is too short a horizon to call a line at risk; a term or the year is not.
        short = next((f for f in ledger.forecasts if f.sessions_short and f.kind != HorizonKind.HALF_TERM), None)
        if short is not None:
            ledger.state = "at_risk"
            ledger.reason = (f"Projected to be {_plural(short.sessions_short, 'session')} short by the "
                             f"{short.horizon}: {ledger.planned} booked")
        else:
            ledger.state = "on_track"
            ledger.reason = f"{ledger.delivered} of {ledger.due:.0f} due delivered" if ledger.due >= 0.5 else "Delivered as due"
    if notes:
        ledger.reason += "; " + "; ".join(notes)
