"""A child search is a GET; what the server logs of it must hold no name and no NHS number."""

import io
import logging
from types import SimpleNamespace

import pytest
from django.core.servers.basehttp import WSGIRequestHandler

from fulfil.core.log_filters import QueryStringsRemoved, query_strings_removed

SEARCH = "/children/?q=Amelia+Jones&nhs_number=943+476+5919"


@pytest.fixture
def server_log():
    """What the configured handlers of `django.server` (the request log) write, as text."""
    handlers = [h for h in logging.getLogger("django.server").handlers if type(h) is logging.StreamHandler]  # not pytest's
    assert handlers
    buffer = io.StringIO()
    old = [handler.setStream(buffer) for handler in handlers]
    yield buffer
    for handler, stream in zip(handlers, old, strict=True):
        handler.setStream(stream)


@pytest.mark.parametrize("status", ["200", "404", "500"])
def test_the_request_log_of_a_child_search_holds_no_name_or_nhs_number(server_log, status):
    # Exactly what Django's server logs for a request: the request line, the status and the size.
    handler = SimpleNamespace(request=None, log_date_time_string=lambda: "07/Dec/2026 21:00:00")
    WSGIRequestHandler.log_message(handler, '"%s" %s %s', f"GET {SEARCH} HTTP/1.1", status, "5120")
    written = server_log.getvalue()
    assert '"GET /children/?… HTTP/1.1" ' + status in written
    assert "Amelia" not in written and "Jones" not in written and "943" not in written


def test_an_error_logged_anywhere_loses_the_query_string_of_the_url_it_names():
    record = logging.LogRecord("fulfil", logging.ERROR, __file__, 1, "Failed on %s", (f"https://fulfil.example.org{SEARCH}",), None)
    QueryStringsRemoved().filter(record)
    assert record.getMessage() == "Failed on https://fulfil.example.org/children/?…"


def test_a_gunicorn_style_access_record_loses_the_query_and_the_referers_query():
    atoms = {"r": f"GET {SEARCH} HTTP/1.1", "q": SEARCH.split("?")[1], "U": "/children/", "f": f"https://x.org{SEARCH}", "s": "200"}
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, '%(r)s %(s)s "%(f)s" %(q)s', (atoms,), None)
    QueryStringsRemoved().filter(record)
    assert "Amelia" not in record.getMessage() and "5919" not in record.getMessage()


def test_a_path_without_a_query_is_left_as_it_is():
    assert query_strings_removed('"GET /reports/shortfall/ HTTP/1.1" 200') == '"GET /reports/shortfall/ HTTP/1.1" 200'
