"""What makes two delivered contacts the same contact. Pure: the generator and the models share it."""

from __future__ import annotations

import datetime as dt


def delivered_slot(*, therapist_id: int, setting_id: int | None, date: dt.date, starts_at: dt.time | None, child_id: int) -> str:
    """The key of a delivered contact: therapist, setting, date, start time and child. Two
    delivered contacts with the same key are one contact recorded twice, and the database's
    unique constraint on `Attendance.delivered_slot` refuses the second."""
    start = starts_at.strftime("%H:%M") if starts_at else "--:--"
    return f"{therapist_id}|{setting_id or '-'}|{date.isoformat()}|{start}|{child_id}"
