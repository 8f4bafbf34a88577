from django import forms

from fulfil.children.models import Need, SenStatus
from fulfil.core.models import Discipline


class ChildSearchForm(forms.Form):
    q = forms.CharField(label="Name, NHS number or UPN", required=False, max_length=100,
                        help_text="For example, Amelia Jones, 999 000 0018 or C319123424001",
                        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}))
    setting = forms.TypedChoiceField(label="Setting", required=False, coerce=int, empty_value=None)
    need = forms.ChoiceField(label="Need", required=False, choices=[("", "Any need")] + list(Need.choices))
    discipline = forms.ChoiceField(
        label="Therapy in plan", required=False, choices=[("", "Any therapy")] + list(Discipline.choices)
    )
    sen_status = forms.ChoiceField(
        label="SEN status", required=False, choices=[("", "Any status")] + list(SenStatus.choices)
    )

    def __init__(self, *args, settings_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["setting"].choices = [("", "Any setting")] + [(s.pk, s.name) for s in settings_choices]
        for name, field in self.fields.items():
            css = "govuk-input" if name == "q" else "govuk-select"
            field.widget.attrs["class"] = css
