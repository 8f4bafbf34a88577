"""Users, their role, and the relationships that decide which children they may see."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin

from fulfil.core.models import BaseModel, LocalArea


class Role(models.TextChoices):
    COUNCIL_OFFICER = "council_officer", "Council SEND officer"
    COMMISSIONER = "commissioner", "NHS commissioner"
    SERVICE_MANAGER = "service_manager", "Therapy service manager"
    THERAPIST = "therapist", "Therapist"
    SENCO = "senco", "Setting SENCO"
    PARENT = "parent", "Parent or carer"
    ADMIN = "admin", "System administrator"


class User(AbstractUser):
    """A person who signs in. What they may see follows from role + relationships, never from
    flags set on the child (deny by default)."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARENT)
    local_area = models.ForeignKey(
        "core.LocalArea", on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    provider = models.ForeignKey(
        "workforce.Provider", on_delete=models.PROTECT, null=True, blank=True, related_name="users",
        help_text="For service managers: the service they manage",
    )
    setting = models.ForeignKey(
        "schools.EducationSetting", on_delete=models.PROTECT, null=True, blank=True,
        related_name="users", help_text="For SENCOs: their school or setting",
    )
    therapist = models.OneToOneField(
        "workforce.Therapist", on_delete=models.PROTECT, null=True, blank=True,
        related_name="user",
    )

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class FamilyLink(BaseModel):
    """A parent or carer's account linked to their child, for as long as the link is active."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="family_links")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="family_links")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    young_person_consents = models.BooleanField(
        default=False, help_text="From 16, the young person has agreed this parent or carer may see their record"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "child", "starts_on"], name="one_link_per_start")
        ]


class BreakGlassGrant(BaseModel):
    """Emergency access to one child outside the user's relationships: with a reason, for a
    limited time, and the area's privacy officer is told at once."""

    local_area = models.ForeignKey("core.LocalArea", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="break_glass_grants")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="break_glass_grants")
    reason = models.CharField(max_length=500)
    expires_at = models.DateTimeField()
    # The alert to the privacy officer: when it went, or why it did not (shown to the user and
    # on the review page, so a silent failure cannot hide a use).
    alert_sent_at = models.DateTimeField(null=True, blank=True)
    alert_failure = models.CharField(max_length=500, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""), name="break_glass_has_a_reason")]

    def __str__(self) -> str:
        return f"Break-glass by user {self.user_id} for child {self.child_id}"


class EnrolmentCode(BaseModel):
    """A one-time code an administrator gives a member of staff so they can link their first
    authenticator. Only its hash is kept: the code is shown once, to the administrator."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="enrolment_codes")
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Enrolment code for user {self.user_id}"


class AuthenticatorEventKind(models.TextChoices):
    CODE_ISSUED = "code_issued", "Enrolment code issued"
    LINKED = "linked", "Authenticator linked"
    RESET = "reset", "Authenticator reset"
    RECOVERY_CODES_ISSUED = "recovery_codes_issued", "Recovery codes issued"
    RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used to sign in"


class AuthenticatorEvent(BaseModel):
    """Who changed whose second factor, when and why: never edited, never deleted."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="authenticator_events")
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=AuthenticatorEventKind.choices)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} for user {self.user_id}"


class RecoveryCodeDevice(ThrottlingMixin, Device):
    """Ten single-use codes for signing in when the authenticator app is not to hand. Kept as
    hashes (OWASP ASVS 2.6.2): each code has 60 random bits, so an unsalted SHA-256 cannot be
    worked back, and checking ten of them stays quick."""

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        # A spent code is deleted: the sign-in that used it is recorded as an AuthenticatorEvent.
        deleted, _ = self.codes.filter(code_hash=recovery_code_hash(str(token))).delete()
        if not deleted:
            self.throttle_increment()
            return False
        self.throttle_reset()
        return True


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"Recovery code {self.pk}"


def recovery_code_hash(code: str) -> str:
    """The stored form of a recovery or enrolment code: letters and digits only, upper case,
    so 'abcd-efgh-jkmn' and 'ABCDEFGHJKMN' are the same code."""
    cleaned = "".join(ch for ch in code if ch.isascii() and ch.isalnum()).upper()
    return hashlib.sha256(cleaned.encode()).hexdigest()


class AccessRecordIsAppendOnly(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AccessRecordIsAppendOnly("Access records cannot be changed")

    def delete(self):
        raise AccessRecordIsAppendOnly("Access records cannot be deleted")


class AccessRecord(models.Model):
    """Append-only: who saw which child's data, when and why (UK GDPR accountability). Who
    looked at which child is accounts knowledge: it names a user and a child, both below.

    Rows are only ever inserted; no view, service or admin action updates or deletes them.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=40)
    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=40, help_text="e.g. view-child, list-children")
    child = models.ForeignKey(
        "children.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    path = models.CharField(max_length=500)
    detail = models.CharField(max_length=500, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        # Made in core and moved here (issue 19) without touching the table: its name, triggers
        # and grants (core migrations 0002, 0004, 0005; core/db_roles.py; ADR 16) stay as they were.
        db_table = "core_accessrecord"
        ordering = ["-at"]
        indexes = [models.Index(fields=["child", "at"], name="core_access_child_i_fae0c9_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} user {self.user_id} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AccessRecordIsAppendOnly("An access record cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AccessRecordIsAppendOnly("An access record cannot be deleted")
