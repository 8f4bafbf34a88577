"""Break-glass: emergency access to a child outside one's relationships, with a stated
reason, for one hour, and the area's privacy officer told at once."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fulfil.accounts.models import BreakGlassGrant
from fulfil.core import clock
from fulfil.core.identifiers import IdentifierError, normalise_nhs_number

GRANT_LENGTH = dt.timedelta(hours=1)


@transaction.atomic
def break_glass_open(*, user, nhs_number: str, reason: str) -> BreakGlassGrant:
    from fulfil.children.models import Child
    from fulfil.children.selectors import BREAK_GLASS_ROLES

    if user.role not in BREAK_GLASS_ROLES:
        raise ValidationError("Emergency access is not available for your role")
    errors = {}
    reason = reason.strip()
    if len(reason) < 10:
        errors["reason"] = "Say why you need this record now, for example 'Covering for a colleague: child in hospital'"
    try:
        number = normalise_nhs_number(nhs_number)
    except IdentifierError as error:
        errors["nhs_number"] = str(error)
        number = ""
    child = Child.objects.filter(local_area_id=user.local_area_id, nhs_number=number, archived_at__isnull=True).first() if number else None
    if number and child is None:
        errors["nhs_number"] = f"There is no child with NHS number {number[:3]} {number[3:6]} {number[6:]} in {user.local_area.name}"
    if errors:
        raise ValidationError(errors)
    grant = BreakGlassGrant.objects.create(
        local_area_id=user.local_area_id, user=user, child=child, reason=reason, expires_at=clock.now() + GRANT_LENGTH
    )
    officer = user.local_area.privacy_officer_email
    if officer:
        # The privacy officer gets who and why, and a link: never the child's name or details.
        history = reverse("children:access-history", args=[child.public_id])
        send_mail(
            subject="Fulfil: emergency access used",
            message=(f"{user.display_name} ({user.get_role_display()}) used emergency access at "
                     f"{timezone.localtime(grant.created_at):%H:%M on %d %B %Y}.\n\nReason given: {reason}\n\n"
                     f"The child's access history: {settings.FULFIL_SITE_URL}{history}\n"),
            from_email=None, recipient_list=[officer],
        )
    return grant


def break_glass_active(*, user, child, now: dt.datetime) -> BreakGlassGrant | None:
    """The user's emergency access to this child that is still open at `now`, if any."""
    return BreakGlassGrant.objects.filter(user=user, child=child, expires_at__gt=now).first()
