"""When a booking is physically possible. Pure: no Django, so the planner's booking, a make-up
booking, a reschedule and the property tests all ask the same question.

A therapist is in one place at a time. Two sessions at the same setting may not overlap; two at
different settings also need the journey between them (the planner assumes
`PlanningSettings.travel_minutes_per_visit` each way, so a booking must leave that gap too).
A session whose start time is not recorded cannot be placed, so it never clashes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class DiaryEntry:
    """A session in a therapist's diary on one day."""

    setting_id: int | None
    starts_at: dt.time | None
    minutes: int
    label: str = ""  # what a person would call it, for the message ("09:15 at Oak Primary")

    @property
    def start(self) -> int:
        if self.starts_at is None:
            raise ValueError("a session without a start time has no place in the day")
        return self.starts_at.hour * 60 + self.starts_at.minute

    @property
    def end(self) -> int:
        return self.start + self.minutes


def clash(diary: Iterable[DiaryEntry], new: DiaryEntry, *, journey_minutes: int) -> DiaryEntry | None:
    """The first entry of the day's diary that makes `new` impossible, or None.

    Same setting: the sessions may touch (one ends at 10:00, the next starts at 10:00) but not
    overlap. Different settings: there must be `journey_minutes` between one ending and the
    other starting.
    """
    if new.starts_at is None:
        return None
    for entry in diary:
        if entry.starts_at is None:
            continue
        gap = 0 if entry.setting_id == new.setting_id else journey_minutes
        if new.start < entry.end + gap and entry.start < new.end + gap:
            return entry
    return None


def overlaps(diary: list[DiaryEntry], *, journey_minutes: int) -> list[tuple[DiaryEntry, DiaryEntry]]:
    """Every pair in one therapist's day that could not both happen (for checks and tests)."""
    found = []
    for i, entry in enumerate(diary):
        other = clash(diary[i + 1:], entry, journey_minutes=journey_minutes)
        if other is not None:
            found.append((entry, other))
    return found
