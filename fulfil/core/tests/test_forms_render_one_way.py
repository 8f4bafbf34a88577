"""Every GOV.UK form is drawn one way (ADR 0022): one error summary, one field renderer.

A user who follows an error summary link lands on the field, and a screen reader reads a field's
error with it: so each link must point at an id on the page, and each field with an error must be
described by that error.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template

from fulfil.accounts.forms import SignInForm
from fulfil.core.forms import GovukDateField
from fulfil.delivery.forms import BookSessionsForm, InErrorForm
from fulfil.ledger.forms import PauseForm
from fulfil.plans.forms import ExceptionForm, ProvisionLineForm

TEMPLATES = Path(settings.BASE_DIR) / "fulfil" / "templates"
SHARED = {"includes/error_summary.html", "includes/error_message.html", "includes/field.html", "includes/fields.html"}


def templates() -> list[tuple[str, str]]:
    return [(str(path.relative_to(TEMPLATES)), path.read_text()) for path in sorted(TEMPLATES.rglob("*.html"))]


def test_no_template_writes_its_own_error_summary_or_error_message() -> None:
    hand_written = [name for name, text in templates() if name not in SHARED
                    and ("govuk-error-summary" in text or "govuk-error-message" in text)]
    assert hand_written == []


def test_no_template_includes_a_field_renderer_but_the_shared_one() -> None:
    renderers = re.compile(r"""\{%\s*include\s+["']([^"']*(?:field|date_|checkbox|radio)[^"']*)["']""")
    other = [(name, found) for name, text in templates() for found in renderers.findall(text)
             if found not in SHARED]
    assert other == []


def test_every_page_with_an_error_summary_titles_itself_error() -> None:
    untitled = [name for name, text in templates()
                if name not in SHARED and "{% error_summary" in text and not re.search(r"\{% block title %\}[^\n]*Error: ", text)]
    assert untitled == []


