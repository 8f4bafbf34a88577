"""Writes for accounts: second-factor devices."""

from __future__ import annotations

from django.db import transaction


@transaction.atomic
def totp_device_confirm(*, user, token: str):
    """Confirm the user's new authenticator if the code matches; returns the device or None."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None or not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def totp_device_pending(*, user):
    """The unconfirmed authenticator being set up, made on first visit."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
