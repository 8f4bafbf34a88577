"""The `fulfil` command: Django's management entry point under the project's name.

So `fulfil migrate`, `fulfil generate`, `fulfil demo` all work from any directory once the
package is installed. `fulfil migrate` connects with FULFIL_MIGRATE_DATABASE_URL when it is set.
"""

import os
import sys

# Importing the management package reads no settings: DJANGO_SETTINGS_MODULE, set in main(),
# is read only when a command runs.
from django.core import management


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    args = sys.argv[1:]
    # Migrations run as the role that owns the tables; the application's own role (DATABASE_URL)
    # may not alter them (ADR 0016). Without FULFIL_MIGRATE_DATABASE_URL, one URL serves both.
    if args[:1] == ["migrate"] and os.environ.get("FULFIL_MIGRATE_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["FULFIL_MIGRATE_DATABASE_URL"]
    management.execute_from_command_line(["fulfil", *args])


if __name__ == "__main__":
    main()
