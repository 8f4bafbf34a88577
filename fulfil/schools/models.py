"""Education settings: schools, colleges, nurseries and alternative provision."""

from __future__ import annotations

import datetime as dt

from django.db import models

from fulfil.core.models import ArchivableModel, LocalArea


class SettingType(models.TextChoices):
    MAINSTREAM_PRIMARY = "mainstream_primary", "Mainstream primary"
    MAINSTREAM_SECONDARY = "mainstream_secondary", "Mainstream secondary"
    MAINSTREAM_ALL_THROUGH = "mainstream_all_through", "Mainstream all-through"
    SPECIAL = "special", "Special school"
    ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision"
    EARLY_YEARS = "early_years", "Early years"
    FURTHER_EDUCATION = "further_education", "Further education"
    INDEPENDENT = "independent", "Independent or non-maintained (NMI)"


class Phase(models.TextChoices):
    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    POST_16 = "post_16", "16 plus"


class EducationSetting(ArchivableModel):
    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="settings")
    urn = models.CharField("URN", max_length=7, unique=True)
    name = models.CharField(max_length=200)
    setting_type = models.CharField(max_length=30, choices=SettingType.choices)
    phase = models.CharField(max_length=12, choices=Phase.choices)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=8)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    # The school day bounds when sessions can happen (used to reject impossible recordings).
    day_starts_at = models.TimeField(default=dt.time(8, 45))
    day_ends_at = models.TimeField(default=dt.time(15, 15))

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["local_area", "name"])]

    def __str__(self) -> str:
        return self.name
