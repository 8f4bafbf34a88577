"""`fulfil worker`: run queued jobs (planner runs) from the database (ADR 18).

First it marks failed, with the reason, any run whose worker was lost (a restart or a crash),
so no plan says "Running" for ever; then it takes jobs one at a time until stopped (SIGTERM
finishes the job in hand). Run one per machine, under systemd beside `fulfil serve`;
PostgreSQL lets several machines share the queue. `--batch` runs what is queued and stops.
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from fulfil.core import clock
from fulfil.planning.services import planner_runs_fail_stalled


class Command(BaseCommand):
    help = "Run queued jobs (planner runs) until stopped; --batch runs what is queued and stops."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run the jobs waiting now, then stop")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between looks at an empty queue (default 1)")

    def handle(self, *args, **options):
        stalled = planner_runs_fail_stalled(now=clock.now())
        if stalled:
            self.stdout.write(f"{stalled} planner run{'s' if stalled != 1 else ''} lost by a stopped worker marked failed")
        extra = ["--batch"] if options["batch"] else []
        call_command("db_worker", "--interval", str(options["interval"]), "--no-startup-delay", "--no-reload", *extra,
                     verbosity=options["verbosity"])
