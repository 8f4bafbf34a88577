"""`fulfil serve` really serves: gunicorn starts, /healthz answers from the database, static
files come from WhiteNoise, a page needs a sign-in, and the access log holds no query string."""

import os
import signal
import socket
import subprocess  # nosec B404 - the test starts the real server
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def server(tmp_path: Path):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}", "DJANGO_SETTINGS_MODULE": "config.settings.base",
           "PYTHONUNBUFFERED": "1"}
    env.pop("FULFIL_EXPECT_DB", None)
    log = open(tmp_path / "serve.log", "w+")
    process = subprocess.Popen([sys.executable, "-m", "fulfil.cli", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1",  # noqa: S603
                                "--threads", "2"], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if get(f"{base}/healthz")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if process.poll() is not None:
                break
            time.sleep(0.2)
        yield base, tmp_path / "serve.log"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def test_fulfil_serve_runs_gunicorn_that_answers_and_logs_no_query_string(server):
    base, log_path = server
    assert get(f"{base}/healthz") == (200, "ok")
    status, css = get(f"{base}/static/fulfil/app.css")
    assert status == 200 and css
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(f"{base}/children/?q=Amelia+Smith+9990001234", timeout=5)
        redirected = None
    except urllib.error.HTTPError as error:
        redirected = error
    assert redirected is not None and redirected.code == 302 and "/sign-in" in redirected.headers["Location"]
    time.sleep(0.5)
    log = log_path.read_text()
    assert "gunicorn" in log.lower() and '"GET /children/ HTTP/1.1" 302' in log
    assert "Amelia" not in log and "9990001234" not in log


def test_serve_prints_workers_sized_from_the_cores(capsys):
    from django.core.management import call_command

    from fulfil.core.management.commands.serve import default_workers

    call_command("serve", "--print")
    printed = capsys.readouterr().out
    assert f"--workers {default_workers()}" in printed and "config.wsgi:application" in printed and "%(U)s" in printed
