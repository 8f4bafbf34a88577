"""fulfil shortfall: the cohort shortfall report on the command line."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from fulfil.children.models import Child
from fulfil.core import clock
from fulfil.core.commands import area_for_command, discipline_for_command, iso_date
from fulfil.core.models import Discipline
from fulfil.ledger.selectors import cohort_shortfall, last_complete_year


class Command(BaseCommand):
    help = "Children with statutory therapy in a period: fully delivered, short, received none, and owed hours and cost."

    def add_arguments(self, parser):
        parser.add_argument("--discipline", default="", help="SALT, OT or physio (default: all)")
        parser.add_argument("--from", dest="start", type=iso_date, help="First day (default: start of the last complete academic year)")
        parser.add_argument("--to", dest="end", type=iso_date, help="Last day (default: end of that year)")
        parser.add_argument("--area", default="", help="DfE LA number or ONS code (needed when there are several areas)")
        parser.add_argument("--setting", default="", help="URN of one setting")
        parser.add_argument("--need", default="", help="Primary need code, e.g. ASD")
        parser.add_argument("--today", type=iso_date, default=None)
        parser.add_argument("--json", action="store_true", help="Machine-readable output")

    def handle(self, *args, **options):
        today = options["today"] or clock.today()
        discipline = discipline_for_command(options["discipline"])
        area = area_for_command(options["area"])
        start = options["start"] or last_complete_year(today)[0]
        end = options["end"] or last_complete_year(today)[1]
        if end < start:
            raise CommandError("--to must be on or after --from")
        setting_id = None
        if options["setting"]:
            setting = area.settings.filter(urn=options["setting"].strip()).first()
            if setting is None:
                raise CommandError(f"No setting with URN {options['setting']} in {area.name}")
            setting_id = setting.pk
        report = cohort_shortfall(
            local_area=area, children=Child.objects.filter(local_area=area), start=start, end=end, today=today,
            discipline=discipline, setting_id=setting_id, need=options["need"].upper(),
        )
        if options["json"]:
            self.stdout.write(json.dumps({"area": area.name, "discipline": discipline or "all", **report.as_dict()}, indent=2))
            return
        label = dict(Discipline.choices).get(discipline, "All therapies")
        t = report.totals
        pct = "n/a" if t.pct_contacts_delivered is None else f"{t.pct_contacts_delivered:.1f}%"
        self.stdout.write(f"{area.name}: {label}, {start:%d %B %Y} to {end:%d %B %Y}")
        self.stdout.write(f"  Children with statutory provision  {t.children_with_provision:>8,}")
        self.stdout.write(f"  Fully delivered                    {t.fully_delivered:>8,}")
        self.stdout.write(f"  Short                              {t.short:>8,}")
        self.stdout.write(f"  Received none                      {t.received_none:>8,}")
        self.stdout.write(f"  Due sessions delivered             {pct:>8}")
        self.stdout.write(f"  Hours owed                         {t.owed_hours:>8,.0f}")
        self.stdout.write(f"  Cost to make up at £{report.hourly_rate}/hour   £{t.owed_cost:>10,.0f}")
        if report.unquantified_lines:
            self.stdout.write(f"  ({report.unquantified_lines} lines do not say how often and are not counted)")
        self.stdout.write(f"  {OWED_MEANS}")


# What the owed figures count, in the words the report page uses (templates/ledger/shortfall.html).
OWED_MEANS = ("Hours owed counts the whole sessions each child was owed at the end of the period on their plan's therapy lines, "
              "in the child's own hours and with nothing carried in from before the period; a child is short when any of their "
              "lines is owed at least one whole session. In therapist hours: `fulfil capacity` (a term's gap) and "
              "`fulfil recovery` (hours to buy).")
