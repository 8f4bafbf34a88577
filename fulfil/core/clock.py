"""The one clock.

"Today" decides what is due, what is owed and which statutory deadline has passed, so it is read
in one place: at the edge of the system (a view, a management command, a task) through
`today()` or `now()`, and passed down to services, selectors and pure cores as an argument.
Nothing below the edge reads the real clock, so a test pins the date once (freezegun) and the
whole call chain sees the same day; `fulfil/core/tests/test_one_clock.py` reads the source and
fails if anything else reads the machine's clock. The access checks (`children_visible_to` and the
`*_get_for_user` built on it) take `now` rather than `today`: an emergency (break-glass) grant
lasts an hour, so who may see a child is decided at a moment; the day is that moment's date.

CI also runs the suite with the machine's clock moved a term ahead (`faketime`), so a test that
passes only near the day it was written fails the day it is written.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """Today's date in the service's time zone (Europe/London). Call it at the edge only."""
    return timezone.localdate()


def now() -> dt.datetime:
    """The current moment, time-zone aware. Call it at the edge, or for a stored timestamp
    ("recorded at", "applied at") that says when something happened rather than what is due."""
    return timezone.now()
