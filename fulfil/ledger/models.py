"""The area's ledger rules and the recorded exceptions that pause a child's clock."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from fulfil.core.models import BaseModel, LocalArea


class CancellationRule(models.TextChoices):
    OWED = "owed", "Owed: counts as missed provision"
    NOT_OWED = "not_owed", "Not owed"
    REVIEW = "review", "Not owed, listed for review"


class LedgerSettings(BaseModel):
    """One row per local area. Cancellations by the provider are always owed (the duty to
    secure provision is absolute, CFA 2014 s.42); the area decides the rest."""

    local_area = models.OneToOneField(LocalArea, on_delete=models.PROTECT, related_name="ledger_settings")
    records_from = models.DateField(
        help_text="The first day Fulfil holds complete session records for; nothing is counted before it"
    )
    cancelled_by_setting = models.CharField(max_length=8, choices=CancellationRule.choices, default=CancellationRule.REVIEW)
    cancelled_by_family = models.CharField(max_length=8, choices=CancellationRule.choices, default=CancellationRule.REVIEW)
    did_not_attend = models.CharField(max_length=8, choices=CancellationRule.choices, default=CancellationRule.REVIEW)
    independent_hourly_rate = models.DecimalField(
        max_digits=7, decimal_places=2, default=Decimal("95.00"),
        help_text="Cost of one hour of therapy bought from the independent market (GBP), for owed provision",
    )

    class Meta:
        verbose_name_plural = "ledger settings"

    def __str__(self) -> str:
        return f"Ledger settings for {self.local_area}"


class ProvisionPause(BaseModel):
    """A recorded exception that stops the clock for a child (all lines, or one line).

    Nothing stops the clock silently: every pause has dates, a reason and who recorded it.
    """

    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="provision_pauses")
    provision_item = models.ForeignKey(
        "plans.ProvisionItem", on_delete=models.PROTECT, null=True, blank=True, related_name="pauses",
        help_text="Leave empty to pause every line of the child's plan",
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(starts_on__lte=models.F("ends_on")), name="pause_ends_after_start"),
            models.CheckConstraint(condition=~models.Q(reason=""), name="pause_has_a_reason"),
        ]

    def __str__(self) -> str:
        return f"Pause {self.starts_on} to {self.ends_on}"


class LinePosition(models.Model):
    """One provision line's ledger position, stored so pages read it rather than recompute it
    (ADR 23). Derived data: `fulfil.ledger.positions` writes it, in the transaction of every
    write that changes it, and rebuilds it nightly from the pure ledger; nothing else may.

    A position is true as at a day (`as_at`): due accrues with the calendar, and the forecast
    looks from that day. `context_key` fingerprints what the whole area shares (its calendar,
    its ledger rules, how far ahead its discipline is booked), so a change to any of those makes
    every position it touches stale without a write to each row.
    """

    provision_item = models.OneToOneField("plans.ProvisionItem", on_delete=models.CASCADE, related_name="stored_position")
    local_area = models.ForeignKey(LocalArea, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="+")
    discipline = models.CharField(max_length=6)
    as_at = models.DateField()
    starts_on = models.DateField(help_text="First day counted: the area's records begin")
    ends_on = models.DateField(help_text="Last day counted: the end of the academic year of as_at")
    context_key = models.CharField(max_length=32)
    due = models.FloatField()
    due_minutes = models.FloatField()
    delivered = models.PositiveIntegerField()
    delivered_minutes = models.PositiveIntegerField()
    made_up = models.PositiveIntegerField()
    owed = models.FloatField(help_text="The settlement's running debt, in sessions (parts included)")
    owed_contacts = models.PositiveIntegerField(help_text="Whole sessions owed (ledger.sessions_owed)")
    owed_minutes = models.FloatField()
    counts = models.JSONField(default=dict, help_text="Cancellations, not seen, to review, excused, planned")
    state = models.CharField(max_length=13)
    reason = models.TextField(blank=True)
    problems = models.JSONField(default=list)
    blocks = models.JSONField(default=list)
    forecasts = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["local_area", "as_at"]), models.Index(fields=["child"])]

    def __str__(self) -> str:
        return f"Position of line {self.provision_item_id} as at {self.as_at}"
