"""What the checker finds in a statement before it groups findings into provision items.

Each fact remembers `at` (the index of its first lexeme, which decides the item and clause it
belongs to) and the character span of the words it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(slots=True)
class SessionsFact:
    """A number of sessions: explicit ("6 x", "3 times", "twice") or implied ("weekly" is one)."""

    # Every fact has `what`, so code that sorts facts can compare one string instead of
    # testing classes in turn (it runs for every line of a national extract).
    what: ClassVar[str] = "sessions"

    count: int | None
    at: int
    start: int
    end: int
    explicit: bool
    # "3 times a week" carries its own period; "6 sessions ... per term" gets it from a PeriodFact.
    period: str | None = None
    period_start: int = -1
    period_end: int = -1
    range: bool = False
    ceiling: bool = False
    # "every 6 weeks": one session in a period the ledger has no name for.
    every: bool = False
    # From "daily" or "a day": five a week, so "3 x 10 minutes every day" is fifteen a week.
    per_day: bool = False


@dataclass(slots=True)
class PeriodFact:
    """The period sessions are counted over.

    source: "freq" (weekly, per term), "span" ("across the academic year": the period only if
    a number of sessions is given) or "total" ("2 hours per term": a total, not sessions).
    """

    what: ClassVar[str] = "period"

    period: str
    at: int
    start: int
    end: int
    source: str = "freq"


@dataclass(slots=True)
class MinutesFact:
    """Minutes: per session ("30-minute sessions"), a total for a period, or not said which."""

    what: ClassVar[str] = "minutes"

    minutes: int | None
    at: int
    start: int
    end: int
    role: str = "neutral"  # "session" | "neutral" | "total"
    range: bool = False
    ceiling: bool = False


@dataclass(slots=True)
class DurationFact:
    """How long the arrangement lasts: "for the first two terms", "a 6-week block"."""

    what: ClassVar[str] = "duration"

    at: int
    start: int
    end: int


@dataclass(slots=True)
class Mention:
    """A word that names something: a discipline, a person, a kind of provision, a flag.

    what: "discipline" | "person" | "kind" | "discretion" | "vague" | "ceiling_word"
    role (people and disciplines): "deliver", "design", "recipient", "review", "modifier"
    (a discipline naming the therapy, not a person) or "unknown".
    """

    what: str
    value: Any  # what it names; its type depends on `what` (as a lexeme's value depends on its category)
    at: int
    start: int
    end: int
    role: str = "unknown"
    qual_start: int = -1


Fact = SessionsFact | PeriodFact | MinutesFact | DurationFact | Mention
