"""The area beside its region, England and its statistical neighbours, with its rank."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from fulfil.comparisons.models import PublishedFigure, StatisticalNeighbour
from fulfil.comparisons.published import MEASURES, Measure


@dataclass
class MeasureComparison:
    measure: Measure
    area: Decimal | None
    area_marker: str
    region: Decimal | None
    england: Decimal | None
    neighbours_average: Decimal | None
    rank: int | None  # 1 = best among areas with a published value
    of: int
    neighbours: list[tuple[str, Decimal | None]] = field(default_factory=list)


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

        return {
            "la": self.code, "ons_code": self.ons_code, "name": self.name, "region": self.region_name, "year": self.year,
            "figures": {c.measure.name: {
                "area": number(c.area), "region": number(c.region), "england": number(c.england),
                "statistical_neighbours_average": number(c.neighbours_average), "rank": c.rank, "of": c.of,
                **({"suppressed": c.area_marker} if c.area_marker else {}),
            } for c in self.measures},
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
    neighbour_names = list(StatisticalNeighbour.objects.filter(la_name=first.name).values_list("neighbour_name", flat=True))
    comparisons = []
    for measure in MEASURES:
        rows = list(PublishedFigure.objects.filter(measure=measure.name, year=year))
        if not rows:
            continue
        regional = {r.code: r for r in rows if r.level == "Regional"}
        national = [r for r in rows if r.level == "National"]
        area = next((r for r in rows if r.level == "Local authority" and r.code == first.code), None)
        # Every local authority with a published value, as (name, value).
        published = [(r.name, r.value) for r in rows if r.level == "Local authority" and r.value is not None]
        rank = None
        if area is not None and area.value is not None:
            # Ties share the better rank.
            mine_value = area.value
            rank = 1 + sum(1 for _name, value in published
                           if (value > mine_value if measure.higher_is_better else value < mine_value))
        neighbours = [(n, next((value for name, value in published if name == n), None)) for n in neighbour_names]
        known = [v for _, v in neighbours if v is not None]
        comparisons.append(MeasureComparison(
            measure=measure, area=area.value if area else None, area_marker=area.marker if area else "",
            region=regional[first.region_code].value if first.region_code in regional else None,
            england=national[0].value if national else None,
            neighbours_average=(sum(known, Decimal(0)) / len(known)).quantize(Decimal("0.1")) if known else None,
            rank=rank, of=len(published), neighbours=neighbours,
        ))
    return AreaComparison(first.name, first.code, first.ons_code, region, year, comparisons)
