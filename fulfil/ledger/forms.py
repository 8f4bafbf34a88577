from __future__ import annotations

import datetime as dt

from django import forms

from fulfil.children.models import Need
from fulfil.core.calendar import academic_year_bounds, academic_year_label, academic_year_of
from fulfil.core.forms import GovukDateField
from fulfil.core.models import Discipline


def report_periods(calendar, today: dt.date) -> list[tuple[str, str, dt.date, dt.date]]:
    """Academic years and terms a report can cover: this year and the last complete one."""
    current = academic_year_of(today)
    periods = []
    for year in (current, current - 1):
        start, end = academic_year_bounds(year)
        periods.append((str(year), f"Academic year {academic_year_label(year)}", start, end))
        for term in calendar.terms_of_year(year):
            periods.append((f"{year}-{term.name}", f"{term.label} term", term.starts_on, term.ends_on))
    return periods


class ShortfallForm(forms.Form):
    period = forms.ChoiceField(label="Period")
    discipline = forms.ChoiceField(label="Therapy", required=False, choices=[("", "All therapies")] + list(Discipline.choices))
    provider = forms.TypedChoiceField(label="Provider", required=False, coerce=int, empty_value=None)
    setting = forms.TypedChoiceField(label="Setting", required=False, coerce=int, empty_value=None)
    need = forms.ChoiceField(label="Primary need", required=False, choices=[("", "Any need")] + list(Need.choices))

    def __init__(self, *args, periods, providers, settings, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {value: (start, end) for value, _label, start, end in periods}
        self.fields["period"].choices = [(value, label) for value, label, _s, _e in periods]
        self.fields["provider"].choices = [("", "All providers")] + [(p.pk, p.name) for p in providers]
        self.fields["setting"].choices = [("", "All settings")] + [(s.pk, s.name) for s in settings]
        for field in self.fields.values():
            field.widget.attrs["class"] = "govuk-select"

    def dates(self) -> tuple[dt.date, dt.date]:
        return self.periods[self.cleaned_data["period"]]


class PauseForm(forms.Form):
    """Dates as GOV.UK asks for them: day, month and year boxes (`GovukDateField`)."""

    provision_item = forms.TypedChoiceField(label="Which therapy", coerce=int, required=False, empty_value=None)
    starts_on = GovukDateField(label="Paused from",
                                error_messages={"required": "Enter the date the pause starts", "invalid": "Enter a real date"})
    ends_on = GovukDateField(label="Paused to",
                              error_messages={"required": "Enter the date the pause ends", "invalid": "Enter a real date"})
    reason = forms.CharField(label="Reason", max_length=300, widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
                             error_messages={"required": "Enter the reason the clock is paused, for example 'In hospital from 14 October'"})

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provision_item"].choices = [("", "Every therapy line in the plan")] + [(i.pk, i.summary) for i in items]
        self.fields["provision_item"].widget.attrs["class"] = "govuk-select"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
            self.add_error("ends_on", "The end date must be the same as or after the start date")
        return cleaned
