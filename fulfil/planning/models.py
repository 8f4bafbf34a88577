"""Planner settings per area, and planner runs stored with their input and output so any run
can be reopened, checked and repeated."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from fulfil.core.models import BaseModel, Discipline, LocalArea


class PlanningSettings(BaseModel):
    """The overheads a service plans with. Defaults are typical of NHS children's therapy
    services; each service should set its own."""

    local_area = models.OneToOneField(LocalArea, on_delete=models.PROTECT, related_name="planning_settings")
    non_clinical_fraction = models.DecimalField(
        max_digits=3, decimal_places=2, default=Decimal("0.25"),
        help_text="Share of contracted time for notes, meetings, supervision and admin",
    )
    indirect_fraction = models.DecimalField(
        max_digits=3, decimal_places=2, default=Decimal("0.15"),
        help_text="Indirect work (programmes, liaison with staff) as a share of direct therapy time",
    )
    other_work_fraction = models.DecimalField(
        max_digits=3, decimal_places=2, default=Decimal("0.30"),
        help_text="Share of clinical time committed to work outside EHC plans (SEN support, universal and targeted work, clinics); "
                  "take it from the service's job plans",
    )
    training_hours_per_term = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal("7.5"))
    report_hours_per_advice = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal("6.0"))
    report_hours_per_review = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal("1.5"))
    travel_minutes_per_visit = models.PositiveSmallIntegerField(default=20)

    class Meta:
        verbose_name_plural = "planning settings"

    def __str__(self) -> str:
        return f"Planning settings for {self.local_area}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Failed"


# A run waiting for a worker or being solved: at most one per discipline and term (the constraint
# below), and its page shows progress.
ACTIVE_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class PlannerRun(BaseModel):
    """One optimised term plan for one discipline."""

    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="+")
    discipline = models.CharField(max_length=6, choices=Discipline.choices)
    term = models.CharField(max_length=14, help_text="e.g. 2027-spring")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent")
    progress_message = models.CharField(max_length=200, blank=True)
    time_limit_seconds = models.PositiveSmallIntegerField(default=60)
    instance = models.JSONField(help_text="The solver's input, exactly as solved")
    plan = models.JSONField(null=True, blank=True, help_text="The solver's output")
    stats = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True, help_text="When the plan was turned into planned sessions")
    applied_sessions = models.PositiveIntegerField(default=0)
    booking_report = models.JSONField(null=True, blank=True, help_text="What booking the plan did: booked, skipped and why")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One plan at a time for a discipline and term in an area: two would compete for the
            # same workers and book into the same diaries.
            models.UniqueConstraint(fields=["local_area", "discipline", "term"], condition=models.Q(status__in=ACTIVE_STATUSES),
                                    name="one_active_plan_per_discipline_and_term"),
        ]

    def __str__(self) -> str:
        return f"{self.get_discipline_display()} plan for {self.term}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def has_failed(self) -> bool:
        return self.status == RunStatus.FAILED
