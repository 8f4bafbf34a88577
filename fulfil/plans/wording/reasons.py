"""The reasons a statement is not fully quantified, as codes and as words a caseworker can act on.

A message quotes the statement's own words where there are some ("{words}"): "'up to 6' sets a
ceiling, not an entitlement" tells a caseworker exactly what to rewrite.
"""

from __future__ import annotations

from typing import Final

# Reason codes in the order a caseworker should fix them, with the message for each.
REASONS: Final[dict[str, str]] = {
    "vague_access": "'{words}' describes access or opportunity, not an amount of therapy the child will get.",
    "discretion": "'{words}' leaves the amount to someone's discretion, so the plan does not fix what the child must get.",
    "ceiling": "'{words}' sets a ceiling, not an entitlement: the child could get less, or nothing.",
    "range": "'{words}' gives a range: state the amount the child is entitled to (the checker reads the lower number).",
    "no_frequency": "No frequency: say how often, for example 'weekly' or '6 sessions per term'.",
    "no_period": "A number of sessions but no period: say per week, per term or per academic year.",
    "total_not_split": "'{words}' is a total for the period, not split into sessions: say how many sessions and how long each lasts.",
    "no_minutes": "No minutes per session: say how long each session lasts, for example '30-minute sessions'.",
    "deliverer_not_named": "Deliverer not named: say who delivers it, for example 'a speech and language therapist' or 'a TA trained by the OT'.",
}
NO_PROVISION_MESSAGE: Final = "No therapy provision found: the statement does not say what therapy, how often or for how long."


def message(reason: str, words: str = "") -> str:
    """The plain-English message for a reason code, quoting `words` from the statement."""
    return REASONS[reason].format(words=words)
