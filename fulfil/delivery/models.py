"""Sessions (contacts) planned and delivered, and who was in them."""

from __future__ import annotations

from django.db import models

from fulfil.core.models import BaseModel, LocalArea


class SessionKind(models.TextChoices):
    DIRECT = "direct", "Direct one-to-one"
    GROUP = "group", "Group"
    INDIRECT = "indirect", "Indirect (programme setting, liaison)"
    ASSESSMENT = "assessment", "Assessment"
    REVIEW = "review", "Review"
    REPORT = "report", "Report writing"


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    DELIVERED = "delivered", "Delivered"
    CANCELLED_BY_SETTING = "cancelled_setting", "Cancelled by setting"
    CANCELLED_BY_FAMILY = "cancelled_family", "Cancelled by family"
    CANCELLED_BY_PROVIDER = "cancelled_provider", "Cancelled by provider"
    DID_NOT_ATTEND = "dna", "Did not attend"


class Session(BaseModel):
    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="+")
    therapist = models.ForeignKey("workforce.Therapist", on_delete=models.PROTECT, related_name="sessions")
    setting = models.ForeignKey(
        "schools.EducationSetting", on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    date = models.DateField()
    starts_at = models.TimeField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=SessionKind.choices)
    status = models.CharField(max_length=18, choices=SessionStatus.choices)
    cancellation_reason = models.CharField(max_length=200, blank=True)
    is_make_up = models.BooleanField(default=False, help_text="Makes up owed provision")
    summary = models.CharField(max_length=500, blank=True, help_text="Can be shown to the setting and family")

    class Meta:
        ordering = ["-date", "-starts_at"]
        indexes = [
            models.Index(fields=["therapist", "date"]),
            models.Index(fields=["setting", "date"]),
            models.Index(fields=["local_area", "date"]),
        ]


class Attendance(models.Model):
    """A child in a session, and the provision line that time counts against.

    A group session has one row per child, so it counts for each child against that child's
    own item.
    """

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendances")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="attendances")
    provision_item = models.ForeignKey(
        "plans.ProvisionItem", on_delete=models.PROTECT, null=True, blank=True, related_name="attendances"
    )
    minutes = models.PositiveSmallIntegerField()
    not_seen_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "child"], name="child_once_per_session")]
        indexes = [models.Index(fields=["provision_item"]), models.Index(fields=["child"])]

    def __str__(self) -> str:
        return f"child {self.child_id} in session {self.session_id}"
