"""Helpers shared by the `fulfil` management commands."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError
from django.db.models import Q

from fulfil.core.models import LocalArea


def iso_date(text: str, *, message: str = "Dates must look like 2025-09-01") -> dt.date:
    """An argparse type for YYYY-MM-DD dates with a message that says what to type."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{message}, not {text!r}") from None


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
