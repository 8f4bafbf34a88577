"""Each therapy is named once (`core.disciplines`): the database choices, the advice services,
the wording checker, the shortfall figures and capacity planning all read that one table."""

from __future__ import annotations

import tokenize
from pathlib import Path

from fulfil.core import disciplines
from fulfil.core.models import Discipline
from fulfil.ledger.figures import DISCIPLINE_LABELS as FIGURE_LABELS
from fulfil.planning.capacity import DemandRow
from fulfil.plans.models import AdviceService
from fulfil.plans.wording.results import ProvisionDraft, describe

ROOT = Path(__file__).resolve().parents[3]
LABELS = tuple(disciplines.DISCIPLINE_LABELS.values())


def test_the_database_choices_are_the_one_definition():
    assert Discipline.choices == [(d.value, d.label) for d in disciplines.Discipline]


def test_advice_services_name_the_therapies_as_the_ledger_does():
    for discipline in disciplines.Discipline:
        assert AdviceService(discipline.value).label == discipline.label


def test_pages_reports_and_wording_show_the_same_label(monkeypatch):
    monkeypatch.setitem(disciplines.DISCIPLINE_LABELS, "ot", "OT (renamed)")
    assert FIGURE_LABELS["ot"] == "OT (renamed)"
    assert DemandRow("ot", "north").label == "OT (renamed)"
    assert describe(ProvisionDraft(discipline="ot")).startswith("OT (renamed)")


def test_no_module_writes_a_therapy_label_again():
    """A second copy of "Occupational therapy" in code is how labels drift apart."""
    copies = []
    for path in sorted((ROOT / "fulfil").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in rel or "/migrations/" in rel or rel == "fulfil/core/disciplines.py":
            continue
        with path.open("rb") as source:
            for token in tokenize.tokenize(source.readline):
                if token.type == tokenize.STRING and token.string.strip("\"'") in LABELS:
                    copies.append(f"{rel}:{token.start[0]}")
    assert copies == []
