"""What the wording checker returns: a verdict per statement and the items it would become."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from fulfil.core.disciplines import DISCIPLINE_LABELS
from fulfil.plans.wording.reasons import NO_PROVISION_MESSAGE, message

QUANTIFIED = "quantified"
PARTLY_QUANTIFIED = "partly_quantified"
NOT_QUANTIFIED = "not_quantified"
VERDICTS = (QUANTIFIED, PARTLY_QUANTIFIED, NOT_QUANTIFIED)

# The fields of ProvisionItem a plan must fix for the provision to be specified and quantified.
ITEM_FIELDS = ("discipline", "kind", "sessions", "minutes", "period", "deliverer")  # in JSON order


class Evidence(NamedTuple):
    """The words in the statement a field was read from, and where they are (text[start:end])."""

    words: str
    start: int
    end: int


def evidence(text: str, start: int, end: int) -> Evidence:
    """Evidence for text[start:end]. (tuple.__new__ directly: NamedTuple's own constructor is
    Python code, and the checker makes millions of these.)"""
    return tuple.__new__(Evidence, (text[start:end], start, end))


@dataclass(slots=True)
class ProvisionDraft:
    """One provision as the checker reads it: the ProvisionItem the statement would become.

    Fields it could not read are None; `reasons` say why, in codes from `verdict.REASONS`.
    """

    discipline: str | None = None
    kind: str | None = None
    sessions: int | None = None
    minutes: int | None = None
    period: str | None = None
    deliverer: str | None = None
    qualification: str | None = None  # "HCPC-registered", "trained"
    duration: str | None = None  # "for the first two terms"
    review: str | None = None  # "reviewed half-termly by the SaLT"
    review_period: str | None = None
    reasons: list[str] = field(default_factory=list)
    evidence: dict[str, Evidence] = field(default_factory=dict)

    @property
    def frequency_known(self) -> bool:
        return self.sessions is not None or self.period is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "discipline": self.discipline,
            "kind": self.kind,
            "sessions": self.sessions,
            "minutes": self.minutes,
            "period": self.period,
            "deliverer": self.deliverer,
            "qualification": self.qualification,
            "duration": self.duration,
            "review": self.review,
            "review_period": self.review_period,
            "reasons": list(self.reasons),
            "evidence": {name: found.words for name, found in self.evidence.items()},
            "spans": {name: [found.start, found.end] for name, found in self.evidence.items()},
        }


@dataclass(slots=True)
class StatementCheck:
    """The verdict on one provision statement, with reasons a caseworker can act on."""

    text: str
    verdict: str
    reasons: list[str]
    items: list[ProvisionDraft]

    @property
    def messages(self) -> list[str]:
        """One plain-English message per reason, quoting the statement's words. Worked out
        when asked for: a national extract checked for counts never needs them."""
        if not self.items:
            return [NO_PROVISION_MESSAGE]
        quoted: dict[str, str] = {}
        for item in self.items:
            for reason in item.reasons:
                if reason in item.evidence and reason not in quoted:
                    quoted[reason] = item.evidence[reason].words
        return [message(reason, quoted.get(reason, "")) for reason in self.reasons]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "verdict": self.verdict,
            "reasons": list(self.reasons),
            "messages": list(self.messages),
            "items": [item.to_dict() for item in self.items],
        }


# Plain-English labels, matching the choices on ProvisionItem (this package imports no Django).
KIND_LABELS = {
    "direct": "direct one-to-one", "group": "group", "indirect": "indirect or programme",
    "training": "staff training or consultation", "review": "assessment or review",
}
PERIOD_LABELS = {
    "week": "per week", "fortnight": "per fortnight", "month": "per month", "half_term": "per half-term",
    "term": "per term", "year": "per academic year",
}
DELIVERER_LABELS = {"therapist": "a therapist", "assistant": "a therapy assistant", "school_staff": "school staff"}
VERDICT_LABELS = {QUANTIFIED: "quantified", PARTLY_QUANTIFIED: "partly quantified", NOT_QUANTIFIED: "not quantified"}


def describe(draft: ProvisionDraft) -> str:
    """One line a caseworker can read, e.g.
    "Occupational therapy, direct one-to-one: 6 x 45 minutes per term; by a therapist"."""
    what = DISCIPLINE_LABELS.get(draft.discipline or "", "Therapy not named")
    kind = KIND_LABELS.get(draft.kind or "", "kind not known")
    period = PERIOD_LABELS.get(draft.period or "")
    if draft.sessions is not None and draft.minutes is not None:
        amount = f"{draft.sessions} x {draft.minutes} minutes"
    elif draft.sessions is not None:
        amount = f"{draft.sessions} session{'s' if draft.sessions != 1 else ''} (minutes not given)"
    elif draft.minutes is not None:
        amount = f"{draft.minutes}-minute sessions (how many not given)"
    elif period is not None:
        amount = "sessions and minutes not given"
    else:
        amount = "amount not given"
    if period is not None:
        amount = f"{amount} {period}"
    elif draft.sessions is not None or draft.minutes is not None:
        amount = f"{amount}, period not given"
    who = f"by {DELIVERER_LABELS[draft.deliverer]}" if draft.deliverer in DELIVERER_LABELS else "deliverer not named"
    if draft.qualification and draft.deliverer:
        who = f"{who} ({draft.qualification})"
    extras = []
    if draft.duration:
        extras.append(f"how long: {draft.duration}")
    if draft.review:
        extras.append(f"review: {draft.review}")
    tail = f"; {'; '.join(extras)}" if extras else ""
    return f"{what}, {kind}: {amount}; {who}{tail}"
