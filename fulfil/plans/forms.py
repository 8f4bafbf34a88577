from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from fulfil.core.forms import GovukDateField, date_input
from fulfil.core.models import Discipline
from fulfil.plans.clocks import RULES, ClockKind
from fulfil.plans.imports import MAX_BYTES
from fulfil.plans.models import AdviceService, AssessmentOutcome, Deliverer, Period, ProvisionKind, Section


def _select(choices, blank: str):
    return [("", blank)] + list(choices)


class ProvisionLineForm(forms.Form):
    wording = forms.CharField(
        label="The plan's words for this therapy", max_length=2000,
        help_text="Write it as the plan will say it. The checker reads it as you type.",
        # The checker's feedback is fetched as the words change (htmx), into #wording-feedback.
        widget=forms.Textarea(attrs={
            "rows": 4, "class": "govuk-textarea", "spellcheck": "true", "hx-post": reverse_lazy("plans:wording-feedback"),
            "hx-vals": '{"accept_into": "form"}', "hx-trigger": "input changed delay:300ms", "hx-target": "#wording-feedback",
            "hx-swap": "innerHTML",
        }),
        error_messages={"required": "Enter the provision as it will appear in the plan"},
    )
    discipline = forms.ChoiceField(label="Therapy", choices=_select(Discipline.choices, "Choose a therapy"),
                                   error_messages={"required": "Choose the therapy"})
    section = forms.ChoiceField(label="Section of the plan", choices=Section.choices, initial=Section.F)
    kind = forms.ChoiceField(label="Kind of provision", choices=_select(ProvisionKind.choices, "Choose a kind"),
                             error_messages={"required": "Choose the kind of provision"})
    sessions = forms.IntegerField(label="Sessions", min_value=1, max_value=100, required=False,
                                  error_messages={"min_value": "Sessions must be 1 or more", "invalid": "Sessions must be a whole number, like 6"})
    minutes = forms.IntegerField(label="Minutes per session", min_value=1, max_value=600, required=False,
                                 error_messages={"min_value": "Minutes must be 1 or more", "invalid": "Minutes must be a whole number, like 45"})
    period = forms.ChoiceField(label="Per", choices=_select(Period.choices, "Not stated"), required=False)
    deliverer = forms.ChoiceField(label="Delivered by", choices=Deliverer.choices)
    starts_on = GovukDateField(label="Starts on", widget=date_input(),
                                error_messages={"required": "Enter the date the provision starts", "invalid": "Enter a real date"})
    group_allowed = forms.BooleanField(label="Group work is allowed", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("discipline", "section", "kind", "period", "deliverer"):
            self.fields[name].widget.attrs["class"] = "govuk-select"
        for name in ("sessions", "minutes"):
            self.fields[name].widget.attrs.update({"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"})

    def clean(self):
        cleaned = super().clean()
        counted = [cleaned.get("sessions"), cleaned.get("period")]
        if any(counted) and not all(counted):
            # Half a frequency can't be counted: say which half is missing.
            self.add_error("period" if cleaned.get("sessions") else "sessions",
                           "Give both the number of sessions and the period, or neither")
        return cleaned


class WordingCheckForm(forms.Form):
    """A scratch pad for a provision line: nothing is saved, so nothing is refused."""

    wording = forms.CharField(
        label="Provision line", required=False,
        help_text="For example: 6 x 45 min direct OT per term plus a sensory diet delivered daily by a trained TA",
        # The checker's feedback is fetched as the words change (htmx), into #wording-feedback.
        widget=forms.Textarea(attrs={
            "rows": 4, "class": "govuk-textarea", "spellcheck": "true", "hx-post": reverse_lazy("plans:wording-feedback"),
            "hx-trigger": "input changed delay:300ms", "hx-target": "#wording-feedback", "hx-swap": "innerHTML",
        }),
    )


class ProvisionImportForm(forms.Form):
    """A CSV of plans' therapy lines. Its rows are checked by `provision_lines_import`; here only
    that a file came and is small enough to read. The button pressed (`action`) says whether
    to import it or only check it."""

    file = forms.FileField(
        label="CSV file", allow_empty_file=True,  # an empty file gets the importer's message about its columns
        widget=forms.FileInput(attrs={"class": "govuk-file-upload", "accept": ".csv,text/csv"}),
        error_messages={"required": "Choose a CSV file to upload", "invalid": "Choose a CSV file to upload",
                        "missing": "Choose a CSV file to upload"},
    )
    action = forms.CharField(required=False, widget=forms.HiddenInput)  # sent by the button, not drawn

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(f"The file must be at most {MAX_BYTES // 1024 // 1024} MB: split it into smaller files")
        return upload

    @property
    def dry_run(self) -> bool:
        return self.cleaned_data.get("action") != "import"


class AdviceSentForm(forms.Form):
    provided_on = GovukDateField(label="Date the advice was sent to the council",
                                  widget=date_input(),
                                  error_messages={"required": "Enter the date the advice was sent", "invalid": "Enter a real date"})
    summary = forms.CharField(label="What the advice covers (optional)", required=False, max_length=500,
                              help_text="A line for the council's record. The advice itself stays in the clinical record.",
                              widget=forms.TextInput(attrs={"class": "govuk-input"}))


class ExceptionForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of exception", widget=forms.RadioSelect)
    reason = forms.CharField(label="What happened", max_length=500, widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
                             error_messages={"required": "Say what happened, so the delay can be explained later"})
    starts_on = GovukDateField(label="From", widget=date_input(),
                                error_messages={"required": "Enter the first day", "invalid": "Enter a real date"})
    ends_on = GovukDateField(label="To", widget=date_input(),
                              error_messages={"required": "Enter the last day", "invalid": "Enter a real date"})

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, f"{k.label} ({k.citation})") for k in kinds]
        self.fields["kind"].error_messages["required"] = "Choose the kind of exception"


