"""Helpers shared by the `fulfil` management commands."""

from __future__ import annotations

import datetime as dt
import math

from django.core.management.base import CommandError
from django.db.models import Q

from fulfil.core.models import LocalArea
from fulfil.core.widgets import date_out_of_range


def iso_date(text: str, *, message: str = "Dates must look like 2025-09-01") -> dt.date:
    """An argparse type for YYYY-MM-DD dates with a message that says what to type."""
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{message}, not {text!r}") from None
    # The pages' range (year 0001 or 9999 overflowed the week arithmetic: issue 18).
    problem = date_out_of_range(value)
    if problem:
        raise CommandError(problem)
    return value


def amount(text: str) -> float:
    """An argparse type for hours and pounds: a number, zero or more (not NaN or infinity)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise CommandError(f"Write an amount of zero or more, like 120 or 95.50, not {text!r}")
    return value


def record_id(text: str, *, what: str) -> int:
    """The ID of a record (a vacancy, a therapist) as typed in an option."""
    if not text.isdigit() or len(text) > 9:
        raise CommandError(f"The {what} must be an ID number, like 12, not {text!r}")
    return int(text)


def area_for_command(code: str) -> LocalArea:
    """The area named by --area (DfE LA number or ONS code); without one, the only area."""
    code = code.strip()
    areas = LocalArea.objects.all()
    if code:
        match = areas.filter(Q(ons_code__iexact=code) | (Q(la_number=int(code)) if code.isdigit() else Q(pk=None))).first()
        if match is None:
            raise CommandError(f"No local area with LA number or ONS code {code!r}")
        return match
    if areas.count() != 1:
        raise CommandError(f"Say which area with --area (LA number or ONS code): this database has {areas.count()}")
    return areas.get()


DISCIPLINE_NAMES = {"salt": "salt", "slt": "salt", "sl": "salt", "ot": "ot", "physio": "physio", "pt": "physio", "physiotherapy": "physio"}


def discipline_for_command(text: str, *, required: bool = False) -> str:
    """--discipline as people write it (SALT, SLT, OT, PT, physio); "" for all unless required."""
    if not text.strip():
        if required:
            raise CommandError("Say which therapy with --discipline: SALT, OT or physio")
        return ""
    discipline = DISCIPLINE_NAMES.get(text.strip().lower())
    if discipline is None:
        raise CommandError(f"--discipline must be one of SALT, OT or physio, not {text!r}")
    return discipline
