"""Therapy providers, therapists, their time away, vacancies, and caseloads."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from fulfil.core.models import ArchivableModel, BaseModel, Discipline, LocalArea

# NHS full-time equivalent: 37.5 hours a week (Agenda for Change).
FULL_TIME_HOURS = Decimal("37.5")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


class ProviderKind(models.TextChoices):
    NHS_TRUST = "nhs_trust", "NHS trust"
    COUNCIL_COMPANY = "council_company", "Council trading company"
    INDEPENDENT = "independent", "Independent provider"


class Provider(BaseModel):
    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="providers")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ProviderKind.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Therapist(ArchivableModel):
    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="therapists")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="therapists")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    discipline = models.CharField(max_length=6, choices=Discipline.choices)
    band = models.PositiveSmallIntegerField(help_text="Agenda for Change band, e.g. 6")
    contracted_hours = models.DecimalField(max_digits=4, decimal_places=1, default=FULL_TIME_HOURS)
    base = models.CharField(max_length=200, blank=True, help_text="Where the therapist is based")
    # Weekday numbers, Monday 0 to Friday 4, e.g. "0134". Blank until the service records them:
    # the planner then assumes days from contracted hours (fulfil.planning.instance).
    working_days = models.CharField(max_length=5, blank=True, default="")
    settings_covered = models.ManyToManyField(
        "schools.EducationSetting", blank=True, related_name="therapists"
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["local_area", "discipline"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def weekdays(self) -> tuple[int, ...]:
        """The weekdays recorded as worked (empty if not recorded)."""
        return tuple(int(d) for d in self.working_days)

    @property
    def working_days_display(self) -> str:
        return ", ".join(WEEKDAY_NAMES[d] for d in self.weekdays)

    @property
    def fte(self) -> Decimal:
        return (self.contracted_hours / FULL_TIME_HOURS).quantize(Decimal("0.01"))


class AbsenceKind(models.TextChoices):
    ANNUAL_LEAVE = "annual_leave", "Annual leave"
    SICKNESS = "sickness", "Sickness"
    MATERNITY = "maternity", "Maternity or parental leave"
    TRAINING = "training", "Training"
    OTHER = "other", "Other"


class Absence(BaseModel):
    therapist = models.ForeignKey(Therapist, on_delete=models.PROTECT, related_name="absences")
    kind = models.CharField(max_length=14, choices=AbsenceKind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")), name="absence_ends_after_start"
            )
        ]


class Vacancy(BaseModel):
    """A funded post nobody fills: capacity the service plans for but does not have."""

    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="vacancies")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="vacancies")
    discipline = models.CharField(max_length=6, choices=Discipline.choices)
    band = models.PositiveSmallIntegerField()
    hours = models.DecimalField(max_digits=4, decimal_places=1, default=FULL_TIME_HOURS)
    open_from = models.DateField()
    filled_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "vacancies"


class CaseloadAssignment(BaseModel):
    """A child on a therapist's caseload for one discipline, between two dates."""

    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="+")
    therapist = models.ForeignKey(Therapist, on_delete=models.PROTECT, related_name="caseload")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="caseload_assignments")
    discipline = models.CharField(max_length=6, choices=Discipline.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["therapist", "ends_on"]), models.Index(fields=["child", "ends_on"])]
