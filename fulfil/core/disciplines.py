"""The therapies a plan's provision names: each said once, with its plain-English label.

Pure (no Django): the ledger, the wording checker, capacity planning and the solver read it
directly; `core.models.Discipline` builds the database choices from it, so a value stored in a
row and the words on a page cannot drift apart.
"""

from __future__ import annotations

from enum import StrEnum


class Discipline(StrEnum):
    SALT = "salt"
    OT = "ot"
    PHYSIO = "physio"

    @property
    def label(self) -> str:
        return DISCIPLINE_LABELS[self]


# In the order pages, exports and the national figures list them.
# Keys are the plain values, so rows read from the database look them up directly.
DISCIPLINE_LABELS: dict[str, str] = {
    Discipline.SALT.value: "Speech and language therapy",
    Discipline.OT.value: "Occupational therapy",
    Discipline.PHYSIO.value: "Physiotherapy",
}

DISCIPLINES: tuple[str, ...] = tuple(DISCIPLINE_LABELS)
