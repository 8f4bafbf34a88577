"""The planning pages' forms: the capacity what-if and the recovery plan (sent by GET, so a
result can be bookmarked) and the term planner.

Their ids are the field names (`auto_id="%s"`), as the pages' hand-written inputs had, so a
link to `#rate` or `#leave_from_day` still lands on the box."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from fulfil.core.forms import GovukDateField, date_input
from fulfil.core.models import Discipline
from fulfil.planning.solver.recovery import TARGET_WITHIN

NO_CHANGE = [("", "No change")]
PLANNER_TIME_LIMIT = "Give the planner between 5 and 600 seconds"


class PageForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)

    def show_where_blank(self, **used) -> None:
        """Show the value a page used for each field the user left blank (the area's hourly
        rate, the next 31 March), as the answer beside it was worked out with it."""
        data = self.data.copy()
        for name, value in used.items():
            if not self.fields[name].widget.value_from_datadict(self.data, {}, self.add_prefix(name)):
                data[self.add_prefix(name)] = value
        self.data = data


class WhatIfDateField(GovukDateField):
    """A date a what-if reads only when its change is asked for: one that is missing or not a real
    date is None, and the form says what the change needs (not what is wrong with the boxes)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, widget=date_input(), **kwargs)

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError:
            return None


def _select(label: str, choices=()) -> forms.CharField:
    """A select whose value the view or `clean` judges (an unknown term falls back to the
    current one), so Django's own "not one of the available choices" is never shown."""
    return forms.CharField(label=label, required=False, widget=forms.Select(choices=choices, attrs={"class": "govuk-select"}))


def _amount(label: str, *, width: int = 5, hint: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=hint, widget=forms.TextInput(
        attrs={"class": f"govuk-input govuk-input--width-{width}", "inputmode": "decimal"}))


class CapacityWhatIfForm(PageForm):
    """A term's capacity beside a what-if: a vacancy filled, a therapist on leave, hours bought."""

    term = _select("Term")
    vacancy = _select("A vacancy is filled")
    filled_from = WhatIfDateField(label="Filled from")
    leave_of = _select("A therapist is on leave")
    leave_from = WhatIfDateField(label="Leave starts")
    leave_to = WhatIfDateField(label="Leave ends")
    bought_hours = _amount("Hours bought from independent providers")

    def __init__(self, *args, terms, vacancies, therapists, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].widget.choices = terms
        self.fields["vacancy"].widget.choices = NO_CHANGE + [
            (v.pk, f"{v.get_discipline_display()}, band {v.band}, {v.hours} hours, vacant since {v.open_from:%-d %b %Y}")
            for v in vacancies]
        self.fields["leave_of"].widget.choices = NO_CHANGE + [
            (t.pk, f"{t.full_name} ({t.get_discipline_display()})") for t in therapists]
        self.changes: dict = {}

    def clean(self) -> dict:
        cleaned = super().clean()
        vacancy, filled = cleaned.get("vacancy", ""), cleaned.get("filled_from")
        if vacancy:
            if filled is None:
                self.add_error("filled_from", "Enter the date the vacancy would be filled from")
            elif vacancy.isdigit():
                self.changes["fill_vacancy"] = (int(vacancy), filled)
        leave_of, start, end = cleaned.get("leave_of", ""), cleaned.get("leave_from"), cleaned.get("leave_to")
        if leave_of:
            if start is None or end is None or end < start:
                self.add_error("leave_from", "Enter the first and last day of the leave, the last on or after the first")
            elif leave_of.isdigit():
                self.changes["leave"] = (int(leave_of), start, end)
        bought = cleaned.get("bought_hours", "").strip()
        if bought:
            try:
                hours = float(bought)
            except ValueError:
                hours = -1.0
            if hours < 0:
                self.add_error("bought_hours", "Enter hours bought as a number, for example 120")
            else:
                self.changes["bought_hours"] = hours
        return cleaned


def next_31_march(today: dt.date) -> dt.date:
    """The recovery plan's default target: the end of the financial year."""
    return dt.date(today.year + (today.month > 3), 3, 31)


class RecoveryForm(PageForm):
    """Which therapy, the date to be back on track by, and the hourly rate and budget to plan with."""

    discipline = _select("Therapy", Discipline.choices)
    by = WhatIfDateField(label="Back on track by")
    rate = _amount("Hourly rate, in pounds")
    budget = _amount("Budget, in pounds (optional)", width=10,
                     hint="To see the earliest month the budget gets everyone back on track")

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        # The planner works month by month: a target years away is not a recovery plan (and a
        # year such as 9999 was a 500).
        self.fields["by"].latest = today + TARGET_WITHIN

    def clean_discipline(self) -> str:
        discipline = self.cleaned_data["discipline"]
        return discipline if discipline in Discipline.values else "ot"

    def clean_by(self) -> dt.date:
        # A wrong date is said, and the plan still drawn for the default one (so add_error, not raise).
        by = self.cleaned_data["by"]
        if by is None and any(self.data.get(f"{self.add_prefix('by')}_{part}") for part in ("day", "month", "year")):
            self.add_error("by", "Enter a real date to be back on track by, within 3 years, for example 31 3 2027")
        elif by is not None and by < self.today:
            self.add_error("by", "The date to be back on track by must be today or later")
            by = None
        return by or next_31_march(self.today)

    def clean(self) -> dict:
        cleaned = super().clean()
        try:
            rate = float(Decimal(cleaned["rate"])) if cleaned.get("rate") else None
            budget = float(Decimal(cleaned["budget"])) if cleaned.get("budget") else None
            if (rate is not None and not 0 < rate < math.inf) or (budget is not None and not 0 <= budget < math.inf):
                raise InvalidOperation  # NaN and infinity too
        except (InvalidOperation, ValueError):
            self.add_error("rate", "Enter the hourly rate and budget as amounts in pounds, for example 95 or 20000")
            rate = budget = None
        cleaned["rate"], cleaned["budget"] = rate, budget
        return cleaned


class PlannerForm(PageForm):
    """Start a term plan: which therapy and term, and how long the solver may take."""

    discipline = forms.ChoiceField(label="Therapy", choices=Discipline.choices,
                                   error_messages={"required": "Choose a therapy", "invalid_choice": "Choose a therapy"},
                                   widget=forms.Select(attrs={"class": "govuk-select"}))
    term = _select("Term")
    time_limit = forms.CharField(label="Time the planner may take, in seconds", required=False, initial="60",
                                 widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}))

    def __init__(self, *args, terms, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].widget.choices = terms

    def clean_time_limit(self) -> int:
        if "time_limit" not in self.data:
            return 60
        value = self.cleaned_data["time_limit"]
        if not (value.isascii() and value.isdigit() and 5 <= int(value) <= 600):
            raise ValidationError(PLANNER_TIME_LIMIT)
        return int(value)
