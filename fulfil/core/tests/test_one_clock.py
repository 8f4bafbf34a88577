"""One clock (issue 17; ARCHITECTURE.md "One clock"): "today" is read once, at the edge, through
`fulfil.core.clock`, and passed down as an argument, so a test pins it once and means the same
thing on any day it runs.

These tests read the source of every product module under fulfil/ and config/ (not tests, not
migrations) and fail if
1. anything but fulfil/core/clock.py reads the machine's clock - timezone.now / localdate /
   localtime(), date.today, datetime.now / today / utcnow, time.time - under any import alias,
   called or handed over as a callable (a form's `initial=dt.date.today` reads it at render time);
2. `clock.today()` is read below the edge: only views, management commands, middleware, the CLI,
   context processors, tasks and the pages layer read it, and pass `today=` down;
3. `clock.now()` is read below the edge other than by a service stamping when something happened
   ("recorded at", "expires at"): services.py and the modules in SERVICE_MODULES.

Not clock reads: `timezone.localdate(moment)` / `localtime(moment)` convert a moment they are
given, time.perf_counter measures a solver's time budget, and a model field's
`default=timezone.now` stamps when a row was written (as auto_now_add does) and decides nothing.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CLOCK_MODULE = "fulfil/core/clock.py"

MACHINE_CLOCK = {
    "django.utils.timezone.now", "django.utils.timezone.localdate", "django.utils.timezone.localtime",
    "datetime.date.today", "datetime.datetime.now", "datetime.datetime.today", "datetime.datetime.utcnow",
    "time.time", "time.time_ns",
}
# With an argument these convert the moment they are given; without one they read the clock.
CONVERTERS = {"django.utils.timezone.localdate", "django.utils.timezone.localtime"}
CLOCK_TODAY, CLOCK_NOW = "fulfil.core.clock.today", "fulfil.core.clock.now"

EDGE_FILES = {"views.py", "middleware.py", "cli.py", "context_processors.py", "tasks.py"}
# Write modules not named services.py that stamp a stored moment with clock.now().
SERVICE_MODULES = {
    "fulfil/accounts/breakglass.py",  # break_glass_open: a grant's expiry, an hour from when it was opened
}

# Modules that may still read the clock below the edge while being converted: none. Nothing
# may join this set without an issue that says why.
ALLOWED_FOR_NOW: set[str] = set()


def product_modules() -> dict[str, str]:
    """Every product module's source by its path from the repository root."""
    modules = {}
    for package in ("fulfil", "config"):
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            parts = rel.split("/")
            if "tests" in parts or "migrations" in parts or parts[-1].startswith("test_") or parts[-1] == "conftest.py":
                continue
            modules[rel] = path.read_text()
    return modules


def is_edge(rel: str) -> bool:
    parts = rel.split("/")
    return (parts[-1] in EDGE_FILES or "/management/commands/" in rel
            or "pages" in parts[:-1] or "views" in parts[:-1])


def _imported_names(tree: ast.AST, rel: str) -> dict[str, str]:
    """Each name a module binds by importing, and the dotted name it stands for."""
    package = rel.removesuffix(".py").split("/")[:-1]
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    names[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                names[alias.asname or alias.name] = f"{module}.{alias.name}"
    return names


def _dotted(node: ast.AST, names: dict[str, str]) -> str | None:
    attributes = []
    while isinstance(node, ast.Attribute):
        attributes.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and node.id in names:
        return ".".join([names[node.id], *reversed(attributes)])
    return None


def clock_reads(rel: str, source: str) -> list[tuple[str, int, str]]:
    """(path, line, what) for each read of a clock in one module: the machine's, or the seam's."""
    tree = ast.parse(source)
    names = _imported_names(tree, rel)
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    reads = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Attribute, ast.Name)):
            continue
        name = _dotted(node, names)
        if name not in MACHINE_CLOCK | {CLOCK_TODAY, CLOCK_NOW}:
            continue
        parent = parents.get(node)
        if name in CONVERTERS and isinstance(parent, ast.Call) and parent.func is node and (parent.args or parent.keywords):
            continue
        if (name == "django.utils.timezone.now" and rel.endswith("models.py")
                and isinstance(parent, ast.keyword) and parent.arg == "default"):
            continue
        reads.append((rel, node.lineno, name))
    return reads


def breaches(modules: dict[str, str]) -> dict[str, list[str]]:
    """The reads each rule forbids, as "path:line: name"."""
    found: dict[str, list[str]] = {"machine clock": [], "clock.today below the edge": [], "clock.now below the edge": []}
    for rel, source in modules.items():
        if rel == CLOCK_MODULE or rel in ALLOWED_FOR_NOW:
            continue
        for path, line, name in clock_reads(rel, source):
            where = f"{path}:{line}: {name}"
            if name in MACHINE_CLOCK:
                found["machine clock"].append(where)
            elif name == CLOCK_TODAY and not is_edge(rel):
                found["clock.today below the edge"].append(where)
            elif name == CLOCK_NOW and not (is_edge(rel) or rel.endswith("/services.py") or rel in SERVICE_MODULES):
                found["clock.now below the edge"].append(where)
    return found


