"""Smoke test of a production-like deployment (issue 20): `fulfil serve` and `fulfil worker` as
separate processes on PostgreSQL; a manager signs in through the real server, starts a term
plan from its page, and sees it finish because the worker took the job from the database."""

import os
import re
import signal
import subprocess  # nosec B404 - the test starts the real server and worker
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import expect

from fulfil.core.tests.test_serve import free_port
from fulfil.tests.browser import CHROMIUM_ARGS, chromium_or_skip

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def deployment(transactional_db, tmp_path):
    call_command("generate", "--seed", "5", "--children", "200", verbosity=0)
    # The suite hashes passwords with a fast hasher the real server does not accept: give the
    # manager a password hashed the way production hashes it.
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from fulfil.accounts.models import User
    from fulfil.demo.services import DEMO_PASSWORD

    User.objects.filter(username="manager").update(password=Argon2PasswordHasher().encode(DEMO_PASSWORD, Argon2PasswordHasher().salt()))
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "config.settings.base", "PYTHONUNBUFFERED": "1"}
    for name in ("FULFIL_EXPECT_DB", "FULFIL_PLANNER_INLINE"):
        env.pop(name, None)
    logs = {name: open(tmp_path / f"{name}.log", "w+") for name in ("serve", "worker")}
    processes = [
        subprocess.Popen([sys.executable, "-m", "fulfil.cli", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],  # noqa: S603
                         env=env, stdout=logs["serve"], stderr=subprocess.STDOUT, start_new_session=True),
        subprocess.Popen([sys.executable, "-m", "fulfil.cli", "worker", "--interval", "0.5"],
                         env=env, stdout=logs["worker"], stderr=subprocess.STDOUT, start_new_session=True),
    ]
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:  # noqa: S310 - loopback only
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        yield base
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)
        for log in logs.values():
            log.close()
        connection.close()


def test_a_manager_plans_a_term_through_fulfil_serve_and_fulfil_worker(deployment):
    from playwright.sync_api import sync_playwright

    from fulfil.demo.services import DEMO_PASSWORD
    from fulfil.planning.models import PlannerRun

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_or_skip(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        try:
            page.goto(f"{deployment}/")
            page.get_by_label("Username").fill("manager")
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            expect(page).to_have_title(re.compile("^Home"))
            page.goto(f"{deployment}/planning/planner/")
            page.get_by_label("Therapy").select_option(label="Speech and language therapy")
            page.get_by_label("Time the planner may take, in seconds").fill("5")
            page.get_by_role("button", name="Plan the term").click()
            # The page polls while the worker solves the plan, then shows it.
            expect(page.get_by_text("of required sessions planned")).to_be_visible(timeout=120_000)
        finally:
            browser.close()
    run = PlannerRun.objects.get()
    assert run.status == "finished" and run.plan
