"""Where a clock stands: open, met, late, overdue or withdrawn, and which exceptions applied."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from fulfil.plans.clocks.rules import (
    RULES,
    ClockException,
    ClockKind,
    ClockRule,
    PhaseTransferKind,
    due_date,
    phase_transfer_deadline,
)


class ClockState(StrEnum):
    OPEN = "open"  # not done, not yet due
    MET = "met"  # done on or before the due date
    LATE = "late"  # done after the due date
    OVERDUE = "overdue"  # not done, and the due date has passed
    WITHDRAWN = "withdrawn"  # the request was withdrawn before this step was done


@dataclass(frozen=True)
class ClockStatus:
    """Where one statutory clock stands. `days_late` is days past the due date when done (late), as
    of `today` (overdue) or at withdrawal; `exceptions` are those that applied to this clock."""

    clock: ClockKind
    started_on: dt.date
    due_on: dt.date
    completed_on: dt.date | None
    today: dt.date
    state: ClockState
    days_late: int
    exceptions: tuple[ClockException, ...] = ()
    subject: str = ""  # which one, where a case has several of a kind (e.g. "Speech and language therapy")

    @property
    def rule(self) -> ClockRule:
        return RULES[self.clock]

    @property
    def citation(self) -> str:
        return self.rule.citation

    @property
    def on_time(self) -> bool:
        return self.state == ClockState.MET

    @property
    def is_late(self) -> bool:
        return self.state in (ClockState.LATE, ClockState.OVERDUE)

    @property
    def exception_applies(self) -> bool:
        return bool(self.exceptions)

    @property
    def late_with_exception(self) -> bool:
        """Late, but the regulations excused the timescale: still late, never shown as on time."""
        return self.is_late and self.exception_applies

    @property
    def days_remaining(self) -> int | None:
        return (self.due_on - self.today).days if self.state == ClockState.OPEN else None


def _status(kind: ClockKind, started_on: dt.date, due_on: dt.date, completed_on: dt.date | None, today: dt.date,
            exceptions: Iterable[ClockException], subject: str, withdrawn_on: dt.date | None) -> ClockStatus:
    allowed = RULES[kind].exceptions
    applying: list[ClockException] = []
    for exception in exceptions:
        if exception.kind not in allowed:
            raise ValueError(f"{exception.kind.label}: the regulations allow no such exception to '{RULES[kind].label}'")
        first, last = exception.covers
        # Only an exception during the statutory period can explain missing it.
        if first <= due_on and last >= min(started_on, due_on):
            applying.append(exception)
    if completed_on is not None:
        if completed_on < started_on and kind != ClockKind.PHASE_TRANSFER:
            raise ValueError(f"'{RULES[kind].label}' cannot be done before its clock starts")
        state = ClockState.MET if completed_on <= due_on else ClockState.LATE
        days_late = max(0, (completed_on - due_on).days)
    elif withdrawn_on is not None:
        state, days_late = ClockState.WITHDRAWN, max(0, (withdrawn_on - due_on).days)
    else:
        state = ClockState.OVERDUE if today > due_on else ClockState.OPEN
        days_late = max(0, (today - due_on).days)
    return ClockStatus(kind, started_on, due_on, completed_on, today, state, days_late, tuple(applying), subject)


def clock_status(kind: ClockKind, start: dt.date, completed_on: dt.date | None, today: dt.date,
                 exceptions: Iterable[ClockException] = (), *, subject: str = "", withdrawn_on: dt.date | None = None) -> ClockStatus:
    """Where the `kind` clock started on `start` stands on `today`.

    Met or late once `completed_on` is known; until then open, or overdue once today is past the due
    date. An exception the regulations do not allow for this clock raises ValueError rather than being
    dropped; one outside the statutory period does not apply. Exceptions never change the state.
    """
    return _status(kind, start, due_date(kind, start), completed_on, today, exceptions, subject, withdrawn_on)


def phase_transfer_status(transfer_on: dt.date, kind: PhaseTransferKind, completed_on: dt.date | None, today: dt.date) -> ClockStatus:
    """The reg 18 clock for a transfer on `transfer_on`; `started_on` is the transfer date it counts back from."""
    return _status(ClockKind.PHASE_TRANSFER, transfer_on, phase_transfer_deadline(transfer_on, kind), completed_on, today, (), "", None)
