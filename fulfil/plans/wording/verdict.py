"""The verdict on a statement and the reasons, in words a caseworker can act on.

Children and Families Act 2014 s.42 and the SEND Code of Practice 2015 para 9.69: provision in
Section F must be specified and quantified (type, frequency, duration, who delivers). The
checker calls a statement:

- quantified: every item has sessions, minutes, period and a deliverer, and nothing leaves the
  amount to discretion, caps it ("up to") or gives a range;
- not quantified: no item says how often at all;
- partly quantified: anything in between.
"""

from __future__ import annotations

from typing import Final

from fulfil.plans.wording.reasons import REASONS
from fulfil.plans.wording.results import NOT_QUANTIFIED, PARTLY_QUANTIFIED, QUANTIFIED, ProvisionDraft

# Reasons that stop an item being quantified even when every field is filled in.
_LIMITS: Final = ("discretion", "ceiling", "range")


def item_reasons(draft: ProvisionDraft) -> list[str]:
    evidence = draft.evidence
    reasons: list[str] = []
    no_frequency = draft.sessions is None and draft.period is None
    if "vague_access" in evidence and no_frequency:
        reasons.append("vague_access")
    for flag in _LIMITS:
        if flag in evidence:
            reasons.append(flag)
    if no_frequency:
        reasons.append("no_frequency")
    elif draft.period is None:
        reasons.append("no_period")
    elif draft.sessions is None:
        reasons.append("total_not_split" if "total_not_split" in evidence else "no_frequency")
    if draft.minutes is None and "total_not_split" not in evidence:
        reasons.append("no_minutes")
    if draft.deliverer is None:
        reasons.append("deliverer_not_named")
    return reasons


def statement_verdict(drafts: list[ProvisionDraft]) -> tuple[str, list[str]]:
    """(verdict, reason codes) for a statement's items; each item gets its own reasons too."""
    if not drafts:
        return NOT_QUANTIFIED, ["no_frequency"]
    reasons: list[str] = []
    for draft in drafts:
        draft.reasons = item_reasons(draft)
        for reason in draft.reasons:
            if reason not in reasons:
                reasons.append(reason)
    reasons.sort(key=_ORDER.__getitem__)
    if not any(draft.frequency_known for draft in drafts):
        verdict = NOT_QUANTIFIED
    elif reasons:
        verdict = PARTLY_QUANTIFIED
    else:
        verdict = QUANTIFIED
    return verdict, reasons


_ORDER: Final = {reason: position for position, reason in enumerate(REASONS)}
