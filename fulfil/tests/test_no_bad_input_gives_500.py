"""Every bad input gets an answer, never a server error.

For every named route in the authorization matrix, signed in as each role that may open it,
the page is opened, its forms are read (every input, select and textarea name), and then:

- each GET parameter a view reads, and each field of the page's GET forms, is sent with each
  nasty value;
- each POST form is sent with each nasty value in its fields (the other fields keep the values
  the page offered, so a bad date reaches the code behind an otherwise good form).

No answer may be a 500; NUL and a million characters must get the 400 that says what to fix;
a refused input (400, or a form shown again with its error summary) must have written nothing.
The first role that may open a route gets every nasty GET value, the others a few (the whole
set for each would take the test past a minute). The public pages (sign in) are fuzzed signed
out. Not covered here: the MFA steps and booking a finished plan (SEPARATE in the matrix).
"""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

import fulfil
from fulfil.accounts.models import AccessRecord
from fulfil.tests.test_authorization_matrix import POLICY, PUBLIC, build_world, named_routes, url_for


def get_parameters() -> list[str]:
    """Every GET parameter a view reads (besides its GET forms' fields), found in the views'
    source, so a view that starts reading a new one is fuzzed without editing this test."""
    names = set()
    for path in Path(fulfil.__file__).parent.glob("*/views.py"):
        source = path.read_text()
        names |= set(re.findall(r"request\.GET(?:\.get|\.getlist)?[(\[]\"(\w+)\"", source))
        for name in re.findall(r"date_in\(request\.GET, \"(\w+)\"", source):
            names |= {f"{name}_day", f"{name}_month", f"{name}_year"}  # the boxes (a bare ISO date would win over them)
    return sorted(names)


GET_PARAMETERS = get_parameters()

LONG = "x" * 1_000_000


def _date_parts(year: str):
    def value(name: str) -> str:
        if name.endswith("_year"):
            return year
        if name.endswith("_day") or name.endswith("_month"):
            return "1"
        return f"{year}-01-01"
    return value


def _with_good_dates(value: str):
    """`value` in every field but the dates, which get a good date so the rest is read on."""
    good = _date_parts("2027")

    def nasty(name: str) -> str:
        return good(name) if name.endswith(("_day", "_month", "_year")) or name in DATE_NAMES else value
    return nasty


# Fields a page fills with an ISO date (set as the pages are read).
DATE_NAMES: set[str] = set()

# label -> the value each field gets, by its name. A date field is one named *_day, *_month or
# *_year, or one the page fills with an ISO date.
NASTY = {
    "nul": lambda name: "a\x00b",
    "million characters": lambda name: LONG,
    "year 0001": _date_parts("0001"),
    "year 9999": _date_parts("9999"),
    "negative": _with_good_dates("-1"),
    "huge number": _with_good_dates("99999999999999999999999"),
    "not a number": _with_good_dates("NaN"),
    "infinity": _with_good_dates("inf"),
    "unicode, SQL and HTML": _with_good_dates("Zoë ＝1+1 \u202e\U0001f600 ' OR 1=1; DROP TABLE accounts_user; --\"><script>alert(1)</script>"),
    "empty": lambda name: "",
}
# A GET query is a line of a URL: the million characters go by POST only.
NASTY_GET = {key: value for key, value in NASTY.items() if key != "million characters"}
PDF_GET = {key: NASTY[key] for key in ("nul", "year 9999")}
# Every role gets the GET parameters' parsing; the first role that may open a route gets every
# nasty value, the others these (a full set for each would take the test past a minute).
OTHER_ROLES_GET = {key: NASTY[key] for key in ("nul", "year 0001", "huge number", "unicode, SQL and HTML")}


