"""fulfil demo: migrate, generate the demo area if the database is empty, and serve it with a job worker."""

from __future__ import annotations

import subprocess  # nosec B404 - starts Fulfil's own worker
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from fulfil.core.models import LocalArea
from fulfil.demo.services import DEMO_PASSWORD, demo_sign_ins


class Command(BaseCommand):
    help = "Set up and serve the demo local area at http://127.0.0.1:8000"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", default=None)
        parser.add_argument("--port", default="8000")
        parser.add_argument("--no-serve", action="store_true", help="Set up only; do not start the server")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if not LocalArea.objects.exists():
            self.stdout.write("Generating the demo local area (about 30 seconds)...")
            extra = ["--today", options["today"]] if options["today"] else []
            call_command("generate", "--seed", str(options["seed"]), *extra)
        else:
            self.stdout.write("Using the existing demo data (delete fulfil.sqlite3 to start again).")
        self.stdout.write(f"\nSign in at http://127.0.0.1:{options['port']} with any of these (password: {DEMO_PASSWORD}):")
        for sign_in in demo_sign_ins():
            self.stdout.write(f"  {sign_in.username:<14} {sign_in.role_label}")
        self.stdout.write("")
        if not options["no_serve"]:
            # Planner runs are jobs: a worker runs beside the development server, as `fulfil
            # worker` runs beside `fulfil serve` in production (ADR 18).
            worker = subprocess.Popen([sys.executable, "-m", "fulfil.cli", "worker"])  # nosec B603
            try:
                call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)
            finally:
                worker.terminate()
                worker.wait(timeout=30)