class Page(HTMLParser):
    """The ids on a page, each element's attributes, and the summary's links."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.elements.append((tag, {key: value or "" for key, value in attrs}))

    @property
    def ids(self) -> set[str]:
        return {attrs["id"] for _tag, attrs in self.elements if "id" in attrs}

    def summary_links(self) -> list[str]:
        return [attrs["href"][1:] for tag, attrs in self.elements if tag == "a" and attrs.get("href", "").startswith("#")]

    def described_by(self) -> set[str]:
        return {part for _tag, attrs in self.elements for part in attrs.get("aria-describedby", "").split()}

    def with_id(self, id_: str) -> tuple[str, dict[str, str]]:
        return next((tag, attrs) for tag, attrs in self.elements if attrs.get("id") == id_)


def render(form: forms.BaseForm, **context) -> str:
    return Template("{% load govuk %}{% error_summary form %}{% govuk_fields form %}").render(Context({"form": form, **context}))


class EveryKind(forms.Form):
    """A field of each kind the Design System draws, all refused when left empty."""

    name = forms.CharField(label="Name", help_text="As on the plan",
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    note = forms.CharField(label="Note", widget=forms.Textarea)
    therapy = forms.ChoiceField(label="Therapy", choices=[("", "Choose"), ("slt", "Speech and language")])
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    days = forms.MultipleChoiceField(label="Days", choices=[("1", "Monday"), ("2", "Tuesday")],
                                     widget=forms.CheckboxSelectMultiple)
    starts_on = GovukDateField(label="Starts on")
    letter = forms.FileField(label="Letter")
    agreed = forms.BooleanField(label="I agree")


def bound_invalid_forms() -> list[tuple[str, forms.BaseForm]]:
    attendance = SimpleNamespace(child_id=7, child=SimpleNamespace(full_name="Amira O'Neill"))
    kinds = [SimpleNamespace(value="illness", label="Illness", citation="reg 10(4)")]
    return [
        ("every kind", EveryKind(data={"starts_on_day": "31", "starts_on_month": "2", "starts_on_year": "2027"})),
        ("accounts: sign in", SignInForm(data={})),
        ("delivery: booking", BookSessionsForm(data={"first_date_day": "3", "minutes": "0", "repeat_until_year": "27"})),
        ("delivery: in error", InErrorForm(data={}, attendances=[attendance, attendance])),
        ("ledger: pause", PauseForm(data={"starts_on_month": "4", "ends_on": "2027-01-01"})),
        ("plans: exception", ExceptionForm(data={"kind": "nonsense"}, kinds=kinds)),
        ("plans: provision line", ProvisionLineForm(data={"sessions": "6"})),
    ]


@pytest.mark.parametrize(("kind", "form"), bound_invalid_forms(), ids=[kind for kind, _f in bound_invalid_forms()])
def test_each_error_links_to_its_field_and_the_field_is_described_by_it(kind: str, form: forms.BaseForm) -> None:
    assert not form.is_valid()
    page = Page(render(form))

    links = page.summary_links()
    assert len(links) == sum(len(errors) for errors in form.errors.values()), kind
    assert set(links) <= page.ids, f"{kind}: the summary links to ids not on the page"
    for name in form.errors:
        if name == "__all__":
            continue
        error_id = f"{form[name].auto_id}-error"
        assert error_id in page.ids, f"{kind}: {name} has no error message"
        assert error_id in page.described_by(), f"{kind}: nothing is described by {name}'s error"


def test_a_text_field_keeps_its_autocomplete_and_is_described_by_hint_then_error() -> None:
    page = Page(render(EveryKind(data={})))

    tag, name = page.with_id("id_name")
    assert (tag, name["autocomplete"], name["aria-describedby"]) == ("input", "name", "id_name-hint id_name-error")
    assert "govuk-input--error" in name["class"].split()
    assert "govuk-textarea--error" in page.with_id("id_note")[1]["class"]
    assert "govuk-select--error" in page.with_id("id_therapy")[1]["class"]
    assert page.with_id("id_letter")[1]["class"] == "govuk-file-upload govuk-file-upload--error"


def test_a_date_links_to_its_day_box_and_its_fieldset_carries_hint_and_error() -> None:
    html = render(EveryKind(data={"starts_on_day": "31", "starts_on_month": "2", "starts_on_year": "2027"}))
    page = Page(html)

    assert "id_starts_on_day" in page.summary_links()
    fieldset = next(attrs for tag, attrs in page.elements if tag == "fieldset" and "id_starts_on-error" in attrs.get("aria-describedby", ""))
    assert fieldset["role"] == "group"
    assert fieldset["aria-describedby"] == "id_starts_on-hint id_starts_on-error"
    assert "Starts on must be a real date" in html


def test_radios_and_checkboxes_link_to_their_first_box() -> None:
    page = Page(render(EveryKind(data={})))

    assert {"id_kind_0", "id_days_0"} <= set(page.summary_links())
    assert page.with_id("id_kind_0")[1]["type"] == "radio"
    assert page.with_id("id_days_0")[1]["type"] == "checkbox"


def test_a_form_without_errors_shows_no_summary_and_no_error_state() -> None:
    html = render(ProvisionLineForm(initial={"starts_on": dt.date(2027, 3, 1)}))

    assert "govuk-error-summary" not in html
    assert "govuk-form-group--error" not in html


def test_errors_given_as_pairs_link_to_the_fields_they_name_or_to_the_fallback() -> None:
    form = BookSessionsForm(data={})
    form.is_valid()
    html = Template('{% load govuk %}{% error_summary form errors=errors fallback="children" fallback_for="setting" %}').render(
        Context({"form": form, "errors": [("first_date", form.errors["first_date"][0]),
                                         ("child-7", "Choose whether Amira was seen"), ("setting", "Not your setting"),
                                         ("__all__", "Nothing to record")]}))

    links = Page(html).summary_links()
    assert links.count("id_first_date_day") == 1  # a message already on the form is listed once
    assert links[-3:] == ["child-7", "children", "children"]


def test_a_page_with_one_message_links_it_to_its_field() -> None:
    html = Template('{% load govuk %}{% error_summary errors=error fallback="code" %}{% error_message "code" error %}').render(
        Context({"error": "Enter the 6-digit code"}))

    assert Page(html).summary_links() == ["code"]
    assert 'id="code-error"' in html
    assert Template('{% load govuk %}{% error_summary errors=error fallback="code" %}').render(Context({"error": ""})).strip() == ""


def test_a_hand_written_input_finds_its_messages_among_a_pages_pairs() -> None:
    html = Template('{% load govuk %}{% with wrong=errors|errors_for:"rate" %}{% error_message "rate" wrong %}{% endwith %}').render(
        Context({"errors": [("by_day", "Enter a real date"), ("rate", "Enter the hourly rate in pounds")]}))

    assert 'id="rate-error"' in html and "Enter the hourly rate in pounds" in html
    assert "Enter a real date" not in html
