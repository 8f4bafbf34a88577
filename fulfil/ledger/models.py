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
