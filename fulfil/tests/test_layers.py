"""The layers hold (issue 19, docs/adr/0021-pages-on-top-domains-below.md).

Each app may import only itself and the apps below it, and the pure cores import no Django and
nothing of Fulfil's that is not itself pure. The test reads every module's source with `ast`:
imports inside functions and under TYPE_CHECKING count as much as those at the top, and relative
imports are resolved. A second check reads the models: a relation (a foreign key given as a
string included) points to the same layer or a lower one.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]  # the repository; modules are named from here

# Lowest first: each app may import itself and the apps before it, never one after it.
LAYERS = (
    "core",  # the area, its calendar, identifiers, disclosure control, the access log
    "schools",  # education settings
    "children",  # the register of children
    "workforce",  # services, therapists, caseloads
    "accounts",  # users, roles, the capability policy, access scopes, break-glass
    "comparisons",  # published national and regional figures
    "plans",  # EHCPs, provision lines, assessments, reviews, statutory clocks, wording
    "delivery",  # sessions, visits, programmes
    "ledger",  # due / delivered / owed
    "planning",  # capacity, term plans, recovery
    "pages",  # pages that compose several domains
    "demo",  # the demonstration data
)

# Pure cores: plain Python that says a rule; no Django, and of Fulfil only other pure cores.
# A directory (ending in /) covers every module under it.
PURE_CORES = (
    "fulfil/core/calendar.py",
    "fulfil/core/identifiers.py",
    "fulfil/core/disclosure.py",
    "fulfil/core/disciplines.py",
    "fulfil/plans/clocks/",
    "fulfil/plans/wording/",
    "fulfil/delivery/diary.py",
    "fulfil/delivery/contacts.py",
    "fulfil/delivery/statuses.py",
    "fulfil/ledger/ledger.py",
    "fulfil/ledger/calendar_index.py",
    "fulfil/planning/solver/",
)

# The named exceptions, each with its reason: (importing file, imported module) -> why.
UPWARD_IMPORTS_ALLOWED = {
    ("fulfil/accounts/scopes.py", "fulfil.plans.models"): (
        "A request for advice opens a child's record to the service asked (children_visible_to), "
        "and the request is a plans record. Plans cannot sit below accounts: its steps and "
        "exceptions name the user who recorded them."
    ),
}
# (model, field) -> why: a relation from a lower layer's model to a higher layer's. None: the
# access log, which names a user and a child, moved from core to accounts (issue 19).
UPWARD_RELATIONS_ALLOWED: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Import:
    path: str  # the importing file, from the repository root
    line: int
    module: str  # the imported module, absolute

    def __str__(self) -> str:
        return f"{self.path}:{self.line} imports {self.module}"


def module_name(path: str) -> str:
    parts = path.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_in(path: str, source: str) -> list[Import]:
    """Every import in the module's source, wherever it sits, relative ones made absolute."""
    package = module_name(path) if path.endswith("__init__.py") else module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source, filename=path)):
        if isinstance(node, ast.Import):
            found += [Import(path, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from fulfil.plans import models` imports fulfil.plans.models.
            found += [Import(path, node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def layer_of(module: str) -> str | None:
    """The app a module belongs to, or None outside the layered apps (Django, fulfil.cli ...)."""
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "fulfil" and parts[1] in LAYERS:
        return parts[1]
    return None


def is_pure(path_or_module: str) -> bool:
    path = path_or_module.removesuffix(".py") if path_or_module.endswith(".py") else path_or_module.replace(".", "/")
    path = path.removesuffix("/__init__")
    return any((path + "/").startswith(core) if core.endswith("/") else path == core.removesuffix(".py") for core in PURE_CORES)


def _allowed(found: Import) -> bool:
    return any(path == found.path and (found.module == module or found.module.startswith(module + "."))
               for path, module in UPWARD_IMPORTS_ALLOWED)


def upward_imports(sources: dict[str, str]) -> list[str]:
    """Each import of a higher layer than the importing file's, not in the named exceptions."""
    problems = []
    for path, source in sources.items():
        own = layer_of(module_name(path))
        if own is None:
            continue
        for found in imports_in(path, source):
            target = layer_of(found.module)
            if target and LAYERS.index(target) > LAYERS.index(own) and not _allowed(found):
                problems.append(f"{found}: {own} may not import {target}, a higher layer")
    return problems


def impure_imports(sources: dict[str, str]) -> list[str]:
    """Each import of Django, or of a Fulfil module that is not a pure core, from a pure core."""
    problems = []
    for path, source in sources.items():
        if not is_pure(path):
            continue
        for found in imports_in(path, source):
            top = found.module.split(".")[0]
            if top == "django":
                problems.append(f"{found}: a pure core imports no Django")
            elif top == "fulfil" and not (is_pure(found.module) or is_pure(found.module.rpartition(".")[0])):
                problems.append(f"{found}: a pure core imports only other pure cores")
    return problems


def project_sources() -> dict[str, str]:
    """Every module of the project but its migrations and tests."""
    sources = {}
    for file in sorted((ROOT / "fulfil").rglob("*.py")):
        path = file.relative_to(ROOT).as_posix()
        if "/migrations/" in path or "/tests/" in path:
            continue
        sources[path] = file.read_text(encoding="utf-8")
    return sources


def test_no_app_imports_a_higher_layer():
    problems = upward_imports(project_sources())
    assert not problems, "Imports that run upward (move the code to the higher app or to pages):\n" + "\n".join(problems)


def test_the_pure_cores_import_no_django_and_nothing_impure():
    problems = impure_imports(project_sources())
    assert not problems, "\n".join(problems)


def test_every_pure_core_named_exists():
    missing = [core for core in PURE_CORES if not (ROOT / core).exists()]
    assert not missing


def test_every_app_has_a_layer():
    """A new app must be placed in the order before it can import anything."""
    apps_on_disk = {d.name for d in (ROOT / "fulfil").iterdir() if (d / "apps.py").exists()}
    assert apps_on_disk == set(LAYERS)


def test_each_named_exception_is_still_needed():
    sources = project_sources()
    for path, module in UPWARD_IMPORTS_ALLOWED:
        assert any(_allowed(found) for found in imports_in(path, sources[path])), f"{path} no longer imports {module}: remove its exception"


@pytest.mark.django_db(databases=[])
def test_model_relations_point_to_the_same_layer_or_below():
    """Catches what an import check cannot: a foreign key written as a string ("children.Child")."""
    problems = []
    used = set()
    for model in apps.get_models():
        own = model._meta.app_label
        if own not in LAYERS:
            continue
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete and field.related_model):
                continue
            target = field.related_model._meta.app_label
            if target in LAYERS and LAYERS.index(target) > LAYERS.index(own):
                key = (f"{own}.{model.__name__}", field.name)
                if key in UPWARD_RELATIONS_ALLOWED:
                    used.add(key)
                else:
                    problems.append(f"{key[0]}.{field.name} -> {target}.{field.related_model.__name__}")
    assert not problems, "Relations that run upward:\n" + "\n".join(problems)
    assert used == set(UPWARD_RELATIONS_ALLOWED), "An allowed relation is gone: remove its exception"


def test_the_checker_reports_an_upward_import_and_django_in_a_pure_core():
    """The checks can fail: a made-up schools module reaching into the ledger (at the top and
    inside a function, relatively too), and a pure core importing Django and a model."""
    sources = {
        "fulfil/schools/example.py": (
            "from fulfil.ledger.selectors import child_positions\n"
            "def f():\n"
            "    from ..plans import models\n"
            "    import fulfil.core.models\n"  # downward: fine
        ),
        "fulfil/ledger/ledger.py": (
            "from typing import TYPE_CHECKING\n"
            "from django.db import models\n"
            "from fulfil.core.calendar import AcademicCalendar\n"  # pure: fine
            "if TYPE_CHECKING:\n"
            "    from fulfil.plans.models import ProvisionItem\n"
        ),
    }
    assert upward_imports(sources) == [
        "fulfil/schools/example.py:1 imports fulfil.ledger.selectors.child_positions: schools may not import ledger, a higher layer",
        "fulfil/schools/example.py:3 imports fulfil.plans.models: schools may not import plans, a higher layer",
    ]
    assert impure_imports(sources) == [
        "fulfil/ledger/ledger.py:2 imports django.db.models: a pure core imports no Django",
        "fulfil/ledger/ledger.py:5 imports fulfil.plans.models.ProvisionItem: a pure core imports only other pure cores",
    ]
