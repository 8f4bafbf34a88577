"""Writes for accounts: second-factor devices, enrolment codes and recovery codes.

MFA holds only if the second factor cannot be swapped with the password alone (issue 18):
- a first authenticator needs a one-time enrolment code from an administrator;
- another authenticator needs a session already verified with one;
- a lost device is reset by an administrator, with a reason, and recorded.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from fulfil.accounts.models import (
    AuthenticatorEvent,
    AuthenticatorEventKind,
    EnrolmentCode,
    RecoveryCode,
    RecoveryCodeDevice,
    User,
    recovery_code_hash,
)

# Long enough to pass the code on by phone or in person; short, as OWASP ASVS 2.3.1 asks of
# activation codes.
ENROLMENT_CODE_LIFETIME = dt.timedelta(hours=24)
RECOVERY_CODE_COUNT = 10
# No 0/O, 1/I/L: read aloud or copied from paper without mistakes. 12 characters = 60 bits.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@transaction.atomic
def enrolment_code_issue(*, user: User, issued_by: User, now: dt.datetime, reason: str = "") -> str:
    """A new enrolment code for `user`, returned once in plain text; any earlier unused code
    stops working, so only the latest one handed over can be used."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(f"{user.display_name} already has an authenticator. Reset it first if they have lost it")
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    code = _new_code()
    EnrolmentCode.objects.create(
        user=user, issued_by=issued_by, code_hash=recovery_code_hash(code), expires_at=now + ENROLMENT_CODE_LIFETIME
    )
    AuthenticatorEvent.objects.create(user=user, by=issued_by, kind=AuthenticatorEventKind.CODE_ISSUED, reason=reason)
    return code


def enrolment_code_valid(*, user: User, code: str, now: dt.datetime) -> EnrolmentCode | None:
    """The user's unused, unexpired enrolment code matching `code`, if any."""
    return EnrolmentCode.objects.filter(
        user=user, code_hash=recovery_code_hash(code), used_at__isnull=True, expires_at__gt=now
    ).first()


@transaction.atomic
def totp_device_confirm(*, user: User, token: str, enrolment_code_id: int | None, now: dt.datetime):
    """Confirm the user's new authenticator if the code matches; returns the device or None.

    A first authenticator spends the enrolment code that let the user start (checked again
    here, so a code that expired or was replaced meanwhile no longer works)."""
    enrolment = None
    if enrolment_code_id is not None:
        enrolment = EnrolmentCode.objects.select_for_update().filter(
            pk=enrolment_code_id, user=user, used_at__isnull=True, expires_at__gt=now
        ).first()
        if enrolment is None:
            raise ValidationError("Your enrolment code has expired or been replaced. Ask your administrator for a new one")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None or not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    if enrolment is not None:
        enrolment.used_at = now
        enrolment.save(update_fields=["used_at"])
    AuthenticatorEvent.objects.create(user=user, by=user, kind=AuthenticatorEventKind.LINKED)
    return device


def totp_device_pending(*, user: User):
    """The unconfirmed authenticator being set up, made on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """Ten new recovery codes, returned once in plain text; earlier ones stop working."""
    RecoveryCodeDevice.objects.filter(user=user).delete()
    device = RecoveryCodeDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [_new_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(RecoveryCode(device=device, code_hash=recovery_code_hash(code)) for code in codes)
    AuthenticatorEvent.objects.create(user=user, by=user, kind=AuthenticatorEventKind.RECOVERY_CODES_ISSUED)
    return codes


def recovery_code_used(*, user: User) -> int:
    """Record a sign-in with a recovery code; returns how many codes are left."""
    AuthenticatorEvent.objects.create(user=user, by=user, kind=AuthenticatorEventKind.RECOVERY_CODE_USED)
    return RecoveryCode.objects.filter(device__user=user).count()


@transaction.atomic
def authenticator_reset(*, user: User, by: User, reason: str) -> None:
    """An administrator removes a user's authenticators and recovery codes (a lost or
    replaced phone), with a reason; the user then needs a new enrolment code."""
    reason = reason.replace("\x00", "").strip()  # PostgreSQL refuses a NUL byte in text
    if len(reason) < 5:
        raise ValidationError({"reason": "Say why the authenticator is being reset, for example 'Phone lost'"})
    if len(reason) > 500:
        raise ValidationError({"reason": "The reason must be 500 characters or fewer"})
    if user == by:
        raise ValidationError({"reason": "Another administrator must reset your own authenticator"})
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodeDevice.objects.filter(user=user).delete()
    AuthenticatorEvent.objects.create(user=user, by=by, kind=AuthenticatorEventKind.RESET, reason=reason)
