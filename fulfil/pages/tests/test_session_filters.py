"""The session template filters: what a page offers for a session follows its status, and each
status is read from SessionStatus, never retyped in a template."""

import pytest
from django.template import Context, Template

from fulfil.delivery.models import Session, SessionStatus

OFFER = Template(
    "{% load fulfil_tags %}{% if session|is_planned %}move{% elif session|is_recorded %}correct{% else %}none{% endif %}"
    "{% if session|is_delivered %} minutes{% endif %}"
)


@pytest.mark.parametrize(("status", "offered"), [
    (SessionStatus.PLANNED, "move"),
    (SessionStatus.DELIVERED, "correct minutes"),
    (SessionStatus.CANCELLED_BY_FAMILY, "correct"),
    (SessionStatus.DID_NOT_ATTEND, "correct"),
    (SessionStatus.REPLACED, "none"),
])
def test_a_session_is_moved_while_planned_and_corrected_once_recorded(status, offered):
    assert OFFER.render(Context({"session": Session(status=status)})) == offered
