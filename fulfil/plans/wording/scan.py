"""Read facts out of a statement's lexemes: sessions, periods, minutes, durations, mentions.

One left-to-right pass. Each kind of clue has a handler that looks a few lexemes either side
and marks what it used as consumed, so "3 times a week" is read once, as three sessions per
week, and its "a week" is not read again as "one session per week".
"""

from __future__ import annotations

from typing import Final

from fulfil.plans.wording import vocabulary as v
from fulfil.plans.wording.durations import DurationReader
from fulfil.plans.wording.facts import Fact, MinutesFact, PeriodFact, SessionsFact
from fulfil.plans.wording.lexer import Lexeme
from fulfil.plans.wording.numbers import as_positive_int
from fulfil.plans.wording.people import PeopleReader

# How far past either end of the statement the scanner may look (see Scanner.cats).
_PAD: Final = 24
# Larger numbers are not a number of sessions or a session length (they are years, postcodes...).
MAX_SESSIONS: Final = 500
MAX_MINUTES: Final = 1440

# Words allowed between a count and its "sessions": "six 45-minute small-group sessions".
_SESSION_MODIFIERS: Final = frozenset({v.KIND, v.DISC, v.HEAD, v.WORD, v.QUAL})
_PER_WORDS: Final = frozenset({v.PER, v.ART, v.EVERY})
# Kinds of provision that are counted like sessions: "four physiotherapy reviews a year".
_COUNTABLE_KINDS: Final = frozenset({
    "review", "reviews", "assessment", "assessments", "workshop", "workshops", "consultation", "consultations",
    "observation", "observations", "report", "reports", "group", "groups", "training",
})
_SPAN_ORDS: Final = frozenset({"whole", "full", "same", "current"})
# "daily living skills" and "daily routines" are not a frequency.
_NOT_A_FREQUENCY_AFTER: Final = frozenset({"living", "life", "lives", "routine", "routines", "tasks", "needs"})
# Every N weeks / months / terms, as sessions per period the ledger knows. "Every 6 weeks" or
# "every 3 months" is left without a period: the plan has not used one the ledger counts in.
_EVERY: Final = {
    (v.WEEK, 1): (1, v.WEEK), (v.WEEK, 2): (1, v.FORTNIGHT), (v.FORTNIGHT, 1): (1, v.FORTNIGHT), (v.MONTH, 1): (1, v.MONTH),
    (v.HALF_TERM, 1): (1, v.HALF_TERM), (v.TERM, 1): (1, v.TERM), (v.YEAR, 1): (1, v.YEAR),
    (v.DAY, 1): (v.SCHOOL_DAYS_PER_WEEK, v.WEEK),
}


