"""Production: refuse to start with a development key; HTTPS everywhere."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BASE_DIR, env_bool

SECRET_KEY = os.environ["FULFIL_SECRET_KEY"]
# Django's own deployment check asks for at least 50 characters (security.W009); a short key
# can be guessed offline from one signed cookie, so production will not start with one.
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        f"FULFIL_SECRET_KEY is {len(SECRET_KEY)} characters; production needs at least 50 random characters "
        "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
DEBUG = False
FULFIL_REQUIRE_MFA = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
# A load balancer probes /healthz over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Behind a proxy that ends TLS, Django sees plain HTTP and SECURE_SSL_REDIRECT would redirect
# for ever. FULFIL_PROXY_SSL_HEADER names the header the proxy sets and its value for HTTPS,
# e.g. "X-Forwarded-Proto: https". Set it only when the proxy strips that header from clients.
if os.environ.get("FULFIL_PROXY_SSL_HEADER"):
    _header, _, _value = os.environ["FULFIL_PROXY_SSL_HEADER"].partition(":")
    if not _header.strip() or not _value.strip():
        raise ImproperlyConfigured('FULFIL_PROXY_SSL_HEADER must look like "X-Forwarded-Proto: https".')
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _header.strip().upper().replace("-", "_"), _value.strip())

# collectstatic writes here; WhiteNoise serves it with far-future cache headers.
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False

# E-mail really goes out (issue 18: the break-glass alert to the privacy officer went to the
# dummy backend). SMTP unless another real backend is named; a backend that drops mail is refused.
EMAIL_BACKEND = os.environ.get("FULFIL_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
if EMAIL_BACKEND.rsplit(".", 2)[-2] in {"dummy", "locmem"}:
    raise ImproperlyConfigured(f"FULFIL_EMAIL_BACKEND {EMAIL_BACKEND} does not send mail: alerts would be lost")
EMAIL_HOST = os.environ.get("FULFIL_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("FULFIL_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("FULFIL_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("FULFIL_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("FULFIL_EMAIL_USE_TLS", True)
# A slow mail server must not hang the page: the failure is recorded and shown instead.
EMAIL_TIMEOUT = 10
