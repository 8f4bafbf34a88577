"""The plan wording checker: is a provision statement specified and quantified?

Reads provision as plans write it ("6 x 45 min direct OT per term plus a sensory diet delivered
daily by a trained TA") and returns the provision items it would become, with the words each
field came from, and a verdict with reasons a caseworker can act on.

Pure Python: no Django, no network, no model. Safe on any text (it never raises) and fast
enough to check a national extract of plan lines in a couple of minutes.

    >>> check_statement("Weekly 30-minute individual sessions with a speech and language therapist").verdict
    'quantified'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from fulfil.plans.wording.extract import drafts
from fulfil.plans.wording.lexer import lex_normalised, normalise
from fulfil.plans.wording.reasons import REASONS
from fulfil.plans.wording.results import (
    NOT_QUANTIFIED,
    PARTLY_QUANTIFIED,
    QUANTIFIED,
    VERDICTS,
    Evidence,
    ProvisionDraft,
    StatementCheck,
)
from fulfil.plans.wording.scan import scan_statement
from fulfil.plans.wording.segment import layout
from fulfil.plans.wording.verdict import statement_verdict

__all__ = [
    "NOT_QUANTIFIED",
    "PARTLY_QUANTIFIED",
    "QUANTIFIED",
    "REASONS",
    "VERDICTS",
    "Evidence",
    "ProvisionDraft",
    "StatementCheck",
    "check_many",
    "check_statement",
]


def check_statement(text: str) -> StatementCheck:
    """Check one provision statement. Anything that is not a string is read as empty."""
    if not isinstance(text, str):
        text = ""
    low = normalise(text)
    lexemes = lex_normalised(low)
    scanned = scan_statement(lexemes, low)
    facts = scanned.facts
    items = drafts(text, lexemes, facts, layout(lexemes, facts, low, scanned.used, scanned.has_review),
                   trainees=scanned.has_trainees, discretion=scanned.has_discretion)
    verdict, reasons = statement_verdict(items)
    return StatementCheck(text=text, verdict=verdict, reasons=reasons, items=items)


def check_many(texts: Iterable[str]) -> Iterator[StatementCheck]:
    """Check statements one at a time, lazily, so a file of millions of lines streams."""
    for text in texts:
        yield check_statement(text)