class Scanner(PeopleReader, DurationReader):
    """One statement's scan. Use `scan_statement(lexemes, low)`; the class holds the shared state.

    Numbers, frequencies, lengths and durations are read here; people, disciplines and kinds
    of provision in `people.PeopleReader`."""

    __slots__ = ("lex", "cats", "n", "low", "facts", "used")  # and the flags of `PeopleReader`

    def __init__(self, lexemes: list[Lexeme], low: str) -> None:
        self.lex = lexemes
        self.n = len(lexemes)
        # Each lexeme's category, padded with None at the end so that looking a few places
        # past either end (index -1 wraps to the padding) needs no bounds check.
        self.cats: list[str | None] = [lexeme[0] for lexeme in lexemes]
        self.cats.extend([None] * _PAD)
        self.low = low
        self.facts: list[Fact] = []
        self.used = bytearray(self.n)
        # Whole-statement flags, noted as mentions are made so later stages need not look again.
        self.has_review = False
        self.has_discretion = False
        self.has_trainees = False  # someone in the statement receives training or advice

    # -- small helpers -------------------------------------------------------------------

    def consume(self, first: int, last: int) -> None:
        for k in range(first, min(last, self.n - 1) + 1):
            self.used[k] = 1

    def run(self) -> list[Fact]:
        handlers_get = _HANDLERS.get
        used = self.used
        for i, category in enumerate(self.cats[:self.n]):
            if used[i]:
                continue
            handler = handlers_get(category)  # type: ignore[arg-type]
            if handler is not None:
                handler(self, i)
        self.facts.sort(key=_at)
        return self.facts

    # -- amounts ---------------------------------------------------------------------------

    def read_amount(self, i: int) -> tuple[float, int, bool, bool, int] | None:
        """A number or range at i: (value, index after it, is a range, is a ceiling, start).

        Ranges give their lower number ("2-3 times" is 2): the child is only sure of that.
        A ceiling ("up to 6", "a maximum of 3") reads the amount after it.
        """
        lex = self.lex
        start = lex[i][2]
        ceiling = False
        category: str | None = lex[i][0]
        if category == v.CEILING:
            ceiling = True
            i += 1
            if self.cats[i] == v.OF:
                i += 1
            category = self.cats[i]
            if category is None:
                return None
        if category == v.BETWEEN:
            if self.cats[i + 1] == v.NUM and self.cats[i + 2] in (v.AND, v.DASH, v.TO) and self.cats[i + 3] == v.NUM:
                low_value = min(lex[i + 1][1], lex[i + 3][1])
                return float(low_value), i + 4, True, ceiling, start
            return None
        if category == v.NUM:
            return self._read_number(i, ceiling, start)
        hour = self._read_part_of_hour(i, category)
        return None if hour is None else (*hour, False, ceiling, start)

    def _read_number(self, i: int, ceiling: bool, start: int) -> tuple[float, int, bool, bool, int] | None:
        """A number at i, with a half ("one and a half", "1½") and the other end of a range
        ("2-3", "2 to 3", "2 or 3") if one follows; a range of one number is that number."""
        lex = self.lex
        value = lex[i][1]
        if value is None:
            return None
        value = float(value)
        j = i + 1
        if self.cats[j] == v.AND and self.cats[j + 1] == v.ART and self.cats[j + 2] == v.HALF:
            value += 0.5  # "one and a half"
            j += 3
        elif self.cats[j] == v.HALF and lex[j][2] == lex[i][3]:
            value += 0.5  # "1½"
            j += 1
        if self.cats[j] in (v.DASH, v.TO, v.OR) and self.cats[j + 1] == v.NUM and lex[j + 1][1] is not None:
            other = float(lex[j + 1][1])
            if other != value:
                return min(value, other), j + 2, True, ceiling, start
            return value, j + 2, False, ceiling, start
        return value, j, False, ceiling, start

    def _read_part_of_hour(self, i: int, category: str | None) -> tuple[float, int] | None:
        """ "an hour" is 1, "half an hour" and "a half hour" are 0.5: (hours, index of the hour
        word). None for anything else."""
        cats = self.cats
        if category == v.ART:
            if cats[i + 1] == v.HOUR:
                return 1.0, i + 1
            if cats[i + 1] == v.HALF and cats[i + 2] == v.HOUR:
                return 0.5, i + 2
            return None
        if category == v.HALF:
            if cats[i + 1] == v.ART and cats[i + 2] == v.HOUR:
                return 0.5, i + 2
            if cats[i + 1] == v.HOUR:
                return 0.5, i + 1
        return None

    def on_amount(self, i: int) -> None:
        """A number, read by what follows it: minutes ("45 min", "an hour"), sessions at a rate
        ("6 x", "3 times a week", "3 per week", "2 a day"), how long ("6 weeks"), a count of
        sessions ("6 sessions") or an interval ("4-6 weekly review")."""
        amount = self.read_amount(i)
        if amount is None:
            return
        value, j, is_range, ceiling, start = amount
        after = self.cats[j]
        if after == v.MIN or after == v.HOUR:
            self.on_minutes(i, value, j, is_range, ceiling, start)
            return
        if self.lex[i][0] in (v.ART, v.HALF):
            return
        count = as_positive_int(value, ceiling=MAX_SESSIONS)
        if self._on_rate(i, j, count, is_range, ceiling, start):
            return
        if after == v.PERIOD:
            # "6 weeks", "a 10-week block", "for the first two terms": how long, not how often.
            self.on_duration_from(i, j)
            return
        if self._on_session_count(i, j, count, is_range, ceiling, start):
            return
        if after == v.FREQ and self.lex[j][1] is not None and self.word(j) in ("weekly", "monthly"):
            # "4-6 weekly review": every four to six weeks, which is no period the ledger counts in.
            every = self._every(self.lex[j][1][1], count) if not is_range else None
            per, period = every or (1, None)
            self.facts.append(SessionsFact(per, i, start, self.lex[j][3], explicit=False, period=period,
                                           period_start=start if period else -1, period_end=self.lex[j][3] if period else -1,
                                           range=is_range, ceiling=ceiling, every=period is None))
            self.consume(i, j)

    def _on_rate(self, i: int, j: int, count: int | None, is_range: bool, ceiling: bool, start: int) -> bool:
        """Sessions at a rate: "6 x 45 min", "3 times a week", "2x weekly" (the period after the
        times), "3 per week", "2 a term", "2 a day". False if the number is not followed so."""
        after = self.cats[j]
        if after == v.X or after == v.TIMES:
            fact = SessionsFact(count, i, start, self.lex[j][3], explicit=True, range=is_range, ceiling=ceiling)
            self.consume(i, j)
            self.attach_period(fact, j + 1)
            self.facts.append(fact)
            return True
        per_period = after == v.PERPERIOD or (
            after in (v.PER, v.ART) and self.cats[j + 1] == v.PERIOD and not self.lex[j + 1][1][1])
        a_day = after == v.FREQ and self.word(j).split(" ", 1)[0] in ("a", "per", "each", "every")
        if per_period or a_day:
            fact = SessionsFact(count, i, start, self.lex[j - 1][3], explicit=True, range=is_range, ceiling=ceiling)
            self.consume(i, j - 1)
            self.attach_period(fact, j)
            self.facts.append(fact)
            return True
        return False

    def _on_session_count(self, i: int, j: int, count: int | None, is_range: bool, ceiling: bool, start: int) -> bool:
        """A count of sessions: "6 sessions", "ten 30-minute sessions", "a block of 6 OT
        sessions", looking past up to six words that describe them. In "6 weekly 45-minute
        sessions each term" six is the count and "weekly" only describes them; a singular word
        after a frequency is not counted ("4-6 weekly review"). False if not a count."""
        k, steps, frequency_at = j, 0, -1
        while k < self.n and steps < 6:
            category = self.lex[k][0]
            if category == v.SESSION or (category == v.KIND and self.word(k) in _COUNTABLE_KINDS and self._last_noun(k)):
                break
            if category in _SESSION_MODIFIERS:
                k += 1
            elif category == v.FREQ and frequency_at < 0:
                frequency_at = k
                k += 1
            elif category == v.NUM and self.cats[k + 1] in (v.MIN, v.HOUR):
                k += 2
            elif category == v.HALF and self.cats[k + 1] == v.HOUR:
                k += 2  # "six half-hour sessions"
            else:
                break
            steps += 1
        singular_after_frequency = frequency_at >= 0 and k < self.n and not self.word(k).endswith("s")
        if not (k < self.n and steps < 6 and self.lex[k][0] in (v.SESSION, v.KIND) and not singular_after_frequency):
            return False
        self.consume(i, j - 1)
        if frequency_at >= 0:
            self.used[frequency_at] = 1
        self.facts.append(SessionsFact(count, i, start, self.lex[j - 1][3], explicit=True, range=is_range, ceiling=ceiling))
        return True

    def on_minutes(self, i: int, value: float, j: int, is_range: bool, ceiling: bool, start: int) -> None:
        lex = self.lex
        minutes = value * (60 if lex[j][0] == v.HOUR else 1)
        k = j + 1
        if lex[j][0] == v.HOUR:
            # "an hour and a half", "1 hour 30 minutes", "1 hour and 15 mins"
            if self.cats[k] == v.AND and self.cats[k + 1] == v.ART and self.cats[k + 2] == v.HALF:
                minutes += 30
                k += 3
            elif self.cats[k] == v.NUM and self.cats[k + 1] == v.MIN and lex[k][1] is not None:
                minutes += float(lex[k][1])
                k += 2
            elif self.cats[k] == v.AND and self.cats[k + 1] == v.NUM and self.cats[k + 2] == v.MIN and lex[k + 1][1] is not None:
                minutes += float(lex[k + 1][1])
                k += 3
        end = lex[k - 1][3]
        self.consume(i, k - 1)
        role = "neutral"
        before = self.cats[i - 1]
        if before == v.AMOUNT_WORD or (before == v.OF and self.cats[i - 2] == v.AMOUNT_WORD):
            role = "total"
        elif (before == v.OF and self.cats[i - 2] == v.SESSION) or before == v.X:
            role = "session"  # "sessions of 30 minutes per week", "6 x 45 min"
        after = self.cats[k]
        if role == "neutral":
            if after == v.PER and self.cats[k + 1] == v.SESSION:
                role = "session"
                self.consume(k, k + 1)
            elif after == v.SESSION or self._session_follows(k):
                role = "session"
            elif before != v.FOR and self._total_period(k, each_too=False):
                # "30 minutes a week" is a total; "for 30 minutes every week" is a session length.
                role = "total"
            elif after == v.OF:
                # "2 hours of OT per term" is a total. "Half an hour of therapy, twice a week" is a
                # session length, which `extract` decides once it knows whether sessions are counted.
                m = k + 1
                while m < self.n and m - k <= 6 and lex[m][0] in _SESSION_MODIFIERS:
                    m += 1
                role = "total" if self._total_period(m, each_too=True) else "of"
        self.facts.append(MinutesFact(as_positive_int(minutes, ceiling=MAX_MINUTES), i, start, end, role, is_range, ceiling))

    @staticmethod
    def _every(unit: str, count: int | None) -> tuple[int, str] | None:
        """Sessions per period for "every `count` `unit`s", or None when the ledger has no such period."""
        return _EVERY.get((unit, count)) if count is not None else None

    def _last_noun(self, k: int) -> bool:
        """ "reviews" in "4 reviews a year" is counted; "group" in "6 group sessions" is not the noun."""
        return self.cats[k + 1] not in (v.SESSION, v.KIND)

    def _session_follows(self, k: int) -> bool:
        for m in range(k, min(k + 5, self.n)):
            category = self.lex[m][0]
            if category == v.SESSION:
                return True
            if category not in _SESSION_MODIFIERS:
                return False
        return False

    def _total_period(self, k: int, *, each_too: bool) -> bool:
        """ "2 hours per term", "20 hours across the year": record the period as a total's.

        "30 minutes every fortnight" is a session each fortnight, but "an hour of speech and
        language therapy each week" is a total again (`each_too`): plans write totals that way.
        """
        lex = self.lex
        category = self.cats[k]
        if category == v.PERPERIOD:
            self.facts.append(PeriodFact(lex[k][1], k, lex[k][2], lex[k][3], "total"))
            self.used[k] = 1
            return True
        m = k + 1
        if category == v.SPAN and self.cats[m] in (v.THE, v.ART, v.PER):
            m += 1
            if self.cats[m] == v.ORD and self.word(m) in _SPAN_ORDS:
                m += 1
        elif category == v.PER and self.word(k) == "each" and not each_too:
            return False
        elif category == v.EVERY and not each_too:
            return False
        elif category not in _PER_WORDS:
            return False
        if self.cats[m] != v.PERIOD:
            return False
        period, plural = lex[m][1]
        if plural or period == v.DAY:
            return False
        self.facts.append(PeriodFact(period, k, lex[k][2], lex[m][3], "total"))
        self.consume(k, m)
        return True

    def attach_period(self, fact: SessionsFact, k: int) -> bool:
        """The period written straight after a count: "twice weekly", "3 times a week"."""
        lex = self.lex
        category = self.cats[k]
        if category == v.FREQ and lex[k][1] is not None:
            per, period = lex[k][1]
            self._pair(fact, per, period, k, k)
            return True
        if category == v.PERPERIOD:
            self._pair(fact, 1, lex[k][1], k, k)
            return True
        if category in _PER_WORDS:
            m = k + 1
            if self.cats[m] == v.ORD:
                m += 1
            if self.cats[m] == v.PERIOD and not lex[m][1][1]:
                period = lex[m][1][0]
                self._pair(fact, *_per_day(period), k, m)
                return True
            if category == v.EVERY and self.cats[m] == v.NUM and self.cats[m + 1] == v.PERIOD:
                every = self._every(lex[m + 1][1][0], lex[m][1])
                if every is not None:
                    self._pair(fact, every[0], every[1], k, m + 1)
                else:
                    # "every 6 weeks", "every three months": one session, in no period the ledger counts.
                    fact.every = True
                    fact.period_start, fact.period_end = lex[k][2], lex[m + 1][3]
                    self.consume(k, m + 1)
                return True
            if category in (v.EVERY, v.PER) and self.cats[m] == v.WEEKDAY:
                return self._weekdays(fact, k, m)
        if category == v.SPAN and self.cats[k + 1] in (v.ART, v.THE, v.PER) and self.cats[k + 2] == v.PERIOD:
            period, plural = lex[k + 2][1]
            if not plural:
                self._pair(fact, *_per_day(period), k, k + 2)
                return True
        return False

    def _weekdays(self, fact: SessionsFact, k: int, m: int) -> bool:
        """ "every Monday and Thursday": as many sessions a week as days named."""
        lex = self.lex
        days, last = 1, m
        while self.cats[last + 1] in (v.AND, v.COMMA) and self.cats[last + 2] == v.WEEKDAY:
            days += 1
            last += 2
        if self.cats[last + 1] == v.WORD and lex[last + 1][1] in ("morning", "afternoon", "lunchtime", "evening"):
            last += 1
        self._pair(fact, days, v.WEEK, k, last)
        return True

    def _pair(self, fact: SessionsFact, per: int, period: str, first: int, last: int) -> None:
        if fact.count is not None:
            fact.count = as_positive_int(fact.count * per, ceiling=MAX_SESSIONS)
        fact.period = period
        fact.per_day = per == v.SCHOOL_DAYS_PER_WEEK and period == v.WEEK
        fact.period_start = self.lex[first][2]
        fact.period_end = self.lex[last][3]
        self.consume(first, last)

    # -- frequencies and periods -------------------------------------------------------------

    def on_count(self, i: int) -> None:
        """ "once", "twice" (and "once or twice a week", which is a range)."""
        lex = self.lex
        count = lex[i][1]
        is_range = False
        end_index = i
        if self.cats[i + 1] == v.OR and self.cats[i + 2] == v.COUNT:
            count = min(count, lex[i + 2][1])
            is_range = True
            end_index = i + 2
        fact = SessionsFact(count, i, lex[i][2], lex[end_index][3], explicit=True, range=is_range,
                            ceiling=self.cats[i - 1] == v.CEILING)
        self.consume(i, end_index)
        self.attach_period(fact, end_index + 1)
        self.facts.append(fact)

    def on_x(self, i: int) -> None:
        """ "30 mins x 2 weekly": a count written after its length."""
        if self.cats[i + 1] != v.NUM or self.cats[i + 2] in (v.MIN, v.HOUR):
            return
        count = as_positive_int(self.lex[i + 1][1], ceiling=MAX_SESSIONS)
        fact = SessionsFact(count, i, self.lex[i][2], self.lex[i + 1][3], explicit=True)
        self.consume(i, i + 1)
        self.attach_period(fact, i + 2)
        self.facts.append(fact)

    def on_frequency(self, i: int) -> None:
        lex = self.lex
        value = lex[i][1]
        if value is None:
            return
        after = self.cats[i + 1]
        if after == v.WORD and lex[i + 1][1] in _NOT_A_FREQUENCY_AFTER:
            return
        if after == v.KIND and lex[i + 1][1] == "review" and value == (1, v.YEAR) and self._is_reference(i):
            # "for the annual review": the plan's own review meeting, not a provision.
            self.consume(i, i + 1)
            return
        per, period = value
        self.facts.append(SessionsFact(per, i, lex[i][2], lex[i][3], explicit=False, period=period,
                                       period_start=lex[i][2], period_end=lex[i][3], every=period is None,
                                       per_day=per == v.SCHOOL_DAYS_PER_WEEK))
        self.used[i] = 1

    def _is_reference(self, i: int) -> bool:
        before = self.cats[i - 1]
        return before in (v.THE, v.FOR, v.UNTIL, v.ORD, v.SPAN) or (before == v.WORD and self.lex[i - 1][1] in ("at", "before", "after"))

    def on_per(self, i: int) -> None:
        """ "per term", "a week", "each half-term", "every 2 weeks"."""
        lex = self.lex
        if lex[i][0] == v.ART and self.cats[i + 1] in (v.HOUR, v.HALF):
            self.on_amount(i)
            return
        fact = SessionsFact(1, i, lex[i][2], lex[i][3], explicit=False)
        if self.attach_period(fact, i):
            fact.start, fact.end = fact.period_start, fact.period_end
            self.facts.append(fact)

    def on_weekday(self, i: int) -> None:
        """ "on Mondays", "Mondays and Thursdays": weekly on those days."""
        lex = self.lex
        if not lex[i][1] and not (self.cats[i - 1] == v.WORD and lex[i - 1][1] == "on" and self.cats[i + 1] in (v.AND, v.COMMA)):
            return
        fact = SessionsFact(1, i, lex[i][2], lex[i][3], explicit=False)
        self._weekdays(fact, i, i)
        fact.start, fact.end = fact.period_start, fact.period_end
        self.facts.append(fact)

    def on_per_period(self, i: int) -> None:
        lex = self.lex
        self.facts.append(SessionsFact(1, i, lex[i][2], lex[i][3], explicit=False, period=lex[i][1],
                                       period_start=lex[i][2], period_end=lex[i][3]))
        self.used[i] = 1

    def on_span(self, i: int) -> None:
        """ "across the academic year": the period when a count of sessions is given."""
        lex = self.lex
        m = i + 1
        if self.cats[m] not in (v.THE, v.ART, v.PER) and not (self.cats[m] == v.NUM and lex[m][1] == 1):
            return
        m += 1
        if self.cats[m] == v.ORD:
            if self.word(m) not in _SPAN_ORDS:
                return
            m += 1
        if self.cats[m] == v.PERIOD and not lex[m][1][1]:
            period = lex[m][1][0]
            if period != v.DAY:
                self.facts.append(PeriodFact(period, i, lex[i][2], lex[m][3], "span"))
                self.consume(i, m)



