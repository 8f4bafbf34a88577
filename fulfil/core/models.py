"""Shared building blocks: the tenant (local area) and its school calendar. The access log is
`fulfil.accounts.models.AccessRecord` (its table keeps the name core_accessrecord)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from fulfil.core import disciplines


class BaseModel(models.Model):
    """Every case table records when a row was made and last changed."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ArchivableModel(BaseModel):
    """Nothing personal is deleted by a user action: it is archived with a reason."""

    archived_at = models.DateTimeField(null=True, blank=True)
    archived_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class LocalArea(BaseModel):
    """A council area: the tenant key carried by every table that holds case data."""

    name = models.CharField(max_length=200)
    la_number = models.PositiveSmallIntegerField(
        unique=True, help_text="DfE LA number, e.g. 319 for Sutton"
    )
    ons_code = models.CharField(max_length=9, unique=True, help_text="ONS code, e.g. E09000029")
    region = models.CharField(max_length=100, blank=True)
    privacy_officer_email = models.EmailField(
        blank=True, help_text="Told at once whenever someone uses emergency (break-glass) access"
    )
    # From the end of compulsory school age the Children and Families Act 2014 gives its rights
    # to the young person rather than the parent (a "young person" is over compulsory school
    # age, s.83(2)). Fulfil draws the line at the 16th birthday, a little before the end of
    # compulsory school age (the last Friday of June of the school year in which a child turns
    # 16), so the young person is asked first rather than last.
    parent_access_needs_consent_from_16 = models.BooleanField(
        default=True, help_text="From a young person's 16th birthday, parents see their record only with the young person's consent"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Discipline(models.TextChoices):
    """The database choices for `disciplines.Discipline`: values and labels said there once."""

    SALT = disciplines.Discipline.SALT.value, disciplines.Discipline.SALT.label
    OT = disciplines.Discipline.OT.value, disciplines.Discipline.OT.label
    PHYSIO = disciplines.Discipline.PHYSIO.value, disciplines.Discipline.PHYSIO.label


class TermName(models.TextChoices):
    AUTUMN = "autumn", "Autumn"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"


class TermDates(BaseModel):
    """A local area's published dates for one term (councils set these for their schools)."""

    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="terms")
    academic_year = models.PositiveSmallIntegerField(help_text="Year the academic year starts")
    term = models.CharField(max_length=6, choices=TermName.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    half_term_starts_on = models.DateField()
    half_term_ends_on = models.DateField()

    class Meta:
        ordering = ["local_area", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_area", "academic_year", "term"], name="one_set_of_dates_per_term"
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("half_term_starts_on"))
                & models.Q(half_term_starts_on__lte=models.F("half_term_ends_on"))
                & models.Q(half_term_ends_on__lte=models.F("ends_on")),
                name="half_term_inside_term",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_term_display()} {self.academic_year}/{(self.academic_year + 1) % 100:02d}"


class ClosureDay(BaseModel):
    """A day schools in the area are closed inside term: INSET (training) days and the like."""

    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="closures")
    date = models.DateField()
    description = models.CharField(max_length=200, default="INSET day")

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["local_area", "date"], name="one_closure_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.description}, {self.date:%d %B %Y}"
