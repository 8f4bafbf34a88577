"""Settings read from the environment, with safe defaults for a laptop.

DATABASE_URL chooses the database for every command (SQLite file by default, PostgreSQL in
CI and production). Nothing personal is logged: see LOGGING.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "fulfil"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("FULFIL_DEBUG", False)
# A development-only key; production settings refuse to start without FULFIL_SECRET_KEY.
SECRET_KEY = os.environ.get("FULFIL_SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
ALLOWED_HOSTS = [h for h in os.environ.get("FULFIL_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "fulfil.core",
    "fulfil.accounts",
    "fulfil.schools",
    "fulfil.children",
    "fulfil.workforce",
    "fulfil.plans",
    "fulfil.delivery",
    "fulfil.planning",
    "fulfil.ledger",
    "fulfil.comparisons",
    "fulfil.pages",
    "fulfil.demo",
]

MIDDLEWARE = [
    "fulfil.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "fulfil.accounts.middleware.MfaRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A NUL character or an impossibly long value gets a 400 page that says what to fix.
    "fulfil.core.middleware.RefuseUnreadableInputMiddleware",
    "fulfil.core.middleware.AbsoluteSessionLimitMiddleware",
    "fulfil.core.middleware.NoStoreForSignedInUsersMiddleware",
    # Refused requests and admin pages leave a row in the access log (no path, no query string).
    "fulfil.accounts.middleware.AccessLogMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Form widgets render with the project's templates, so the GOV.UK date input can have its own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fulfil.pages.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'fulfil.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a generator writes; timeout avoids "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Long work (planner runs) is a job in the database, run by `fulfil worker` (ADR 18): no broker
# to install, and PostgreSQL deployments can run workers on several machines.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    # Checks the lockout before the password is even tried.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock that pair for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
# Usernames are not personal data of children, but keep the audit of attempts minimal.
AXES_VERBOSE = False

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Idle timeout of 30 minutes: the session is refreshed on every request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True

# Application logs carry no personal data: loggers get ids and counts, never names or numbers.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No query string reaches a log: a child search's holds a name or NHS number (issue 18).
    "filters": {"no_query_strings": {"()": "fulfil.core.log_filters.QueryStringsRemoved"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_query_strings"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("FULFIL_LOG_LEVEL", "WARNING")},
    "loggers": {"django.server": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

FULFIL_PAGE_SIZE = 25
FULFIL_SITE_URL = os.environ.get("FULFIL_SITE_URL", "http://127.0.0.1:8000")
# Mail (break-glass alerts) goes nowhere until a deployment sets a real backend: the demo
# must not print alerts into its console log.
EMAIL_BACKEND = os.environ.get("FULFIL_EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("FULFIL_FROM_EMAIL", "fulfil@localhost")

# Staff must prove a second factor (an authenticator app's code) after their password.
# Off for the local demo so its printed sign-ins work as they are; on in production.
FULFIL_REQUIRE_MFA = env_bool("FULFIL_REQUIRE_MFA", False)
OTP_TOTP_ISSUER = "Fulfil"