def _per_day(period: str) -> tuple[int, str]:
    """A count per school day is five times that count per week."""
    if period == v.DAY:
        return v.SCHOOL_DAYS_PER_WEEK, v.WEEK
    return 1, period


def _at(fact: Fact) -> int:
    return fact.at


_HANDLERS = {
    v.NUM: Scanner.on_amount,
    v.CEILING: Scanner.on_amount,
    v.BETWEEN: Scanner.on_amount,
    v.HALF: Scanner.on_amount,
    v.ART: Scanner.on_per,
    v.PER: Scanner.on_per,
    v.EVERY: Scanner.on_per,
    v.PERPERIOD: Scanner.on_per_period,
    v.COUNT: Scanner.on_count,
    v.X: Scanner.on_x,
    v.FREQ: Scanner.on_frequency,
    v.SPAN: Scanner.on_span,
    v.FOR: Scanner.on_for,
    v.UNTIL: Scanner.on_until,
    v.FROM: Scanner.on_from,
    v.SEASON: Scanner.on_season,
    v.DISC: Scanner.on_mention,
    v.PERSON: Scanner.on_mention,
    v.KIND: Scanner.on_mention,
    v.DISCRETION: Scanner.on_mention,
    v.VAGUE: Scanner.on_mention,
    v.REVIEWV: Scanner.on_mention,
    v.HEAD: Scanner.on_mention,
    v.SESSION: Scanner.on_mention,
    v.REFER: Scanner.on_refer,
    v.SCHOOL: Scanner.on_school,
    v.WEEKDAY: Scanner.on_weekday,
}


def scan_statement(lexemes: list[Lexeme], low: str) -> Scanner:
    """Scan, and keep the scanner: its facts, which lexemes they consumed (the "and" of
    "between 4 and 6" is not a break between provisions) and its whole-statement flags."""
    scanner = Scanner(lexemes, low)
    scanner.run()
    return scanner
