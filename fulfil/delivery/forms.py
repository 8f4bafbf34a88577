from __future__ import annotations

from django import forms

from fulfil.core.forms import GovukDateField, date_input, time_input
from fulfil.delivery.models import NotSeenReason, SessionKind
from fulfil.delivery.services import Outcome
from fulfil.plans.models import ProvisionItem

WORK_KINDS = [
    (SessionKind.DIRECT, "Direct therapy"),
    (SessionKind.INDIRECT, "Indirect work (programme setting, training staff)"),
    (SessionKind.ASSESSMENT, "Assessment"),
    (SessionKind.REVIEW, "Review"),
]
OUTCOMES = [*Outcome.choices, ("", "Not part of this visit")]


VISIT_NOT_SEEN = [c for c in NotSeenReason.choices if c[0] != NotSeenReason.THERAPIST_UNWELL]


class VisitForm(forms.Form):
    """The visit as a whole; each child's row is read by `child_rows` in the view."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    date = GovukDateField(label="Date of visit", widget=date_input())
    starts_at = forms.TimeField(label="Arrived", widget=time_input())
    ends_at = forms.TimeField(label="Left", widget=time_input())
    kind = forms.ChoiceField(label="Kind of work", choices=WORK_KINDS, initial=SessionKind.DIRECT,
                             widget=forms.Select(attrs={"class": "govuk-select"}))
    group_minutes = forms.IntegerField(label="Group session length, in minutes", required=False, min_value=1, max_value=480,
                                       help_text="Only if you ran a group",
                                       widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}))
    summary = forms.CharField(label="Short outcome note", max_length=500, required=False,
                              help_text="Shared with the setting and the family. Do not write clinical detail here.",
                              widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].error_messages["required"] = "The form has expired: open the visit again"
        messages = {
            "date": "Enter the date of the visit, for example 24/11/2026",
            "starts_at": "Enter the time you arrived, for example 09:15",
            "ends_at": "Enter the time you left, for example 11:30",
            "kind": "Choose the kind of work",
        }
        for name, message in messages.items():
            self.fields[name].error_messages.update({"required": message, "invalid": message})

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "The time you left must be after the time you arrived")
        return data


class CancelVisitForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the visit cancelled?", initial=NotSeenReason.THERAPIST_UNWELL, widget=forms.RadioSelect,
        choices=[(NotSeenReason.THERAPIST_UNWELL, "I am unwell or absent (owed to the children)"),
                 (NotSeenReason.SETTING_CANCELLED, "The setting cancelled (for example a school trip)")],
    )


class BookSessionsForm(forms.Form):
    first_date = GovukDateField(label="Date of the first session",
                                 widget=date_input())
    starts_at = forms.TimeField(label="Time", widget=time_input())
    minutes = forms.IntegerField(label="Length, in minutes", min_value=1, max_value=240,
                                 widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}))
    repeat_until = GovukDateField(label="Repeat every week until (optional)", required=False,
                                   help_text="Holidays and closure days from the area's calendar are skipped.",
                                   widget=date_input())
    make_up = forms.BooleanField(label="These are make-up sessions for owed provision", required=False,
                                 widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}))


class RescheduleForm(forms.Form):
    date = GovukDateField(label="New date", widget=date_input())
    starts_at = forms.TimeField(label="New time", widget=time_input())


class CorrectSessionForm(forms.Form):
    summary = forms.CharField(label="Short outcome note", max_length=500, required=False,
                              widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 2}))
    reason = forms.CharField(label="Reason for the change", max_length=500, required=False,
                             help_text="Required more than 24 hours after the session was recorded.",
                             widget=forms.TextInput(attrs={"class": "govuk-input"}))

    def __init__(self, *args, attendances=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.attendances = list(attendances)
        for attendance in self.attendances:
            self.fields[f"minutes-{attendance.child_id}"] = forms.IntegerField(
                label=f"Minutes for {attendance.child.full_name}", min_value=0, max_value=480, initial=attendance.minutes,
                widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}),
            )

            items = list(ProvisionItem.objects.filter(child_id=attendance.child_id, discipline=attendance.session.therapist.discipline)
                         .order_by("pk"))
            if len(items) > 1 or (items and attendance.provision_item_id not in {i.pk for i in items}):
                self.fields[f"item-{attendance.child_id}"] = forms.ModelChoiceField(
                    label=f"Line {attendance.child.full_name}'s time counts against", queryset=ProvisionItem.objects.filter(
                        pk__in=[i.pk for i in items]), initial=attendance.provision_item_id, required=False,
                    empty_label="No line (not counted)", widget=forms.Select(attrs={"class": "govuk-select"}),
                )
                self.fields[f"item-{attendance.child_id}"].label_from_instance = lambda item: item.summary

    def minutes_by_child(self) -> dict[int, int]:
        return {a.child_id: self.cleaned_data[f"minutes-{a.child_id}"] for a in self.attendances}

    def item_by_child(self) -> dict[int, object]:
        """The line chosen for each child whose line could be changed on this form."""
        return {a.child_id: self.cleaned_data[f"item-{a.child_id}"] for a in self.attendances if f"item-{a.child_id}" in self.cleaned_data}


class InErrorForm(forms.Form):
    """Which children's part of a session was recorded in error, and why."""

    reason = forms.CharField(label="Why was this recorded in error?", max_length=500,
                             help_text="For example: recorded twice, wrong child, wrong day. The record is kept, struck through.",
                             widget=forms.TextInput(attrs={"class": "govuk-input"}),
                             error_messages={"required": "Say why this was recorded in error, for example 'recorded twice'"})

    def __init__(self, *args, attendances=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.attendances = list(attendances)
        self.fields["children"] = forms.MultipleChoiceField(
            label="Which children's part was recorded in error?", required=True,
            choices=[(str(a.child_id), a.child.full_name) for a in self.attendances],
            initial=[str(a.child_id) for a in self.attendances] if len(self.attendances) == 1 else [],
            widget=forms.CheckboxSelectMultiple, error_messages={"required": "Choose at least one child"},
        )
        self.order_fields(["children", "reason"])  # who first, then why

    def clean_children(self) -> list[int]:
        return [int(value) for value in self.cleaned_data["children"]]


class ProgrammeForm(forms.Form):
    title = forms.CharField(label="Name of the programme", max_length=120, widget=forms.TextInput(attrs={"class": "govuk-input"}))
    instructions = forms.CharField(label="What school staff should do", max_length=4000,
                                   error_messages={"max_length": "What school staff should do must be 4,000 characters or fewer"},
                                   widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 5}))
    times_per_week = forms.IntegerField(label="Times a week", min_value=1, max_value=10, initial=5,
                                        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-2", "inputmode": "numeric"}))
    starts_on = GovukDateField(label="Start date", widget=date_input())
    ends_on = GovukDateField(label="End date (optional)", required=False,
                              widget=date_input())
