from .base import *  # noqa: F403
from .base import DATABASES

# Argon2 is deliberately slow; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # nosec B303
# Live-server threads must not keep connections open, or PostgreSQL cannot drop the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Between transactional tests Django empties every table with TRUNCATE; the access log's
    # trigger lets that through only in sessions that say so (core migration 0005).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c fulfil.allow_truncate_for_tests=on"
DEBUG = False
# The planner runs in the request in tests: a background thread cannot see a test transaction.
FULFIL_PLANNER_INLINE = True
