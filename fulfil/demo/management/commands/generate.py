"""fulfil generate: write a synthetic local area (or all of England) for the demo or benchmarks."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from fulfil.children.models import Child
from fulfil.core import clock
from fulfil.core.commands import iso_date
from fulfil.core.models import LocalArea
from fulfil.demo.generator import SUTTON, national_specs
from fulfil.demo.need_mix import NeedMixError, need_mix_from_dfe_csv
from fulfil.demo.records import AreaSpec
from fulfil.demo.services import AreaAlreadyExists, demo_areas_generate
from fulfil.ledger.bulk import area_figures, arrays_from_duckdb, open_csv_dataset
from fulfil.ledger.figures import DisciplineFigures
from fulfil.ledger.selectors import cohort_shortfall, last_complete_year


def parse_date(text: str) -> dt.date:
    return iso_date(text, message="--today must be a date like 2026-11-25")


class Command(BaseCommand):
    help = "Generate a realistic synthetic local area (children, plans, therapists, sessions)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", type=parse_date, default=None, help="Generate as if today were this date")
        parser.add_argument("--scale", choices=["area", "national"], default="area")
        parser.add_argument("--children", type=int, default=None, help="Children with plans (in the area, or in England with --scale national)")
        parser.add_argument("--output", type=Path, default=None,
                            help="Write CSV files here instead of the database (national scale: benchmark-data/national by default)")
        parser.add_argument("--into-database", action="store_true", help="National scale: write into the database instead of CSV files")
        parser.add_argument(
            "--needs-csv", type=Path, default=None,
            help="DfE sen_needs_all_plans.csv: take the need mix for --la from the published file",
        )
        parser.add_argument("--la", default="319", help="DfE LA number or ONS code for --needs-csv")

    def handle(self, *args, **options):
        today = options["today"] or clock.today()
        if options["scale"] == "national":
            specs = list(national_specs(options["seed"], total_children=options["children"] or 640_000))
            if options["output"] is None and not options["into_database"]:
                # Tens of millions of rows: a benchmark data set on disk, not the demo database.
                options["output"] = Path("benchmark-data") / "national"
                self.stdout.write(f"Writing CSV files to {options['output']}/ (use --into-database to load them instead)")
        else:
            spec = AreaSpec(**{**SUTTON.__dict__})
            if options["needs_csv"]:
                try:
                    total, mix = need_mix_from_dfe_csv(options["needs_csv"], la=options["la"])
                except (OSError, NeedMixError) as error:
                    raise CommandError(str(error)) from None
                spec.need_counts = mix
                spec.children_with_plans = total
            if options["children"]:
                spec.children_with_plans = options["children"]
                spec.sen_support_children = options["children"] // 3
            specs = [spec]
        total_children = sum(s.children_with_plans + s.sen_support_children for s in specs)
        started = time.perf_counter()
        with tqdm(total=total_children, unit="child", desc="Generating", disable=options["verbosity"] == 0) as bar:
            try:
                result = demo_areas_generate(
                    specs=specs, seed=options["seed"], today=today, output=options["output"], progress=bar.update
                )
            except AreaAlreadyExists as error:
                raise CommandError(str(error)) from None
        elapsed = time.perf_counter() - started
        rows = {}
        for stats in result.stats:
            for table, count in stats.rows.items():
                rows[table] = rows.get(table, 0) + count
        self.stdout.write(
            f"Generated {result.areas} area(s) in {elapsed:.1f}s: "
            f"{rows.get('children_child', 0):,} children, {rows.get('plans_provisionitem', 0):,} provision lines, "
            f"{rows.get('delivery_session', 0):,} sessions, {rows.get('delivery_attendance', 0):,} attendances, "
            f"{rows.get('plans_assessmentrequest', 0):,} assessment requests, {rows.get('plans_advicerequest', 0):,} advice requests, "
            f"{rows.get('plans_annualreview', 0):,} annual reviews."
        )
        start, end = last_complete_year(today)
        figures = last_year_figures(specs, start=start, end=end, today=today, output=options["output"])
        ot, salt = (
            (sum(f.short for f in figures if f.discipline == d), sum(f.children_with_provision for f in figures if f.discipline == d))
            for d in ("ot", "salt")
        )
        self.stdout.write(
            f"Last complete year ({start:%-d %B %Y} to {end:%-d %B %Y}): {ot[0]:,} of {ot[1]:,} children ended behind their "
            f"statutory OT; {salt[0]:,} of {salt[1]:,} behind their SALT, as `fulfil shortfall` counts them."
        )


def last_year_figures(specs: list[AreaSpec], *, start: dt.date, end: dt.date, today: dt.date, output: Path | None) -> list[DisciplineFigures]:
    """The shortfall report's figures for the generated areas, read back from what was written:
    the ledger's own count (`ledger.is_behind`), never the generator's idea of what it made."""
    if output is not None:
        con = open_csv_dataset(output)
        return [f for arrays in arrays_from_duckdb(con, start=start, end=end) for f in area_figures(arrays, start=start, end=end, today=today)]
    figures: list[DisciplineFigures] = []
    for area in LocalArea.objects.filter(la_number__in=[spec.la_number for spec in specs]):
        report = cohort_shortfall(local_area=area, children=Child.objects.filter(local_area=area), start=start, end=end, today=today)
        figures.extend(report.by_discipline)
    return figures
