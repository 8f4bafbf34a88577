"""The area beside its region, England and its statistical neighbours, with its rank."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from fulfil.comparisons.models import PublishedFigure, StatisticalNeighbour
from fulfil.comparisons.published import MEASURES, NOT_PUBLISHED, Measure, marker_meaning, round_half_up


@dataclass
class NeighbourFigure:
    """One statistical neighbour's figure: a value, a DfE symbol, or no row at all."""

    code: str
    name: str
    value: Decimal | None
    marker: str = ""
    published: bool = True  # False: the area has no row for the year

    @property
    def status(self) -> str:
        """Why there is no value, in plain English ("" when there is one)."""
        if self.value is not None:
            return ""
        return marker_meaning(self.marker) if self.published else NOT_PUBLISHED


@dataclass
class MeasureComparison:
    measure: Measure
    area: Decimal | None
    area_marker: str
    region: Decimal | None
    england: Decimal | None
    neighbours_average: Decimal | None  # the mean of the neighbours with a value, rounded half up
    rank: int | None  # 1 = best among areas with a published value
    of: int
    neighbours: list[NeighbourFigure] = field(default_factory=list)
    area_published: bool = True  # False: the area has no row for the year

    @property
    def area_status(self) -> str:
        """Why the area has no value, in plain English ("" when it has one)."""
        if self.area is not None:
            return ""
        return marker_meaning(self.area_marker) if self.area_published else NOT_PUBLISHED

    @property
    def neighbours_used(self) -> int:
        return sum(1 for n in self.neighbours if n.value is not None)

    @property
    def neighbours_note(self) -> str:
        """How many neighbours the average uses, e.g. "mean of 9 of 10 neighbours; 1 suppressed"."""
        total, used = len(self.neighbours), self.neighbours_used
        if not total:
            return "no statistical neighbours loaded"
        note = f"mean of {used} of {total} neighbours" if used < total else f"mean of {total} neighbour{'s' if total > 1 else ''}"
        suppressed = sum(1 for n in self.neighbours if n.value is None and n.published)
        unpublished = sum(1 for n in self.neighbours if not n.published)
        reasons = ([f"{suppressed} suppressed"] if suppressed else []) + ([f"{unpublished} not published"] if unpublished else [])
        return note + ("; " + ", ".join(reasons) if reasons else "")


@dataclass
class AreaComparison:
    name: str
    code: str
    ons_code: str
    region_name: str
    year: int
    measures: list[MeasureComparison]

    def as_dict(self) -> dict:
        def number(value: Decimal | None) -> float | None:
            return None if value is None else float(value)

        def figures(c: MeasureComparison) -> dict[str, Any]:
            return {
                "area": number(c.area), "region": number(c.region), "england": number(c.england),
                "statistical_neighbours_average": number(c.neighbours_average),
                "statistical_neighbours_used": c.neighbours_used, "statistical_neighbours": len(c.neighbours),
                "statistical_neighbours_note": c.neighbours_note, "rank": c.rank, "of": c.of,
                **({"suppressed": c.area_marker} if c.area_marker else {}),
                **({"status": c.area_status} if c.area_status else {}),
            }

        return {
            "la": self.code, "ons_code": self.ons_code, "name": self.name, "region": self.region_name, "year": self.year,
            "figures": {c.measure.name: figures(c) for c in self.measures},
            **{c.measure.name: number(c.area) for c in self.measures},
        }


def area_comparison(*, la: str, year: int) -> AreaComparison | None:
    """`la` is a DfE LA number or an ONS code. None when no figures are loaded for it."""
    la = la.strip()
    mine = PublishedFigure.objects.filter(level="Local authority", year=year).filter(Q(code=la) | Q(ons_code__iexact=la))
    first = mine.first()
    if first is None:
        return None
    region = PublishedFigure.objects.filter(level="Regional", code=first.region_code).values_list("name", flat=True).first() or ""
    # Matched by DfE LA number, closest first (the file's names are its own spellings).
    neighbour_rows = list(StatisticalNeighbour.objects.filter(la_code=first.code).order_by("closeness")
                          .values_list("neighbour_code", "neighbour_name"))
    comparisons = []
    for measure in MEASURES:
        rows = list(PublishedFigure.objects.filter(measure=measure.name, year=year))
        if not rows:
            continue
        regional = {r.code: r for r in rows if r.level == "Regional"}
        national = [r for r in rows if r.level == "National"]
        by_code = {r.code: r for r in rows if r.level == "Local authority"}
        area = by_code.get(first.code)
        # Every local authority with a published value.
        published = [r.value for r in by_code.values() if r.value is not None]
        rank = None
        if area is not None and area.value is not None:
            # Ties share the better rank.
            mine_value = area.value
            rank = 1 + sum(1 for value in published if (value > mine_value if measure.higher_is_better else value < mine_value))
        neighbours = []
        for code, name in neighbour_rows:
            row = by_code.get(code)
            neighbours.append(NeighbourFigure(code, row.name if row else name, row.value if row else None,
                                              row.marker if row else "", published=row is not None))
        known = [n.value for n in neighbours if n.value is not None]
        comparisons.append(MeasureComparison(
            measure=measure, area=area.value if area else None, area_marker=area.marker if area else "",
            region=regional[first.region_code].value if first.region_code in regional else None,
            england=national[0].value if national else None,
            # The DfE's rounding: half up.
            neighbours_average=round_half_up(sum(known, Decimal(0)) / len(known)) if known else None,
            rank=rank, of=len(published), neighbours=neighbours, area_published=area is not None,
        ))
    return AreaComparison(first.name, first.code, first.ons_code, region, year, comparisons)
