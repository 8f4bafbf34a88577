"""Users, their role, and the relationships that decide which children they may see."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from fulfil.core.models import BaseModel


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

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""), name="break_glass_has_a_reason")]

    def __str__(self) -> str:
        return f"Break-glass by user {self.user_id} for child {self.child_id}"
