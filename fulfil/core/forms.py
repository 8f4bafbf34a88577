"""Shared by the domain apps' views."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from fulfil.core.widgets import GovukDateField, GovukDateInput, date_in

__all__ = ["GovukDateField", "date_in", "date_input", "error_pairs", "form_add_service_errors", "time_input"]


def form_add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names, or at the top when
    the field is not on this form."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def error_pairs(error: ValidationError) -> list[tuple[str, str]]:
    """(field, message) pairs for pages that show errors without a Django form."""
    return [(field, message) for field, messages in error.message_dict.items() for message in messages]


def date_input() -> GovukDateInput:
    """Day, month and year boxes (the GOV.UK date input), for a `GovukDateField`."""
    return GovukDateInput()


def time_input() -> forms.TimeInput:
    return forms.TimeInput(format="%H:%M", attrs={"type": "time", "class": "govuk-input govuk-input--width-10"})
