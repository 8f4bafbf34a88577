"""`fulfil serve`: Fulfil in production, on gunicorn (ADR 17).

Workers are sized from the machine's cores (2 x cores + 1, the usual rule for a mostly
I/O-bound Django site; at most 9), each with 4 threads, so a slow report does not hold up other
users. Static files come from WhiteNoise in the same process (collected first when the settings
name a STATIC_ROOT). The access log leaves out query strings: a child search puts a name or an
NHS number in one. `make demo` keeps Django's development server, which is not for production.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# gunicorn's access log, with the path but never the query string (%(U)s, not %(r)s).
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'


def default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, 9)


class Command(BaseCommand):
    help = "Serve Fulfil in production with gunicorn (workers from the cores, static files by WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("FULFIL_BIND", "127.0.0.1:8000"),
                            help="Address and port (default 127.0.0.1:8000, or FULFIL_BIND); put a TLS proxy in front")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("FULFIL_WORKERS", default_workers())),
                            help="Worker processes (default 2 x cores + 1, at most 9, or FULFIL_WORKERS)")
        parser.add_argument("--threads", type=int, default=int(os.environ.get("FULFIL_THREADS", 4)), help="Threads per worker (default 4)")
        parser.add_argument("--timeout", type=int, default=60, help="Seconds before a stuck request's worker is restarted")
        parser.add_argument("--print", action="store_true", dest="print_only", help="Print the gunicorn command and stop")

    def handle(self, *args, **options):
        if not 1 <= options["workers"] <= 64 or not 1 <= options["threads"] <= 64:
            raise CommandError("Give between 1 and 64 workers and threads")
        if shutil.which("gunicorn") is None and not _gunicorn_importable():
            raise CommandError("gunicorn is not installed: pip install gunicorn")
        argv = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", options["bind"], "--workers", str(options["workers"]), "--threads", str(options["threads"]),
            "--timeout", str(options["timeout"]), "--access-logfile", "-", "--access-logformat", ACCESS_LOG_FORMAT,
            "--error-logfile", "-", "--forwarded-allow-ips", os.environ.get("FULFIL_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        if options["print_only"]:
            self.stdout.write(" ".join(argv))
            return
        if getattr(settings, "STATIC_ROOT", None):
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Serving Fulfil on http://{options['bind']} with {options['workers']} workers x {options['threads']} threads")
        self.stdout.flush()
        # gunicorn replaces this process, so a supervisor's signals reach it directly.
        os.execv(sys.executable, argv)  # noqa: S606  # nosec B606 - a fixed argument list, no shell


def _gunicorn_importable() -> bool:
    # Asks whether the package is there without importing it (gunicorn runs in its own process).
    return importlib.util.find_spec("gunicorn") is not None
