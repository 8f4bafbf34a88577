"""fulfil plan-term: an optimised term plan for one discipline, with its quality figures."""

from __future__ import annotations

import json
import threading

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from tqdm import tqdm

from fulfil.core import clock
from fulfil.core.commands import area_for_command, discipline_for_command, iso_date
from fulfil.planning.models import PlannerRun, RunStatus
from fulfil.planning.services import planner_run_apply, planner_run_create, planner_run_execute

STAT_KEYS = ("required_contacts", "planned_contacts", "upper_bound_contacts", "pct_of_bound", "fair_upper_bound_contacts",
             "pct_of_fair_bound", "greedy_planned_contacts",
             "children_at_zero", "children_at_zero_with_unused_capacity", "setting_visits", "greedy_setting_visits", "seconds",
             "bound_method", "status")


class Command(BaseCommand):
    help = "Plan a term for one therapy: who sees which child, when, one-to-one or in a group; and what cannot be met and why."

    def add_arguments(self, parser):
        parser.add_argument("--discipline", required=True, help="SALT, OT or physio")
        parser.add_argument("--term", required=True, help="e.g. 2027-spring (calendar year and season)")
        parser.add_argument("--time-limit", type=int, default=60, help="Seconds the optimiser may use (default 60)")
        parser.add_argument("--area", default="", help="DfE LA number or ONS code (needed when there are several areas)")
        parser.add_argument("--apply", action="store_true", help="Book the plan as planned sessions")
        parser.add_argument("--today", type=iso_date, default=None)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        area = area_for_command(options["area"])
        discipline = discipline_for_command(options["discipline"], required=True)
        today = options["today"] or clock.today()
        try:
            run = planner_run_create(local_area=area, discipline=discipline, term=options["term"], time_limit=options["time_limit"],
                                     today=today)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        progress = None
        if not options["json"] and options["verbosity"] > 0:
            progress = tqdm(total=100, desc="Planning", unit="%", file=self.stderr._out)
        run = _execute(run, progress)
        if run.status != RunStatus.FINISHED:
            raise CommandError(f"The planner failed: {run.error}")
        booking = planner_run_apply(run=run, applied_by=None, today=today, now=clock.now()) if options["apply"] else None
        stats = {key: run.stats.get(key) for key in STAT_KEYS}
        booked = {"sessions_booked": len(booking.booked), "contacts_booked": booking.contacts,
                  "sessions_skipped": len(booking.skipped), "contacts_skipped": booking.skipped_contacts} if booking else {}
        result = {"run": run.pk, "term": run.term, "discipline": discipline, **stats, "unmet_lines": len(run.plan["unmet"]), **booked}
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2))
            return
        self.stdout.write(f"{area.name}: {discipline.upper()} plan for {run.term} (run {run.pk})")
        for key, value in result.items():
            if key not in {"run", "term", "discipline"}:
                self.stdout.write(f"  {key.replace('_', ' '):<40}{value}")


def _execute(run, progress):
    if progress is None:
        return planner_run_execute(run)
    # Progress is saved on the run by the solver's callback; mirror it on a bar.
    done = threading.Event()
    result = {}

    def work():
        try:
            result["run"] = planner_run_execute(run)
        finally:
            close_old_connections()
            done.set()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    shown = 0
    while not done.wait(0.5):
        current = PlannerRun.objects.filter(pk=run.pk).values_list("progress", flat=True).first() or 0
        progress.update(max(0, current - shown))
        shown = max(shown, current)
    progress.update(100 - shown)
    progress.close()
    return result["run"]
