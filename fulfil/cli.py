"""The `fulfil` command: Django's management entry point under the project's name.

So `fulfil migrate`, `fulfil generate`, `fulfil demo` all work from any directory once the
package is installed.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["fulfil", *sys.argv[1:]])


if __name__ == "__main__":
    main()
