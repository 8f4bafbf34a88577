"""Break-glass: emergency access to a child outside one's relationships, with a stated
reason, for one hour, and the area's privacy officer told at once.

Who may use it, and how often (issue 18; NHS DSPT 4.2 "access is reviewed"):
- therapists and service managers of the area's own services (NHS or council), not an
  independent provider's staff: their contract covers the children they are sent, nothing more;
- at most BREAK_GLASS_DAILY_LIMIT times a day each: an emergency is rare, a habit is not;
- every use is listed for the privacy officer to review (accounts:break-glass-review), and an
  alert that could not be sent is shown to the user and on that list, never dropped silently.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fulfil.accounts.models import BreakGlassGrant, Role, User
from fulfil.accounts.scopes import BREAK_GLASS_ROLES
from fulfil.children.models import Child
from fulfil.core.identifiers import IdentifierError, normalise_nhs_number
from fulfil.workforce.models import ProviderKind

logger = logging.getLogger(__name__)

GRANT_LENGTH = dt.timedelta(hours=1)
BREAK_GLASS_DAILY_LIMIT = 3
REASON_MAX_LENGTH = 500


def break_glass_allowed(user) -> bool:
    """Whether this user may open a child's record in an emergency at all."""
    if not user.is_authenticated or user.role not in BREAK_GLASS_ROLES:
        return False
    if user.role == Role.THERAPIST:
        provider = user.therapist.provider if user.therapist_id else None
    else:
        provider = user.provider
    return provider is None or provider.kind != ProviderKind.INDEPENDENT


def break_glass_used_today(*, user, now: dt.datetime) -> int:
    """How many times the user has broken glass since midnight (local time) on `now`'s day."""
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return BreakGlassGrant.objects.filter(user=user, created_at__gte=midnight, created_at__lte=now).count()


@transaction.atomic
def break_glass_open(*, user, nhs_number: str, reason: str, now: dt.datetime) -> BreakGlassGrant:
    if not break_glass_allowed(user):
        raise ValidationError("Emergency access is not available for your role")
    # Lock the user's row so two requests at once cannot both slip under the daily limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if break_glass_used_today(user=user, now=now) >= BREAK_GLASS_DAILY_LIMIT:
        raise ValidationError({"reason": (
            f"You have used emergency access {BREAK_GLASS_DAILY_LIMIT} times today, the most allowed. "
            "Ask the child's own therapist, their service manager or the council's SEND team"
        )})
    errors = {}
    reason = reason.replace("\x00", "").strip()  # PostgreSQL refuses a NUL byte in text
    if len(reason) < 10:
        errors["reason"] = "Say why you need this record now, for example 'Covering for a colleague: child in hospital'"
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = f"The reason must be {REASON_MAX_LENGTH} characters or fewer"
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
        local_area_id=user.local_area_id, user=user, child=child, reason=reason, created_at=now, expires_at=now + GRANT_LENGTH
    )
    # The e-mail goes once the grant is stored: an alert about access that was rolled back would
    # send the privacy officer to a use that never happened, and a slow mail server must not hold
    # the lock on the user's row. On the usual path (no outer transaction) the grant's row commits
    # as this function returns, so the caller still sees whether the alert went.
    transaction.on_commit(lambda: _alert_privacy_officer(grant=grant, now=now))
    return grant


def _alert_privacy_officer(*, grant: BreakGlassGrant, now: dt.datetime) -> None:
    """E-mail the area's privacy officer; record on the grant whether it went."""
    user = grant.user
    officer = user.local_area.privacy_officer_email
    if not officer:
        grant.alert_failure = "No privacy officer e-mail address is set for the area"
    else:
        # The privacy officer gets who and why, and a link: never the child's name or details.
        history = reverse("children:access-history", args=[grant.child.public_id])
        review = reverse("accounts:break-glass-review")
        try:
            send_mail(
                subject="Fulfil: emergency access used",
                message=(f"{user.display_name} ({user.get_role_display()}) used emergency access at "
                         f"{timezone.localtime(grant.created_at):%H:%M on %d %B %Y}.\n\nReason given: {grant.reason}\n\n"
                         f"The child's access history: {settings.FULFIL_SITE_URL}{history}\n"
                         f"Every use, to review: {settings.FULFIL_SITE_URL}{review}\n"),
                from_email=None, recipient_list=[officer], fail_silently=False,
            )
        except Exception as error:  # any mail failure (SMTP, DNS, refused) must be recorded, not raised
            logger.exception("Break-glass alert for grant %s could not be sent", grant.pk)
            grant.alert_failure = f"The e-mail could not be sent: {type(error).__name__}"[:500]
        else:
            grant.alert_sent_at = now
    grant.save(update_fields=["alert_sent_at", "alert_failure"])


@transaction.atomic
def break_glass_mark_reviewed(*, grant: BreakGlassGrant, by, now: dt.datetime) -> BreakGlassGrant:
    """The privacy officer has looked at this use of emergency access."""
    if grant.reviewed_at is None:
        grant.reviewed_at, grant.reviewed_by = now, by
        grant.save(update_fields=["reviewed_at", "reviewed_by"])
    return grant


def break_glass_active(*, user, child, now: dt.datetime) -> BreakGlassGrant | None:
    """The user's emergency access to this child that is still open at `now`, if any."""
    return BreakGlassGrant.objects.filter(user=user, child=child, expires_at__gt=now).first()


def break_glass_for_review(*, local_area_id: int):
    """Every use of emergency access in the area, newest first, for the privacy officer."""
    return (BreakGlassGrant.objects.filter(local_area_id=local_area_id)
            .select_related("user", "user__therapist__provider", "user__provider", "child", "reviewed_by"))
