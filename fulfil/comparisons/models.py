"""Published DfE figures, as loaded, and the DfE's statistical neighbours."""

from django.db import models


class PublishedFigure(models.Model):
    """One published number (or its suppression marker) for one area and year. Not personal
    data: national statistics under the Open Government Licence."""

    measure = models.CharField(max_length=60)
    year = models.PositiveSmallIntegerField()
    time_period = models.CharField(max_length=8)
    level = models.CharField(max_length=20)
    code = models.CharField(max_length=12, help_text="DfE LA number, region code or country code")
    ons_code = models.CharField(max_length=12)
    name = models.CharField(max_length=120)
    region_code = models.CharField(max_length=12, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=3, null=True)
    marker = models.CharField(max_length=10, blank=True, help_text="x, c, z or low when the DfE suppressed the value")
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["measure", "time_period", "level", "code"], name="one_figure_per_area_year")]
        indexes = [models.Index(fields=["measure", "year", "level"])]

    def __str__(self) -> str:
        return f"{self.measure} {self.time_period} {self.name}"


class StatisticalNeighbour(models.Model):
    """One of an area's statistical neighbours, matched by DfE LA number (the file names
    areas only, in its own spellings: see `comparisons.la_names`)."""

    la_code = models.CharField(max_length=12, default="", help_text="DfE LA number of the area")
    la_name = models.CharField(max_length=120)
    neighbour_code = models.CharField(max_length=12, default="", help_text="DfE LA number of the neighbour")
    neighbour_name = models.CharField(max_length=120)
    closeness = models.PositiveSmallIntegerField(help_text="1 = closest")

    class Meta:
        ordering = ["la_name", "closeness"]
        constraints = [models.UniqueConstraint(fields=["la_name", "closeness"], name="one_neighbour_per_rank")]

    def __str__(self) -> str:
        return f"{self.la_name}: {self.closeness}. {self.neighbour_name}"
