"""fulfil benchmarks load DIR | fulfil benchmarks show --la 319 --year 2024 [--json]"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fulfil.comparisons.published import display, display_average
from fulfil.comparisons.selectors import area_comparison
from fulfil.comparisons.services import published_figures_load


class Command(BaseCommand):
    help = "Load the DfE's published EHC plan statistics, or show an area beside its region, England and neighbours."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Load the DfE CSV files from a folder, as published")
        load.add_argument("folder", type=Path)
        show = sub.add_parser("show", help="Show an area's figures")
        show.add_argument("--la", required=True, help="DfE LA number (e.g. 319) or ONS code (e.g. E09000029)")
        show.add_argument("--year", type=int, required=True, help="Calendar year, or the first year of an academic year")
        show.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        if options["action"] == "load":
            folder: Path = options["folder"]
            if not folder.is_dir():
                raise CommandError(f"No folder at {folder}")
            reading, neighbours = published_figures_load(folder=folder)
            for problem in reading.problems:
                self.stderr.write(problem)
            if not reading.figures:
                raise CommandError(f"No DfE figures found in {folder}")
            self.stdout.write(f"Loaded {len(reading.figures):,} figures from {', '.join(reading.files_read)}"
                              f"{f' and {neighbours:,} statistical-neighbour links' if neighbours else ''}.")
            return
        comparison = area_comparison(la=options["la"], year=options["year"])
        if comparison is None:
            raise CommandError(f"No loaded figures for LA {options['la']} in {options['year']}: run 'fulfil benchmarks load DIR' first")
        if options["json"]:
            self.stdout.write(json.dumps(comparison.as_dict(), indent=2))
            return
        self.stdout.write(f"{comparison.name} ({comparison.code}, {comparison.ons_code}), {comparison.region_name}, {comparison.year}")
        for c in comparison.measures:
            area = display(c.area, c.measure) if c.area is not None else c.area_status.split(":")[0]
            rank = f"rank {c.rank} of {c.of}" if c.rank else ""
            self.stdout.write(f"  {c.measure.label:<62} {area:>14}  {comparison.region_name or 'region'} "
                              f"{display(c.region, c.measure):>8}  England {display(c.england, c.measure):>8}  "
                              f"neighbours {display_average(c.neighbours_average, c.measure)} ({c.neighbours_note})  {rank}")
