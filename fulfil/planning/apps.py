import os
import sys

import highspy
from django.apps import AppConfig


def _quiet_highs_banner() -> None:
    """HiGHS prints its copyright banner to the process's stdout the first time a solver object
    is made, before any option can turn it off; that would corrupt `--json` output. Make the
    first one at start-up with stdout pointed at /dev/null (start-up is single-threaded)."""
    sys.stdout.flush()
    saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)


class PlanningConfig(AppConfig):
    name = "fulfil.planning"
    verbose_name = "Capacity and term planning"

    def ready(self) -> None:
        _quiet_highs_banner()
