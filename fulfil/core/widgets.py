"""The GOV.UK Design System's date input: one box each for day, month and year.

The Design System asks for it instead of the browser's date picker, whose keyboard and screen
reader behaviour differs between browsers and which cannot show which part of a date is wrong
(https://design-system.service.gov.uk/components/date-input/). Errors follow its wording:
"<Label> must include a month", "<Label> must be a real date".

Anything that posts one ISO date under the field's own name (older clients, the tests' form
posts) is still read, so the field accepts both shapes.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

PARTS = ("day", "month", "year")
PART_LABELS = {"day": "Day", "month": "Month", "year": "Year"}
ERROR_FLAG = "data-govuk-error"


class GovukDateInput(forms.MultiWidget):
    template_name = "widgets/govuk_date_input.html"

    def __init__(self, attrs: dict | None = None) -> None:
        def box(width: int) -> forms.TextInput:
            return forms.TextInput(attrs={"class": f"govuk-input govuk-date-input__input govuk-input--width-{width}",
                                          "inputmode": "numeric"})

        super().__init__({"day": box(2), "month": box(2), "year": box(4)}, attrs)

    def decompress(self, value) -> list:
        if isinstance(value, dict):
            return [value.get(part, "") for part in PARTS]
        if isinstance(value, str) and value:
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return ["", "", ""]
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]

    def value_from_datadict(self, data, files, name):
        whole = data.get(name)
        if whole:
            return whole
        parts = {part: (data.get(f"{name}_{part}") or "").strip() for part in PARTS}
        return parts if any(parts.values()) else ""

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and all(f"{name}_{part}" not in data for part in PARTS)

    def id_for_label(self, id_: str) -> str:
        # The error summary links to the day box, as the Design System asks.
        return f"{id_}_day" if id_ else id_

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        # Which boxes to outline: those the error names (a missing month), else all three.
        wrong = str(attrs.pop(ERROR_FLAG, "") or "")
        wrong_parts = set(PARTS) if wrong == "all" else set(wrong.split(",")) - {""}
        context = super().get_context(name, value, attrs)
        for part, sub in zip(PARTS, context["widget"]["subwidgets"], strict=True):
            sub["label"] = PART_LABELS[part]
            if attrs.get("id"):
                sub["attrs"]["id"] = f"{attrs['id']}_{part}"  # as `id_for_label` promises
            sub["attrs"].pop("aria-describedby", None)  # the fieldset carries the hint and the error
            if part in wrong_parts:
                sub["attrs"]["class"] = sub["attrs"].get("class", "") + " govuk-input--error"
            if part == "year":
                sub["attrs"]["autocomplete"] = "off"
        return context


# The dates Fulfil takes anywhere: no child, plan, session or term falls outside them, and a
# slip such as year 0001 or 9999 would otherwise overflow the week and term arithmetic behind
# the pages (a 500 before: issue 18). A field may narrow them (a diary's window).
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


def date_out_of_range(value: dt.date, *, label: str = "The date", earliest: dt.date = EARLIEST, latest: dt.date = LATEST) -> str:
    """The message for a date outside [earliest, latest], or "" when it is inside."""
    if earliest <= value <= latest:
        return ""
    return f"{label} must be between {earliest:%-d %B %Y} and {latest:%-d %B %Y}"


class GovukDateField(forms.DateField):
    widget = GovukDateInput

    def __init__(self, *, earliest: dt.date | None = None, latest: dt.date | None = None, **kwargs) -> None:
        self.earliest, self.latest = max(earliest or EARLIEST, EARLIEST), min(latest or LATEST, LATEST)
        super().__init__(**kwargs)

    def validate(self, value) -> None:
        super().validate(value)
        if value is not None:
            message = date_out_of_range(value, label=self.label or "The date", earliest=self.earliest, latest=self.latest)
            if message:
                raise ValidationError(message, code="out_of_range")

    def to_python(self, value):
        if not isinstance(value, dict):
            return super().to_python(value)
        label = self.label or "The date"
        missing = [part for part in PARTS if not value.get(part)]
        if len(missing) == len(PARTS):
            return None
        if missing:
            raise ValidationError(f"{label} must include a {' and a '.join(missing)}", code="incomplete",
                                  params={"parts": ",".join(missing)})
        not_numbers = [part for part in PARTS if not value[part].isdigit()]
        if not_numbers:
            raise ValidationError(f"{label} must be a real date", code="invalid", params={"parts": ",".join(not_numbers)})
        if len(value["year"]) != 4:
            raise ValidationError("Year must include 4 numbers", code="invalid", params={"parts": "year"})
        try:
            return dt.date(int(value["year"]), int(value["month"]), int(value["day"]))
        except ValueError:
            raise ValidationError(f"{label} must be a real date", code="invalid") from None


def date_in(data, name: str, *, earliest: dt.date | None = None, latest: dt.date | None = None) -> dt.date | None:
    """The date a GOV.UK date input (or a link's ISO date) sent outside a form (`request.GET` or
    `request.POST`), or None if it is missing, not a real date or outside the range (by default
    `EARLIEST`..`LATEST`): pages that read it this way say what to fix."""
    field = GovukDateField(required=False, earliest=earliest, latest=latest)
    try:
        return field.clean(field.widget.value_from_datadict(data, {}, name))
    except ValidationError:
        return None
