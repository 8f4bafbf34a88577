"""fulfil recovery: the fewest independent hours to buy to be back on track by a date."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from fulfil.core import clock
from fulfil.core.commands import amount, area_for_command, discipline_for_command, iso_date
from fulfil.planning.selectors import recovery_input
from fulfil.planning.solver.recovery import TARGET_WITHIN, earliest_month_for_budget, plan_recovery


class Command(BaseCommand):
    help = "Hours to buy from independent providers, by setting cluster and month, to clear what is owed by a date, and their cost."

    def add_arguments(self, parser):
        parser.add_argument("--discipline", required=True, help="SALT, OT or physio")
        parser.add_argument("--by", type=iso_date, required=True, help="Back on track by this date, e.g. 2027-03-31")
        parser.add_argument("--rate", type=amount, default=None, help="Pounds per bought hour (default: the area's rate)")
        parser.add_argument("--budget", type=amount, default=None, help="Also print the earliest month this budget reaches 100%%")
        parser.add_argument("--area", default="", help="DfE LA number or ONS code (needed when there are several areas)")
        parser.add_argument("--today", type=iso_date, default=None)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        today = options["today"] or clock.today()
        if options["by"] < today:
            raise CommandError("--by must be today or later")
        if options["by"] > today + TARGET_WITHIN:
            raise CommandError(f"--by must be within {TARGET_WITHIN.days // 365} years of today")
        if options["rate"] == 0:
            raise CommandError("--rate must be more than 0")
        area = area_for_command(options["area"])
        discipline = discipline_for_command(options["discipline"], required=True)
        data = recovery_input(area, discipline=discipline, by=options["by"], today=today, rate=options["rate"])
        plan = plan_recovery(data)
        earliest = earliest_month_for_budget(data, options["budget"]) if options["budget"] is not None else None
        result = {
            "area": area.name, "discipline": discipline, "target_month": plan.target_month, "feasible": plan.feasible,
            "hours_to_buy": round(plan.total_hours, 1), "cost": round(plan.total_cost, 2), "rate": data.rates[discipline],
            "owed_hours_now": round(data.owed_hours, 1), "seconds": round(plan.seconds, 3),
            "by_month": {m: round(sum(p.hours for p in plan.purchases if p.month == m), 1) for m in data.months},
            **({"budget": options["budget"], "earliest_month_for_budget": earliest} if options["budget"] is not None else {}),
        }
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2))
            return
        self.stdout.write(f"{area.name}: {discipline.upper()} back on track by {plan.target_month}"
                          f"{'' if plan.feasible else ' is NOT reachable with the market hours available'}")
        self.stdout.write(f"  Owed now {result['owed_hours_now']:,} hours; buy {result['hours_to_buy']:,} hours for £{result['cost']:,.2f}")
        for month, hours in result["by_month"].items():
            if hours:
                self.stdout.write(f"  {month}  {hours:>8,.1f} hours")
        if options["budget"] is not None:
            outcome = f"back on track by {earliest}" if earliest else "not enough within the months planned"
            self.stdout.write(f"  With £{options['budget']:,.0f}: {outcome}")
