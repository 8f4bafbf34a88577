"""How long an arrangement lasts: "for the first two terms", "a 6-week block", "until July".

Part of the scanner (`scan.Scanner` inherits these handlers). A duration is kept on the item
but is not a frequency: "weekly for a term" is once a week, not once a term. A named term ("in
the autumn term") also says, when a number of sessions is given, that they come once a year.
"""

from __future__ import annotations

from typing import Final

from fulfil.plans.wording import vocabulary as v
from fulfil.plans.wording.facts import DurationFact, Fact, PeriodFact
from fulfil.plans.wording.lexer import Lexeme

_DURATION_NOUNS: Final = frozenset({"block", "blocks", "course", "courses", "period", "cycle", "cycles", "episode"})
_OPEN_ENDED: Final = frozenset({"duration", "rest", "remainder", "length", "life", "lifetime", "time"})
_MONTH_NAMES: Final = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "sept", "sep", "oct", "nov", "dec", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
})


class DurationReader:
    """The duration handlers of the scanner (state lives on `scan.Scanner`)."""

    __slots__ = ()
    lex: list[Lexeme]
    cats: list[str | None]
    n: int
    facts: list[Fact]
    used: bytearray

    def consume(self, first: int, last: int) -> None:
        raise NotImplementedError  # provided by scan.Scanner

    def on_mention(self, i: int) -> None:
        raise NotImplementedError  # provided by people.PeopleReader

    def on_duration_from(self, i: int, j: int) -> None:
        """A number of weeks/terms at i..j: extend back over "for the first" and forward over "block"."""
        first = i
        while first > 0 and self.lex[first - 1][0] in (v.FOR, v.SPAN, v.THE, v.ORD, v.ART) and not self.used[first - 1]:
            first -= 1
        last = j
        if self.cats[last + 1] == v.WORD and self.lex[last + 1][1] in _DURATION_NOUNS:
            last += 1
            if self.cats[last + 1] in (v.PER, v.ART) and self.cats[last + 2] == v.PERIOD:
                last += 2  # "two 8-week blocks per year": how often the blocks come, not the sessions
        self.facts.append(DurationFact(first, self.lex[first][2], self.lex[last][3]))
        self.consume(first, last)

    def on_for(self, i: int) -> None:
        """ "for a term", "for the first two terms", "for the duration of the plan"."""
        lex = self.lex
        m = i + 1
        if self.cats[m] == v.THE:
            m += 1
        if self.cats[m] == v.ORD:
            m += 1
        if self.cats[m] in (v.NUM, v.ART) and self.cats[m + 1] == v.PERIOD:
            m += 1
        if self.cats[m] == v.PERIOD:
            self.facts.append(DurationFact(i, lex[i][2], lex[m][3]))
            self.consume(i, m)
            return
        if self.cats[m] == v.WORD and lex[m][1] in _OPEN_ENDED:
            self._duration_to_break(i)

    def on_until(self, i: int) -> None:
        self._duration_to_break(i)

    def on_from(self, i: int) -> None:
        if self.cats[i + 1] == v.WORD and self.lex[i + 1][1] in _MONTH_NAMES:
            self._duration_to_break(i)
        else:
            self.on_mention(i)

    def _duration_to_break(self, i: int) -> None:
        m = i + 1
        while m < self.n and m - i < 9 and self.lex[m][0] not in (v.COMMA, v.HARD, v.SPLIT, v.AND, v.CLOSE):
            m += 1
        last = max(i, m - 1)
        self.facts.append(DurationFact(i, self.lex[i][2], self.lex[last][3]))
        self.consume(i, last)

    def on_season(self, i: int) -> None:
        """ "in the autumn term": when it happens, not how often."""
        lex = self.lex
        first = i
        while first > 0 and lex[first - 1][0] in (v.THE, v.SPAN, v.FOR) and not self.used[first - 1]:
            first -= 1
        last = i
        while True:
            if self.cats[last + 1] in (v.AND, v.COMMA) and self.cats[last + 2] == v.SEASON:
                last += 2
            elif self.cats[last + 1] == v.PERIOD:
                last += 1
                break
            else:
                break
        self.facts.append(DurationFact(first, lex[first][2], lex[last][3]))
        if self.cats[first] != v.FOR:
            # "one session in the autumn term": once a year, in that term. (Only read when a
            # number of sessions, or a single assessment, is given.)
            self.facts.append(PeriodFact(v.YEAR, first, lex[first][2], lex[last][3], "span"))
        self.consume(first, last)

    # -- mentions -------------------------------------------------------------------------------
