"""fulfil capacity: demand against capacity for a term, with what-if scenarios."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from fulfil.core import clock
from fulfil.core.commands import amount, area_for_command, discipline_for_command, iso_date, record_id
from fulfil.core.models import Discipline
from fulfil.core.selectors import calendar_for_area
from fulfil.planning.capacity import Scenario
from fulfil.planning.selectors import DISCIPLINES, capacity_report
from fulfil.planning.terms import term_named


def _parts(text: str, count: int, example: str) -> list[str]:
    parts = text.split(":")
    if len(parts) != count:
        raise CommandError(f"Write it like {example}, not {text!r}")
    return parts


class Command(BaseCommand):
    help = "Therapist hours needed against hours available for a term, by discipline, with what-if scenarios side by side."

    def add_arguments(self, parser):
        parser.add_argument("--term", required=True, help="e.g. 2027-spring (calendar year and season)")
        parser.add_argument("--discipline", default="", help="SALT, OT or physio (default: all)")
        parser.add_argument("--area", default="", help="DfE LA number or ONS code (needed when there are several areas)")
        parser.add_argument("--fill-vacancy", default="", help="What if vacancy ID is filled from DATE: ID:2027-01-04")
        parser.add_argument("--leave", default="", help="What if therapist ID is away from FROM to TO: ID:2027-01-04:2027-03-26")
        parser.add_argument("--buy-hours", type=amount, default=0.0, help="What if N hours are bought from independent providers")
        parser.add_argument("--today", type=iso_date, default=None)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        today = options["today"] or clock.today()
        area = area_for_command(options["area"])
        try:
            term = term_named(options["term"], calendar_for_area(area))
        except ValueError as error:
            raise CommandError(str(error)) from None
        discipline = discipline_for_command(options["discipline"])
        scenarios = [Scenario()]
        what_if = {"label": "With the changes"}
        if options["fill_vacancy"]:
            post, day = _parts(options["fill_vacancy"], 2, "12:2027-01-04")
            what_if["fill_vacancy"] = (record_id(post, what="vacancy"), iso_date(day))
        if options["leave"]:
            who, start, end = _parts(options["leave"], 3, "7:2027-01-04:2027-03-26")
            what_if["leave"] = (record_id(who, what="therapist"), iso_date(start), iso_date(end))
            if what_if["leave"][2] < what_if["leave"][1]:
                raise CommandError("--leave: the last day must be on or after the first")
        if options["buy_hours"]:
            what_if["bought_hours"] = options["buy_hours"]
        if len(what_if) > 1:
            scenarios.append(Scenario(**what_if))
        table = capacity_report(area, term, today=today, scenarios=scenarios, disciplines=(discipline,) if discipline else DISCIPLINES)
        if options["json"]:
            self.stdout.write(json.dumps({"area": area.name, "term": options["term"], "scenarios": [[{
                "discipline": g.discipline, "scenario": g.scenario, "demand_hours": round(g.demand, 1), "owed_hours": round(g.owed_hours, 1),
                "available_hours": round(g.capacity.available, 1), "gap_hours": round(g.gap, 1),
                "in_house_clinical_hours": round(g.capacity.in_house_clinical, 1), "commissioned_hours": round(g.capacity.commissioned_hours, 1),
                "vacancy_hours": round(g.capacity.vacancy_hours, 1), "bought_hours": round(g.capacity.bought_hours, 1),
            } for g in row] for row in table]}, indent=2))
            return
        self.stdout.write(f"{area.name}: {term.label} ({term.starts_on:%d %b} to {term.ends_on:%d %b %Y}), therapist hours")
        labels = dict(Discipline.choices)
        for row in table:
            self.stdout.write(f"\n{row[0].scenario}")
            self.stdout.write(f"  {'Therapy':<30}{'Needed':>10}{'Available':>11}{'Gap':>10}{'Vacant':>9}")
            for gap in row:
                self.stdout.write(f"  {labels[gap.discipline]:<30}{gap.demand:>10,.0f}{gap.capacity.available:>11,.0f}"
                                  f"{gap.gap:>10,.0f}{gap.capacity.vacancy_hours:>9,.0f}")
