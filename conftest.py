"""Suite-wide test set-up.

In CI (CI=true) nothing that needs a browser or PostgreSQL may skip: a skip there fails the
run, so a missing Chromium or database can't turn the suite green by doing less.
"""

import os

import pytest

# Playwright's sync API runs an event loop; Django's live-server tests then refuse ORM calls
# from the test thread unless this is set.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_sessionfinish(session, exitstatus):
    if not IN_CI:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    guarded = [r for r in skipped if "browser" in r.keywords or "postgres" in r.keywords]
    if guarded:
        reporter.write_line(f"CI: {len(guarded)} browser/PostgreSQL test(s) skipped; failing the run.", red=True)
        session.exitstatus = 1


@pytest.fixture
def area(db):
    from fulfil.factories import LocalAreaFactory

    return LocalAreaFactory()


@pytest.fixture
def other_area(db):
    from fulfil.factories import LocalAreaFactory

    return LocalAreaFactory(name="Kingston (test)", la_number=314, ons_code="E09000021")
