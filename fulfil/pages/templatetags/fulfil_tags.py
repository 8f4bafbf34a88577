"""The project's template filters and tags (`{% load fulfil_tags %}`). They live in the pages
layer because one of them, `can`, asks the capability policy (accounts), which the core below
may not import."""

from django import template
from django.utils.http import urlencode

from fulfil.accounts.policy import Capability
from fulfil.accounts.policy import can as policy_can
from fulfil.core.identifiers import IdentifierError, format_nhs_number
from fulfil.delivery.models import Session, SessionStatus

register = template.Library()

# GOV.UK tag colours for session statuses: delivered is good news, provider cancellations are
# what the council owes, the rest are recorded and reviewed.
_STATUS_TAG: dict[str, str] = {
    SessionStatus.DELIVERED: "govuk-tag--green",
    SessionStatus.PLANNED: "govuk-tag--blue",
    SessionStatus.CANCELLED_BY_PROVIDER: "govuk-tag--red",
    SessionStatus.CANCELLED_BY_SETTING: "govuk-tag--yellow",
    SessionStatus.CANCELLED_BY_FAMILY: "govuk-tag--yellow",
    SessionStatus.DID_NOT_ATTEND: "govuk-tag--orange",
}


@register.filter
def nhs_number(value: str) -> str:
    if not value:
        return ""
    try:
        return format_nhs_number(value)
    except IdentifierError:
        return value


@register.filter
def status_tag(status: str) -> str:
    return _STATUS_TAG.get(status, "govuk-tag--grey")


# What a page may offer for a session, asked of its status here so templates never retype one.
@register.filter
def is_planned(session: Session) -> bool:
    """Booked, not yet recorded: it may be moved."""
    return session.status == SessionStatus.PLANNED


@register.filter
def is_recorded(session: Session) -> bool:
    """What happened was recorded (delivered or cancelled): it may be corrected. A planned
    session is not recorded yet, and a replaced one's children were recorded elsewhere."""
    return session.status not in {SessionStatus.PLANNED, SessionStatus.REPLACED}


@register.filter
def is_delivered(session: Session) -> bool:
    """Delivered: its minutes count."""
    return session.status == SessionStatus.DELIVERED


@register.simple_tag(takes_context=True)
def page_query(context, page_number) -> str:
    """The current query string with a different page number (keeps the filters)."""
    params = context["request"].GET.copy()
    params["page"] = page_number
    return "?" + urlencode(sorted((k, v) for k, v in params.items() if v))


@register.filter
def age_on(date_of_birth, today) -> int:
    years = today.year - date_of_birth.year
    if (today.month, today.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


@register.filter
def field_label(key: str) -> str:
    """"nhs_number" -> "NHS number": column names as a person would write them."""
    words = key.replace("_", " ").split()
    acronyms = {"nhs": "NHS", "upn": "UPN", "id": "ID", "sen": "SEN"}
    text = " ".join(acronyms.get(w, w) for w in words)
    return text[:1].upper() + text[1:]


@register.filter
def can(user, capability: str) -> bool:
    """`{% if user|can:"set_working_days" %}`: templates ask the one policy, never a role."""
    return policy_can(user, Capability(capability))
