"""No personal data in the server's logs: query strings are removed from every log record.

Rule (issue 18, item 7; NHS DSPT 2024 standard 1 "personal confidential data is only used for
lawful purposes", OWASP ASVS 4.0 V7.1.1 "the application does not log ... sensitive data"):
a search for a child is a GET, so its query string (`/children/?q=Amelia+Jones`,
`?nhs_number=...`) holds a name or an NHS number, and a request line, a URL or a Referer in a
log record would write it to disk. Query strings are removed from every route, not only the
child routes: any search box added later would otherwise leak until someone listed it, and a
report's filters are not needed to read a log. The path, method and status stay.
"""

from __future__ import annotations

import logging
import re

# "/path?query" inside a request line ("GET /children/?q=x HTTP/1.1"), a URL or a Referer; the
# query ends at a space, a quote or a fragment.
_QUERY_STRING = re.compile(r"(?P<path>/[^\s?#\"']*)\?[^\s#\"']*")


def query_strings_removed(text: str) -> str:
    """`text` with every URL's query string taken out: '/children/?q=Amelia' -> '/children/?…'."""
    return _QUERY_STRING.sub(r"\g<path>?…", text)


def _clean(value):
    return query_strings_removed(value) if isinstance(value, str) else value


class QueryStringsRemoved(logging.Filter):
    """Attach to every handler (see LOGGING in config/settings/base.py). Rewrites the message and
    its arguments: Django's dev server (django.server) passes the request line as an argument,
    gunicorn's access log passes a dict of atoms (request line, query, Referer)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = query_strings_removed(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_clean(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: ("" if key == "q" else _clean(value)) for key, value in record.args.items()}
        return True