def _optional_date(label: str) -> GovukDateField:
    return GovukDateField(label=label, required=False)


class AssessmentRequestForm(forms.Form):
    """A new request for an EHC needs assessment, as the council logs it."""

    reference = forms.CharField(label="Case reference", max_length=30, help_text="The reference in your case management system",
                                widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20", "spellcheck": "false"}),
                                error_messages={"required": "Enter the case reference"})
    received_on = GovukDateField(label="Date the request was received",
                                 error_messages={"required": "Enter the date the request was received"})


class AssessmentStepsForm(forms.Form):
    """The steps of an assessment so far. A step left empty has not happened yet."""

    received_on = GovukDateField(label="Date the request was received",
                                 help_text="Correct it here if it was typed wrongly: every due date follows it",
                                 error_messages={"required": "Enter the date the request was received"})
    outcome = forms.ChoiceField(label="Decision whether to assess", required=False,
                                choices=[("", "Not decided yet"), *AssessmentOutcome.choices],
                                widget=forms.Select(attrs={"class": "govuk-select"}))
    decided_on = _optional_date("Date of the decision, or of the withdrawal")
    draft_sent_on = _optional_date("Date the draft plan was sent")
    final_plan_on = _optional_date("Date the final plan was issued")
    decision_not_to_issue_on = _optional_date("Date of a decision not to issue a plan")


class AnnualReviewForm(forms.Form):
    """A review of the child's plan, as the council logs it."""

    reference = forms.CharField(label="Review reference", max_length=40, help_text="The reference in your case management system",
                                widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20", "spellcheck": "false"}),
                                error_messages={"required": "Enter the review reference"})
    period_starts_on = GovukDateField(label="Date the plan was issued or last reviewed",
                                      help_text=f"The {RULES[ClockKind.ANNUAL_REVIEW].months} months run from this day. For example, 27 3 2027",
                                      error_messages={"required": "Enter the date the plan was issued or last reviewed"})


class ReviewStepsForm(forms.Form):
    """The steps of a review so far. A step left empty has not happened yet."""

    period_starts_on = GovukDateField(label="Date the plan was issued or last reviewed",
                                      help_text="Correct it here if it was typed wrongly: every due date follows it",
                                      error_messages={"required": "Enter the date the plan was issued or last reviewed"})
    meeting_on = _optional_date("Date of the review meeting")
    report_on = _optional_date("Date the setting sent its review report")
    decision_on = _optional_date("Date the council notified its decision")
    amendment_notice_on = _optional_date("Date of the notice of proposed amendments")
    amended_plan_on = _optional_date("Date the amended plan was issued")


class AdviceRequestForm(forms.Form):
    """The council asks a service for advice for an assessment (SEND Regulations 2014 reg 6(1))."""

    service = forms.ChoiceField(label="Who is asked for advice", choices=AdviceService.choices, widget=forms.RadioSelect,
                                error_messages={"required": "Choose who is asked for advice"})
    provider = forms.TypedChoiceField(label="Therapy provider (for therapy advice)", coerce=int, required=False, empty_value=None,
                                      widget=forms.Select(attrs={"class": "govuk-select"}))
    requested_on = GovukDateField(label="Date the request for advice was sent",
                                  error_messages={"required": "Enter the date the request for advice was sent"})

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "Not a therapy provider in Fulfil")] + [(p.pk, p.name) for p in providers]
