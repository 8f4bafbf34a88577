"""Suite-wide test set-up.

In CI (CI=true) nothing that needs a browser or PostgreSQL may skip: a skip there fails the
run, so a missing Chromium or database can't turn the suite green by doing less.
"""

import datetime as dt
import os

import pandas  # noqa: F401  (see below)
import pytest
from freezegun import freeze_time
from hypothesis import HealthCheck, settings

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# Tests pin the clock with freezegun. pandas (imported lazily through OR-Tools by the planner)
# crashes the process if its first import happens while freezegun has replaced `datetime`
# (pandas-dev/pandas#64023), so it is imported above, before any test can pin the clock.

# Property tests check behaviour, not speed: a busy 2-core CI machine must not fail them on time.
# On a laptop they explore new random examples every run (that is how they find bugs); in CI
# they use fixed examples, so whether main is green does not depend on the draw.
settings.register_profile("fulfil", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fulfil-ci", parent=settings.get_profile("fulfil"), derandomize=True)
settings.load_profile("fulfil-ci" if IN_CI else "fulfil")

# Playwright's sync API runs an event loop; Django's live-server tests then refuse ORM calls
# from the test thread unless this is set.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    """CI names the database each pass must use, so a lost DATABASE_URL cannot quietly turn
    the PostgreSQL pass into a second SQLite pass."""
    expected = os.environ.get("FULFIL_EXPECT_DB")
    if expected:
        from django.conf import settings

        engine = settings.DATABASES["default"]["ENGINE"]
        if expected not in engine:
            raise pytest.UsageError(f"FULFIL_EXPECT_DB={expected} but the database engine is {engine}")


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests are left out of a SQLite run (the summary says how many are
    deselected); CI's PostgreSQL pass runs them, and there a skip fails the run."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    deselected = [item for item in items if item.get_closest_marker("postgres")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]


def pytest_sessionfinish(session, exitstatus):
    if not IN_CI:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    guarded = [r for r in skipped if "browser" in r.keywords or "postgres" in r.keywords]
    if guarded:
        reporter.write_line(f"CI: {len(guarded)} browser/PostgreSQL test(s) skipped; failing the run.", red=True)
        session.exitstatus = 1


# The day the tests' demo areas are generated for (`generate --today 2026-11-25`), at noon.
DEMO_DAY = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock_on_demo_day(request):
    """Pin the clock to the day a test's demo area was generated for: the pages read the clock and
    the commands are told `--today`, so both see the same day whatever the machine's date. Browser
    tests let it tick on from there, so the browser's and the live server's timeouts still run.
    Use it with `pytest.mark.usefixtures("clock_on_demo_day")`."""
    with freeze_time(DEMO_DAY, tick=request.node.get_closest_marker("browser") is not None):
        yield


@pytest.fixture
def area(db):
    from fulfil.factories import LocalAreaFactory

    return LocalAreaFactory()


@pytest.fixture
def other_area(db):
    from fulfil.factories import LocalAreaFactory

    return LocalAreaFactory(name="Kingston (test)", la_number=314, ons_code="E09000021")


@pytest.fixture
def page(live_server):
    """A Chromium page; in CI a missing browser fails the test rather than skipping it."""
    from playwright.sync_api import sync_playwright

    from fulfil.tests.browser import CHROMIUM_ARGS, chromium_or_skip

    executable = chromium_or_skip()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        # Anything the Content-Security-Policy blocks is a bug in a page: collect and fail.
        blocked = []
        page.on("console", lambda message: blocked.append(message.text)
                if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
        yield page
        assert not blocked, f"Blocked by the Content-Security-Policy: {blocked}"
        artifacts = os.environ.get("FULFIL_SCREENSHOTS")
        if artifacts:
            page.screenshot(path=os.path.join(artifacts, "last-page.png"), full_page=True)
        context.close()
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def _end_live_server_connections(django_db_setup, django_db_blocker):
    """The live server answers each browser request in a daemon thread; a thread still open
    when the server stops keeps its PostgreSQL connection, and the test database then cannot
    be dropped. End those sessions before pytest-django drops the database."""
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