@pytest.fixture(scope="module")
def found() -> dict[str, list[str]]:
    return breaches(product_modules())


def test_only_the_clock_module_reads_the_machine_clock(found):
    assert not found["machine clock"], (
        "Read the date at the edge with fulfil.core.clock.today() / now() and pass it down as today= / now=:\n"
        + "\n".join(found["machine clock"]))


def test_today_is_read_only_at_the_edge(found):
    assert not found["clock.today below the edge"], (
        "Below the edge, take today as a required keyword argument; the view, command or task passes it:\n"
        + "\n".join(found["clock.today below the edge"]))


def test_now_is_read_below_the_edge_only_to_stamp_a_write(found):
    assert not found["clock.now below the edge"], (
        "Below the edge, take now as a required keyword argument (clock.now() is for a service's stored timestamps):\n"
        + "\n".join(found["clock.now below the edge"]))


def test_the_scan_covers_the_product_and_not_the_tests():
    modules = product_modules()
    assert {CLOCK_MODULE, "fulfil/plans/views.py", "fulfil/core/middleware.py", "config/settings/base.py"} <= set(modules)
    assert not [rel for rel in modules if "/tests/" in rel or "/migrations/" in rel]
    assert ALLOWED_FOR_NOW <= set(modules), "an allowance names a module that no longer exists"


@pytest.mark.parametrize("rel, source, expected", [
    ("fulfil/x/selectors.py", "import datetime as dt\nday = dt.date.today()", ["datetime.date.today"]),
    ("fulfil/x/selectors.py", "from datetime import date\nday = date.today()", ["datetime.date.today"]),
    ("fulfil/x/selectors.py", "from datetime import datetime as DT\nmoment = DT.now(tz)", ["datetime.datetime.now"]),
    ("fulfil/x/selectors.py", "import datetime\nmoment = datetime.datetime.utcnow()", ["datetime.datetime.utcnow"]),
    ("fulfil/x/selectors.py", "from django.utils import timezone\nday = timezone.localdate()", ["django.utils.timezone.localdate"]),
    ("fulfil/x/selectors.py", "from django.utils.timezone import now as moment\nx = moment()", ["django.utils.timezone.now"]),
    ("fulfil/x/selectors.py", "import django.utils.timezone\nx = django.utils.timezone.now()", ["django.utils.timezone.now"]),
    ("fulfil/x/forms.py", "import datetime as dt\nfield = Field(initial=dt.date.today)", ["datetime.date.today"]),
    ("fulfil/x/middleware.py", "import time\nstarted = time.time()", ["time.time"]),
    ("fulfil/x/selectors.py", "from fulfil.core import clock\nday = clock.today()", [CLOCK_TODAY]),
    ("fulfil/core/x.py", "from . import clock\nday = clock.today()", [CLOCK_TODAY]),
    # Not reads: a conversion of a given moment, a model's write stamp, a solver's stopwatch, a name of our own.
    ("fulfil/x/selectors.py", "from django.utils import timezone\nday = timezone.localdate(moment)", []),
    ("fulfil/x/models.py", "from django.utils import timezone\nat = DateTimeField(default=timezone.now)", []),
    ("fulfil/x/solver.py", "import time\nstarted = time.perf_counter()", []),
    ("fulfil/x/selectors.py", "def f(today):\n    return today.today", []),
])
def test_the_scan_finds_a_clock_read_under_any_alias(rel, source, expected):
    assert [name for _rel, _line, name in clock_reads(rel, source)] == expected


def test_each_rule_fails_on_a_read_where_it_does_not_belong():
    modules = {
        "fulfil/x/selectors.py": "from django.utils import timezone\nday = timezone.localdate()",
        "fulfil/x/forms.py": "from fulfil.core import clock\nday = clock.today()",
        "fulfil/x/ledger.py": "from fulfil.core import clock\nmoment = clock.now()",
        # Allowed: the edge reads both, a service stamps a write with now.
        "fulfil/x/views.py": "from fulfil.core import clock\nday, moment = clock.today(), clock.now()",
        "fulfil/x/management/commands/report.py": "from fulfil.core import clock\nday = clock.today()",
        "fulfil/x/services.py": "from fulfil.core import clock\nrecorded_at = clock.now()",
    }
    assert breaches(modules) == {
        "machine clock": ["fulfil/x/selectors.py:2: django.utils.timezone.localdate"],
        "clock.today below the edge": ["fulfil/x/forms.py:2: fulfil.core.clock.today"],
        "clock.now below the edge": ["fulfil/x/ledger.py:2: fulfil.core.clock.now"],
    }
