"""Production: refuse to start with a development key; HTTPS everywhere."""

import os

from .base import *  # noqa: F401,F403

SECRET_KEY = os.environ["FULFIL_SECRET_KEY"]
DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
