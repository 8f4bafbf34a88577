from django import forms

from fulfil.workforce.models import WEEKDAY_NAMES


class WorkingDaysForm(forms.Form):
    days = forms.TypedMultipleChoiceField(
        label="Which days does this therapist work?", coerce=int, required=False,
        choices=list(enumerate(WEEKDAY_NAMES)), widget=forms.CheckboxSelectMultiple,
        help_text="The term planner books visits only on these days. Select all that apply.",
    )
