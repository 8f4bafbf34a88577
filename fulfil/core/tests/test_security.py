import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from fulfil.factories import ChildFactory, UserFactory

ROOT = Path(__file__).resolve().parents[3]


def test_production_settings_pass_djangos_deployment_checks():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "FULFIL_SECRET_KEY": secrets.token_urlsafe(60), "FULFIL_ALLOWED_HOSTS": "fulfil.example.org"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production"}
    env.pop("FULFIL_SECRET_KEY", None)
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "FULFIL_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_every_page_has_a_content_security_policy_without_inline_script(client, area):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert "<script>" not in response.content.decode()


@pytest.mark.django_db
def test_a_session_ends_twelve_hours_after_sign_in_however_active(client, area):
    import time

    child = ChildFactory(local_area=area)
    client.force_login(UserFactory(role="council_officer", local_area=area))
    url = reverse("children:detail", args=[child.public_id])
    assert client.get(url).status_code == 200
    session = client.session
    session["signed_in_at"] = time.time() - 12 * 60 * 60 - 1
    session.save()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_five_wrong_passwords_lock_sign_in_for_that_username(client, area):
    UserFactory(username="priya", role="council_officer", local_area=area)
    url = reverse("accounts:login")
    for _ in range(4):
        response = client.post(url, {"username": "priya", "password": "wrong password"})
        assert "Enter a correct username and password" in response.content.decode()
    response = client.post(url, {"username": "priya", "password": "wrong password"})
    assert response.status_code == 429 and "Sign in is locked for an hour" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post(url, {"username": "priya", "password": "correct horse battery staple"})
    assert response.status_code == 429


def _django(code: str, **extra) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", "FULFIL_SECRET_KEY": secrets.token_urlsafe(60),
           "FULFIL_ALLOWED_HOSTS": "fulfil.example.org", **extra}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    command = [sys.executable, "-c", "import django; django.setup(); " + code]  # the tests' own code, no input
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603


def test_production_refuses_a_secret_key_under_fifty_characters():
    result = _django("", FULFIL_SECRET_KEY="x" * 49)
    assert result.returncode != 0 and "FULFIL_SECRET_KEY is 49 characters" in result.stderr
    assert _django("", FULFIL_SECRET_KEY="k" * 50).returncode == 0


def test_behind_a_tls_proxy_production_trusts_the_header_it_is_told_to():
    show = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    assert _django(show).stdout.strip() == "None"
    assert _django(show, FULFIL_PROXY_SSL_HEADER="X-Forwarded-Proto: https").stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert _django(show, FULFIL_PROXY_SSL_HEADER="X-Forwarded-Proto").returncode != 0


def test_behind_a_tls_proxy_a_forwarded_https_request_is_served_not_redirected():
    code = ("from django.http import HttpResponse; from django.middleware.security import SecurityMiddleware; "
            "from django.test import RequestFactory; "
            "request = RequestFactory(HTTP_HOST='fulfil.example.org').get('/sign-in/', HTTP_X_FORWARDED_PROTO='https'); "
            "print(SecurityMiddleware(lambda r: HttpResponse('served'))(request).status_code)")
    assert _django(code).stdout.strip() == "301"  # the loop: the proxy's HTTPS request is sent to HTTPS again
    assert _django(code, FULFIL_PROXY_SSL_HEADER="X-Forwarded-Proto: https").stdout.strip() == "200"
