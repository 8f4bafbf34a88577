"""Jobs the queue runs (`fulfil worker`, ADR 18): the nightly rebuild of the stored ledger
positions (ADR 23), for a deployment that schedules jobs rather than a systemd timer."""

from __future__ import annotations

import logging

from django_tasks import task

from fulfil.core import clock
from fulfil.core.models import LocalArea
from fulfil.ledger.positions import positions_rebuild

logger = logging.getLogger(__name__)


@task()
def positions_rebuild_job() -> int:
    """Rebuild every area's positions as at today; log the counts and any line that differed
    (ids only). Running it twice stores the same positions again. Returns the differences."""
    today = clock.today()
    differences = 0
    for area in LocalArea.objects.order_by("pk"):
        report = positions_rebuild(area, today=today)
        differences += len(report.differences)
        logger.info("positions rebuilt for area %s: %s lines, %s current, %s out of date, %s not stored, %s differences",
                    area.pk, report.lines, report.current, report.stale, report.missing, len(report.differences))
        for line, fields in report.differences:
            logger.warning("stored position of line %s differed from the ledger: %s", line, ", ".join(fields))
    return differences
