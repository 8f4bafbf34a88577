"""Review clauses: "reviewed half-termly by the SaLT", "with a termly review", "then reviewed".

A review attached to a provision is not an item of its own: its frequency and people describe
the review, and the item keeps the words as its review point. A review that stands as a
provision of its own ("..., and an annual review by the physiotherapist") is an item of kind
review; `mark_review_clauses` tells `segment` where such a review starts so it can split there.
"""

from __future__ import annotations

from typing import Final

from fulfil.plans.wording import vocabulary as v
from fulfil.plans.wording.facts import Fact, Mention, MinutesFact, PeriodFact, SessionsFact
from fulfil.plans.wording.lexer import Lexeme

# Lexemes a review noun may carry before it and still be the head of its own phrase:
# "an annual OT review", "four 60-minute physiotherapy reviews".
_REVIEW_MODIFIERS: Final = frozenset({v.ART, v.THE, v.FREQ, v.DISC, v.QUAL, v.NUM, v.MIN, v.HOUR, v.WORD, v.PER, v.DESIGNV,
                                      v.COUNT, v.X, v.DASH, v.HALF, v.CEILING, v.BETWEEN})
# After "and", a review clause gives way to a new thought that starts like this.
_NEW_THOUGHT: Final = frozenset({v.DELIVERV, v.ART, v.NUM, v.COUNT, v.KIND, v.DISC, v.SPLIT})
# Words before a review noun that make it a note on the provision, not a provision.
_ATTACHING: Final = frozenset({"including", "includes", "include", "incorporating", "plus"})
HEAD_MENTIONS: Final = frozenset({"kind", v.SESSION, v.HEAD})


def is_head(fact: Fact) -> bool:
    """A word that names a provision: a kind, "sessions", "therapy", or a therapy by name."""
    what = fact.what
    if what in HEAD_MENTIONS:
        return fact.value != "review"  # type: ignore[union-attr]
    return what == "discipline" and fact.role == "modifier"  # type: ignore[union-attr]


def is_review(fact: Fact) -> bool:
    what = fact.what
    return what == v.REVIEWV or (what == "kind" and fact.value == "review")  # type: ignore[union-attr]


def review_phrase_start(lexemes: list[Lexeme], i: int, first: int) -> int:
    """Where the noun phrase of the review noun at i starts ("a termly OT review")."""
    k = i - 1
    while k >= first and lexemes[k][0] in _REVIEW_MODIFIERS and not (
            lexemes[k][0] == v.WORD and lexemes[k][1] in _ATTACHING):
        k -= 1
    return k + 1


def mark_review_clauses(lexemes: list[Lexeme], low: str, facts: list[Fact], first: int, stop: int, in_review: bytearray,
                        splits: set[int]) -> None:
    """Mark the review clauses in lexemes first..stop; add to `splits` the "and"/comma before
    a review that is a provision of its own."""
    first_provision = stop  # where the first provision word is: only a provision can have a review
    provision_kind: str | None = None
    clause_end = first
    for fact in facts:
        i = fact.at
        if i < clause_end:
            continue
        if is_review(fact):
            start = i
            if isinstance(fact, Mention) and fact.what == "kind":
                # "1 x 60 min assessment", "an annual OT review": the words before it are its own.
                start = review_phrase_start(lexemes, i, first)
            if first_provision < start:
                connector = lexemes[start - 1][0] if start > first else None
                if (isinstance(fact, Mention) and fact.what == "kind" and connector in (v.AND, v.COMMA)
                        and lexemes[start][0] in (v.ART, v.NUM, v.COUNT) and provision_kind != "review"
                        and not low.startswith("report", lexemes[i][2])
                        and _is_quantified(facts, start, clause_end_after(lexemes, i, stop))):
                    # ", and an annual review by the physiotherapist": a provision of its own. (A
                    # report goes with the provision it reports on.)
                    splits.add(start - 1)
                else:
                    clause_end = clause_end_after(lexemes, i, stop)
                    in_review[start:clause_end] = b"\x01" * (clause_end - start)
                    continue
        # Only a provision can have a review attached: a frequency or a kind of provision,
        # not just a therapy's name ("SALT and OT assessments once a year" is two reviews).
        if fact.what in ("sessions", "period") or (is_head(fact) and fact.what != "discipline"):
            first_provision = min(first_provision, i)
        if provision_kind is None and isinstance(fact, Mention) and fact.what in ("kind", v.REVIEWV):
            provision_kind = "review" if fact.what == v.REVIEWV else str(fact.value)


def _is_quantified(facts: list[Fact], first: int, stop: int) -> bool:
    """Whether a review phrase says how often or how long ("a termly review"), as a provision must."""
    return any(first <= fact.at < stop and (isinstance(fact, (SessionsFact, PeriodFact, MinutesFact))) for fact in facts)


def clause_end_after(lexemes: list[Lexeme], i: int, stop: int) -> int:
    depth = 0
    k = i + 1
    while k < stop:
        category = lexemes[k][0]
        if category == v.OPEN:
            depth += 1
        elif category == v.CLOSE:
            if depth == 0:
                return k
            depth -= 1
        elif category == v.COMMA and depth == 0:
            return k
        elif category == v.AND and depth == 0 and k + 1 < stop and lexemes[k + 1][0] in _NEW_THOUGHT:
            return k
        k += 1
    return stop
