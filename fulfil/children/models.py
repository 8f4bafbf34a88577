"""Children and young people (0-25) and what the service knows about them."""

from __future__ import annotations

import uuid

from django.db import models

from fulfil.core.models import ArchivableModel, BaseModel, Discipline, LocalArea


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNKNOWN = "U", "Not known"


class SenStatus(models.TextChoices):
    NONE = "none", "No SEN"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHCP = "ehcp", "EHC plan"


class Need(models.TextChoices):
    """Primary and secondary need codes used in DfE returns (school census, SEN2)."""

    SPLD = "SPLD", "Specific learning difficulty"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SEMH = "SEMH", "Social, emotional and mental health"
    SLCN = "SLCN", "Speech, language and communication needs"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Visual impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    ASD = "ASD", "Autistic spectrum disorder"
    OTH = "OTH", "Other difficulty or disability"
    NSA = "NSA", "SEN support but no specialist assessment of type of need"


class SupportLevel(models.TextChoices):
    """The Balanced System levels of a graduated response."""

    UNIVERSAL = "universal", "Universal"
    TARGETED = "targeted", "Targeted"
    SPECIALIST = "specialist", "Specialist"


class Child(ArchivableModel):
    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="children")
    # An id that is safe to put in URLs and logs: it says nothing about the child.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, db_index=True)
    upn = models.CharField("UPN", max_length=13, blank=True, db_index=True)
    sen_status = models.CharField(max_length=12, choices=SenStatus.choices)
    primary_need = models.CharField(max_length=4, choices=Need.choices, blank=True)
    secondary_need = models.CharField(max_length=4, choices=Need.choices, blank=True)
    current_setting = models.ForeignKey(
        "schools.EducationSetting", on_delete=models.PROTECT, null=True, blank=True,
        related_name="pupils",
    )
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    confidential_address = models.BooleanField(
        default=False, help_text="Address must not be shown or sent to anyone outside the council"
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        indexes = [
            models.Index(fields=["local_area", "last_name", "first_name"]),
            models.Index(fields=["local_area", "sen_status"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def has_plan(self) -> bool:
        return self.sen_status == SenStatus.EHCP

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class UpnKind(models.TextChoices):
    CURRENT = "current", "Current"
    FORMER = "former", "Former"
    TEMPORARY = "temporary", "Temporary"


class UpnRecord(BaseModel):
    """Every UPN a child has had: schools issue temporary UPNs and children move areas."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="upn_history")
    upn = models.CharField("UPN", max_length=13, db_index=True)
    kind = models.CharField(max_length=9, choices=UpnKind.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-valid_from"]


class Enrolment(BaseModel):
    """Dates on roll at a setting: provision is due only while the child is on roll where the
    service covers."""

    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="enrolments")
    setting = models.ForeignKey(
        "schools.EducationSetting", on_delete=models.PROTECT, related_name="enrolments"
    )
    on_roll_from = models.DateField()
    on_roll_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-on_roll_from"]
        indexes = [models.Index(fields=["setting", "on_roll_to"])]


class ParentCarer(ArchivableModel):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="parent_carers")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=50, help_text="e.g. Mother, Father, Foster carer")
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    has_parental_responsibility = models.BooleanField(default=True)
    is_main_contact = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_main_contact", "name"]


class DisciplineSupport(BaseModel):
    """The child's current level of support in one discipline (Balanced System).

    Children on SEN support can have targeted or specialist therapy without a plan.
    """

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="support_levels")
    discipline = models.CharField(max_length=6, choices=Discipline.choices)
    level = models.CharField(max_length=10, choices=SupportLevel.choices)
    since = models.DateField()

    class Meta:
        ordering = ["discipline"]
        constraints = [
            models.UniqueConstraint(fields=["child", "discipline"], name="one_level_per_discipline")
        ]
