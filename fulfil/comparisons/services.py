"""Load the DfE's published files: all or nothing, and loading the same files again changes
nothing."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from fulfil.comparisons.la_names import la_code
from fulfil.comparisons.models import PublishedFigure, StatisticalNeighbour
from fulfil.comparisons.published import Reading, read_published_folder, read_statistical_neighbours


@transaction.atomic
def published_figures_load(*, folder: Path) -> tuple[Reading, int]:
    """Replace the loaded figures with the folder's, all or nothing."""
    reading = read_published_folder(folder)
    # A new release restates earlier years: its figures replace what was loaded for them.
    periods = {(f.measure, f.time_period) for f in reading.figures}
    for measure, period in periods:
        PublishedFigure.objects.filter(measure=measure, time_period=period).delete()
    PublishedFigure.objects.bulk_create([
        PublishedFigure(measure=f.measure, year=f.year, time_period=f.time_period, level=f.level, code=f.code,
                        ons_code=f.ons_code, name=f.name, region_code=f.region_code, value=f.value, marker=f.marker)
        for f in reading.figures
    ], batch_size=5000)
    neighbours = 0
    path = folder / "stat_neighbours.csv"
    if path.exists():
        try:
            table = read_statistical_neighbours(path)
        except (UnicodeDecodeError, csv.Error) as error:
            reading.problems.append(f"{path.name}: cannot be read as UTF-8 CSV ({type(error).__name__}); neighbours not loaded")
            return reading, 0
        StatisticalNeighbour.objects.all().delete()
        rows = []
        # Matched by DfE LA number: the file spells some names its own way (`la_names`).
        for la, names in table.items():
            code = la_code(la)
            if code is None:
                reading.problems.append(f"{path.name}: '{la[:60]}' is not a local authority Fulfil knows by that name "
                                        "(its neighbours are not loaded; add the spelling to comparisons/la_names.py)")
                continue
            for closeness, name in enumerate(names, start=1):
                neighbour_code = la_code(name)
                if neighbour_code is None:
                    reading.problems.append(f"{path.name}: neighbour '{name[:60]}' of {la[:60]} is not a local authority Fulfil "
                                            "knows by that name (left out of its average; add the spelling to comparisons/la_names.py)")
                    continue
                rows.append(StatisticalNeighbour(la_code=code, la_name=la, neighbour_code=neighbour_code, neighbour_name=name,
                                                 closeness=closeness))
        StatisticalNeighbour.objects.bulk_create(rows)
        neighbours = len(rows)
    return reading, neighbours
