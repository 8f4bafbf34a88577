import datetime as dt

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django_otp import devices_for_user, match_token

from fulfil.accounts.services import enrolment_code_valid


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been closed. Contact your administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget = forms.TextInput(
            attrs={"class": "govuk-input govuk-!-width-one-half", "autocomplete": "username", "spellcheck": "false"}
        )
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"class": "govuk-input govuk-!-width-one-half", "autocomplete": "current-password"}
        )


CODE_HINT = "The 6-digit code, for example 123456"
WRONG_SETUP_CODE = "Enter the 6-digit code shown in your authenticator app now"
WRONG_SIGN_IN_CODE = "The code is not right: enter the 6-digit code shown in your authenticator app now"
TOO_MANY_CODES = "Too many wrong codes. Wait a minute, then enter the code your app shows"
WRONG_ENROLMENT_CODE = ("The enrolment code is not right, has been used or has expired. "
                        "Check it, or ask your administrator for a new one")


def typed_code(value: str) -> str:
    """What the user typed, without spaces or dashes: a 6-digit code or a recovery code."""
    return "".join(ch for ch in value[:100] if ch.isascii() and ch.isalnum()).upper()


class AuthenticatorCodeForm(forms.Form):
    """Linking an authenticator: the 6-digit code the app shows. Whether it matches is the
    service's to say (`totp_device_confirm`), so an empty code gets the same answer as a wrong one."""

    code = forms.CharField(
        label="Code from your authenticator app", required=False, help_text=CODE_HINT,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5", "inputmode": "numeric",
                                      "autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        return typed_code(self.cleaned_data["code"])


class SignInCodeForm(AuthenticatorCodeForm):
    """The second step of signing in: a code from the app, or one of the user's recovery codes.
    No numeric keypad here: recovery codes have letters."""

    code = forms.CharField(
        label="Code from your authenticator app", required=False,
        help_text=f"{CODE_HINT}. If you cannot use your app, enter one of your recovery codes instead, for example ABCD-EFGH-JKMN",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", "autocomplete": "one-time-code",
                                      "spellcheck": "false"}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean(self) -> dict:
        cleaned = super().clean()
        # django-otp slows down guessing: after wrong codes each device refuses for a while.
        if not all(device.verify_is_allowed()[0] for device in devices_for_user(self.user, confirmed=True)):
            raise ValidationError({"code": TOO_MANY_CODES})
        self.device = match_token(self.user, cleaned.get("code", ""))
        if self.device is None:
            raise ValidationError({"code": WRONG_SIGN_IN_CODE})
        return cleaned


class EnrolmentCodeForm(forms.Form):
    """Before a first authenticator: the one-time code an administrator gave the user."""

    enrolment_code = forms.CharField(
        label="Enrolment code", required=False, help_text="12 letters and numbers, for example ABCD-EFGH-JKMN",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", "autocomplete": "off",
                                      "spellcheck": "false", "autocapitalize": "characters"}),
    )

    def __init__(self, *args, user, now: dt.datetime, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.now = user, now
        self.enrolment = None

    def clean_enrolment_code(self) -> str:
        code = self.cleaned_data["enrolment_code"][:100]
        self.enrolment = enrolment_code_valid(user=self.user, code=code, now=self.now)
        if self.enrolment is None:
            raise ValidationError(WRONG_ENROLMENT_CODE)
        return code


class AuthenticatorResetForm(forms.Form):
    """Why an administrator resets someone's authenticator. The service says what a reason
    must be (`authenticator_reset`); its refusals are shown on this field."""

    reason = forms.CharField(
        label="Why are you resetting it?", required=False, strip=False,
        help_text="For example, 'Phone lost, confirmed by phone call with their manager'",
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
    )

    def clean_reason(self) -> str:
        return self.cleaned_data["reason"][:1000]


class BreakGlassForm(forms.Form):
    """Emergency access: the child's NHS number and why the record is needed now. The service
    (`break_glass_open`) says what a reason must be and whether the child is known; its
    refusals are shown on these fields."""

    nhs_number = forms.CharField(
        label="The child's NHS number", required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", "inputmode": "numeric",
                                      "spellcheck": "false"}),
    )
    reason = forms.CharField(label="Why you need the record now", required=False, strip=False,
                             widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}))