class _Forms(HTMLParser):
    """The page's forms: method, action and [(name, value, kind)] for each field."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action") or "", "fields": {}})
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "file"}:
                if kind == "submit" and name not in fields:
                    fields[name] = (attrs.get("value") or "", "fixed")
                return
            if kind == "hidden":
                fields.setdefault(name, (attrs.get("value") or "", "fixed" if name == "csrfmiddlewaretoken" else "hidden"))
            elif kind in {"radio", "checkbox"}:
                if name not in fields or "checked" in attrs:
                    fields[name] = (attrs.get("value") or "on", "choice")
            else:
                fields[name] = (attrs.get("value") or "", "text")
        elif tag == "textarea" and name:
            fields[name] = ("", "text")
        elif tag == "select" and name:
            self._select = name
            fields[name] = ("", "choice")
        elif tag == "option" and self._select:
            value = attrs.get("value") or ""
            if fields[self._select][0] == "" or "selected" in attrs:
                fields[self._select] = (value, "choice")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def page_forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _is_date(name: str, value: str) -> bool:
    if len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        DATE_NAMES.add(name)
    return name.endswith(("_day", "_month", "_year")) or name in DATE_NAMES


def nasty_data(fields: dict, nasty) -> dict:
    """The form's own values, with every field a user can type in (and, for dates, every date
    field) given the nasty value; choices keep the page's choice so the form can get further."""
    data = {}
    for name, (value, kind) in fields.items():
        if kind == "fixed":
            data[name] = value
        elif kind == "text" or _is_date(name, value):
            data[name] = nasty(name)
        else:
            data[name] = value
    return data


def _rows() -> int:
    """Rows of every Fulfil table but the access log (every page a child is shown on adds to it)."""
    return sum(model.objects.count() for model in apps.get_models() if model._meta.app_label in {
        "accounts", "children", "core", "delivery", "ledger", "planning", "plans", "schools", "workforce", "comparisons"}
        and not model._meta.proxy and model is not AccessRecord)


@pytest.mark.django_db
def test_no_bad_input_gives_a_server_error(area, other_area):
    started = time.monotonic()
    world = build_world(area, "own")
    client = Client(raise_request_exception=False)
    errors, refused_writes = [], []
    requests = 0
    routes = set(named_routes())
    sign_out = reverse("accounts:logout")
    posted = set()  # a form on many pages (the same action and fields) is sent once per role
    cases = [(route, sorted(allowed)) for route, (_, allowed) in POLICY.items()] + [(route, [None]) for route in sorted(PUBLIC)]
    for route, roles in cases:
        assert route in routes
        url = url_for(route, world)
        for n, role in enumerate(roles):
            if role is None:
                client.logout()
            else:
                client.force_login(world["users"][role])
            page = client.get(url)
            requests += 1
            html = "html" in page.get("Content-Type", "")
            forms = page_forms(page.content.decode(errors="replace")) if page.status_code == 200 and html else []
            # A PDF takes seconds to draw and reads no parameters: the refusal and a date only.
            values = NASTY_GET if n == 0 else OTHER_ROLES_GET
            for label, nasty in values.items() if html or "csv" in page.get("Content-Type", "") else PDF_GET.items():
                query = {name: nasty(name) for name in GET_PARAMETERS}
                for form in forms:
                    if form["method"] == "get":
                        query.update(nasty_data(form["fields"], nasty))
                response = client.get(url, query)
                requests += 1
                if response.status_code >= 500 or (label == "nul" and response.status_code != 400):
                    errors.append(f"{role or 'signed out'} GET {route} {label}: {response.status_code}")
            for form in forms:
                action = urlsplit(form["action"]).path or url
                key = (role, action, frozenset(form["fields"]))
                if form["method"] != "post" or action == sign_out or key in posted:
                    continue
                posted.add(key)
                before = _rows()
                for label, nasty in NASTY.items():
                    sent = nasty_data(form["fields"], nasty)
                    response = client.post(action, sent)
                    requests += 1
                    refusable = label in {"nul", "million characters"} and nasty("x") in sent.values()
                    if response.status_code >= 500 or (refusable and response.status_code != 400):
                        errors.append(f"{role or 'signed out'} POST {route} ({action}) {label}: {response.status_code}")
                    elif response.status_code == 400 or b"govuk-error-summary" in response.content:
                        if _rows() != before:
                            refused_writes.append(f"{role or 'signed out'} POST {route} ({action}) {label}: refused but wrote")
                    else:
                        before = _rows()  # taken: what it wrote is not a refusal's
    elapsed = time.monotonic() - started
    print(f"bad input: {requests} requests in {elapsed:.0f} s, {len(errors)} server errors")
    assert not errors, "\n".join(errors)
    assert not refused_writes, "\n".join(refused_writes)
    assert requests > 1000
