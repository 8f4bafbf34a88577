"""The yes/no rules about who can be where, shared by the constraint modules (which enforce
them), the variables container (which creates no variable they would forbid) and the diary
(which books nothing they forbid). Outside `constraints/` so that the variables and the diary
can ask them without importing the constraint modules, which import the variables."""

from __future__ import annotations

from fulfil.planning.solver.schema import TermInstance, Therapist


def covers(therapist: Therapist, setting_id: str) -> bool:
    """The service has allocated this setting to this therapist."""
    return setting_id in therapist.settings_covered


def works(instance: TermInstance, therapist: Therapist, day: int, setting_id: str) -> bool:
    """The therapist works this weekday and the setting is open on it."""
    return day in therapist.working_days and day in instance.setting_by_id[setting_id].open_weekdays


def can_visit(instance: TermInstance, therapist: Therapist, day: int, setting_id: str) -> bool:
    """A weekly visit could be held: covered, a working day the setting is open, and at least
    one week in which the therapist is available and the weekday is open."""
    return covers(therapist, setting_id) and works(instance, therapist, day, setting_id) and bool(
        instance.usable_weeks(therapist.id, day))
