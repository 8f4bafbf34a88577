"""The one way a page shows a GOV.UK form and its errors (ADR 0022).

    {% load govuk %}
    {% error_summary form %}                       the error summary, linking each error to its field
    {% error_summary errors=errors %}              ... for pages whose errors are (id, message) pairs
    {% govuk_fields form %}                        every visible field, each as `govuk_field` draws it
    {% govuk_field form.reason %}                  one field: label or legend, hint, error, control
    {% error_message "code" error %}               the error line of a field a page writes by hand
    {{ errors|errors_for:"rate" }}                 ... its messages, from a page's (name, message) pairs

The markup follows the Design System (https://design-system.service.gov.uk/components/): the
summary's links go to the field (a date input's day box, a radio group's first radio), the field's
group gets `govuk-form-group--error`, and the control (or the fieldset of a group) is described by
its hint and its error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import forms, template

from fulfil.core.widgets import ERROR_FLAG

register = template.Library()

DATE, CHOICES, CHECKBOX = "govukdate", {"radioselect", "checkboxselectmultiple"}, "checkbox"
# The Design System's class for each kind of control, and its error modifier.
CONTROL_CLASS = {"textarea": "govuk-textarea", "select": "govuk-select", "checkbox": "govuk-checkboxes__input",
                 "clearablefile": "govuk-file-upload", "file": "govuk-file-upload"}
ERROR_MODIFIER = {"govuk-input": "govuk-input--error", "govuk-textarea": "govuk-textarea--error",
                  "govuk-select": "govuk-select--error", "govuk-file-upload": "govuk-file-upload--error"}
DATE_HINT = "For example, 27 3 2027"


def _messages(value) -> list[str]:
    """A message, a list of them, or nothing, as a list (a bare string is one message, not letters)."""
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return [str(message) for message in value]


def field_anchor(field: forms.BoundField) -> str:
    """The id an error summary links to: the control, a date input's day box, or the first of a
    group's radios or checkboxes (Django gives a group no id of its own)."""
    if field.widget_type in CHOICES:
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


@register.inclusion_tag("includes/error_summary.html")
def error_summary(form: forms.BaseForm | None = None, errors: Mapping | Iterable | None = None, *,
                  fallback: str = "", fallback_for: str = "", unlinked: Iterable[str] = (), more: int = 0,
                  title: str = "There is a problem") -> dict:
    """`form`'s errors, then `errors` (a dict of name to message(s), (name, message) pairs, or a
    page's one message), each once. A name that is one of `form`'s fields links to that field; `__all__` and the names
    in `fallback_for` link to the element `fallback` (else the form's first field); any other name
    is an element id. `unlinked` are messages with nowhere to link to (a row of an uploaded file);
    `more` counts those not listed."""
    first = field_anchor(form.visible_fields()[0]) if form is not None and form.visible_fields() else ""
    to_fallback = {"__all__", "", None, *fallback_for.split()}

    def anchor(name) -> str:
        if form is not None and name in form.fields:
            return field_anchor(form[name])
        return (fallback or first) if name in to_fallback else str(name)

    pairs: list[tuple[object, object]] = []
    if form is not None:
        pairs += [(name, messages) for name, messages in form.errors.items()]
    if isinstance(errors, str) and errors:
        pairs.append(("__all__", errors))  # a page's one message, for its `fallback` field
    elif errors:
        pairs += list(errors.items() if isinstance(errors, Mapping) else errors)
    items: list[tuple[str, str]] = []
    for name, messages in pairs:
        for message in _messages(messages):
            if (anchor(name), message) not in items:
                items.append((anchor(name), message))
    return {"items": items, "unlinked": _messages(unlinked), "more": more, "title": title}


@register.inclusion_tag("includes/error_message.html")
def error_message(for_id: str, errors) -> dict:
    """The red line under a field's label: id `<for_id>-error`, for the control's aria-describedby."""
    return {"id": f"{for_id}-error", "errors": _messages(errors)}


@register.filter
def errors_for(errors, name: str) -> list[str]:
    """The messages that (name, message) pairs or a dict give `name`: for the error line and the
    red outline of an input a page writes by hand."""
    if not errors:
        return []
    if isinstance(errors, Mapping):
        return _messages(errors.get(name))
    return [str(message) for key, message in errors if key == name]


def _control(field: forms.BoundField, described_by: str, has_errors: bool) -> str:
    kind = field.widget_type
    if kind == DATE:
        # Outline the boxes an error names (a missing month), else all three; the fieldset
        # carries the hint and the error.
        if not has_errors:
            return field.as_widget()
        data = field.errors.as_data()
        parts = {part for error in data for part in (error.params or {}).get("parts", "all").split(",")} or {"all"}
        return field.as_widget(attrs={ERROR_FLAG: "all" if "all" in parts else ",".join(sorted(parts))})
    attrs: dict[str, str] = {}
    css = field.field.widget.attrs.get("class") or CONTROL_CLASS.get(kind, "govuk-input")
    if has_errors:
        modifiers = [ERROR_MODIFIER[c] for c in css.split() if c in ERROR_MODIFIER and ERROR_MODIFIER[c] not in css]
        css = " ".join([css, *modifiers])
    attrs["class"] = css
    if described_by:
        attrs["aria-describedby"] = described_by
    return field.as_widget(attrs=attrs)


@register.inclusion_tag("includes/field.html")
def govuk_field(field: forms.BoundField, *, errors=None, heading: bool = False, caption: str = "",
                size: str = "s", small: bool = True, inline: bool = False) -> dict:
    """One field as the Design System draws it. `errors` adds messages a service gave the field
    (or a dict of them by field name); `heading` makes the label or legend the page's h1 (with
    `caption` above it)."""
    extra = _messages(errors.get(field.name) if isinstance(errors, Mapping) else errors)
    messages = [*field.errors, *(message for message in extra if message not in field.errors)]
    kind = field.widget_type
    hint = str(field.help_text or (DATE_HINT if kind == DATE else ""))
    hint_id, error_id = f"{field.auto_id}-hint", f"{field.auto_id}-error"
    described_by = " ".join([hint_id] * bool(hint) + [error_id] * bool(messages))
    group = "date" if kind == DATE else "choices" if kind in CHOICES else "checkbox" if kind == CHECKBOX else "control"
    return {
        "field": field, "group": group, "multiple": kind == "checkboxselectmultiple", "errors": messages,
        "hint": hint, "hint_id": hint_id, "error_id": error_id, "described_by": described_by,
        "control": "" if group == "choices" else _control(field, described_by, bool(messages)),
        "heading": heading, "caption": caption, "size": "l" if heading else size, "small": small, "inline": inline,
    }


@register.inclusion_tag("includes/fields.html")
def govuk_fields(form: forms.BaseForm) -> dict:
    """Every visible field of `form`, in order, each drawn by `govuk_field`."""
    return {"fields": form.visible_fields()}
