"""Writes about the workforce: the weekdays a therapist works.

A service manager records them because the term planner books visits only on those days; until
they are recorded the planner assumes days from contracted hours and says so on its page.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from fulfil.workforce.models import WEEKDAY_NAMES, Therapist

# A clinical working day longer than this is not a real pattern: more days, or fewer hours.
LONGEST_DAY_HOURS = Decimal("10")


@transaction.atomic
def therapist_working_days_set(*, therapist: Therapist, days: list[int] | tuple[int, ...]) -> Therapist:
    """Record the weekdays (0 = Monday .. 4 = Friday) a therapist works."""
    chosen = sorted(set(days))
    if not chosen:
        raise ValidationError({"days": "Select at least one day the therapist works"})
    if any(d not in range(len(WEEKDAY_NAMES)) for d in chosen):
        raise ValidationError({"days": "Select days from Monday to Friday"})
    per_day = therapist.contracted_hours / len(chosen)
    if per_day > LONGEST_DAY_HOURS:
        raise ValidationError({"days": (
            f"{therapist.contracted_hours} contracted hours over {len(chosen)} day{'s' if len(chosen) > 1 else ''} is "
            f"{per_day:.1f} hours a day. Select more days, or correct the contracted hours first"
        )})
    therapist.working_days = "".join(str(d) for d in chosen)
    therapist.save(update_fields=["working_days", "updated_at"])
    return therapist
