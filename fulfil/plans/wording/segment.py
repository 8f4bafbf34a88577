"""Group a statement's lexemes into provision items.

Plans join separate provisions with "plus", ";", sentence breaks and often a bare "and"
("weekly SALT and a daily language programme delivered by the TA", "to assess and provide
advice"), but the same words also join the parts of one provision ("speech and language",
"set and reviewed", "fine motor skills and handwriting"). So a break only starts a new item
when what follows could stand on its own as a provision, does a different kind of thing, or
is a new phase ("..., then once a week"); otherwise it adds detail to the item before it.

Everything here walks the facts (a handful per statement) rather than the lexemes where it
can: this runs once per line of a national extract, and must stay linear on a pasted-in
document.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Final

from fulfil.plans.wording import vocabulary as v
from fulfil.plans.wording.clauses import is_head, is_review, mark_review_clauses, review_phrase_start
from fulfil.plans.wording.facts import Fact, Mention, MinutesFact
from fulfil.plans.wording.lexer import Lexeme

# A provision that can stand alone starts like this after "and" or a comma.
_ITEM_START: Final = frozenset({v.ART, v.NUM, v.COUNT, v.FREQ, v.KIND, v.DISC, v.QUAL, v.PER, v.CEILING, v.HALF, v.SESSION,
                                v.HEAD, v.PERPERIOD, v.EVERY})
# "... and to meet his class teacher", "... and provide advice": the same subject does something else.
_VERB_START: Final = frozenset({v.TO, v.WILL, v.DELIVERV, v.SHAREV, v.DESIGNV})
_FREQUENCY_START: Final = frozenset({v.FREQ, v.COUNT, v.NUM, v.PER, v.EVERY, v.PERPERIOD, v.CEILING})
_MARKS: Final = frozenset({v.HARD, v.SPLIT, v.AND, v.COMMA, v.OPEN, v.CLOSE})
# Words that start a later phase of the same provision; the phase keeps what it does not restate.
_PHASE_WORDS: Final = frozenset({
    "then", "and then", ", then", "reducing to", "increasing to", "reduced to", "increased to", "dropping to", "moving to",
    "stepping down to", "and reducing to", ", reducing to", "followed by",
})
# "further input if needed", "additional reviews": more of the provision already described.
_REFERS_BACK: Final = frozenset({"further", "additional", "extra", "more", "same", "level"})


@dataclass(slots=True)
class Part:
    """A run of lexemes first..stop (exclusive) and the break before it."""

    first: int
    stop: int
    boundary: str  # "start", "hard", "split", "weak"
    item: int = -1
    marker: str = ""  # the words of the break ("then", "plus") or how a weak split was made


@dataclass(slots=True)
class ItemLayout:
    """Which parts belong to which item, and which lexemes are inside review clauses."""

    parts: list[Part]
    in_review: bytearray
    count: int
    review_ranges: list[tuple[int, int, int]] = field(default_factory=list)  # (first, stop, item)
    # Per item: "" or how it continues the item before ("phase": a later phase of it;
    # "subject": something else the same person does).
    continues: list[str] = field(default_factory=list)


class _Facts:
    """The statement's facts with a sorted index of where each starts, for range queries."""

    __slots__ = ("facts", "ats")

    def __init__(self, facts: list[Fact]) -> None:
        self.facts = facts
        self.ats = [fact.at for fact in facts]

    def between(self, first: int, stop: int) -> list[Fact]:
        ats = self.ats
        return self.facts[bisect_left(ats, first):bisect_left(ats, stop)]


def layout(lexemes: list[Lexeme], facts: list[Fact], low: str = "", used: bytearray | None = None,
           has_review: bool | None = None) -> ItemLayout:
    n = len(lexemes)
    indexed = _Facts(facts)
    in_review = bytearray(n)
    used = used if used is not None else bytearray(n)
    marks = [(i, lexeme[0]) for i, lexeme in enumerate(lexemes) if lexeme[0] in _MARKS]
    mark_positions = [i for i, _ in marks]
    if has_review is None:
        has_review = any(is_review(fact) for fact in facts)
    parts: list[Part] = []
    for part in _hard_parts(lexemes, low, marks, n):
        splits: set[int] = set()
        if has_review:
            mark_review_clauses(lexemes, low, indexed.between(part.first, part.stop), part.first, part.stop, in_review, splits)
        own_marks = marks[bisect_left(mark_positions, part.first):bisect_left(mark_positions, part.stop)]
        parts.extend(_weak_parts(lexemes, indexed, own_marks, part, in_review, used, splits))
    count, continues = _assign(lexemes, indexed, parts, in_review)
    return ItemLayout(parts, in_review, count, _review_ranges(parts, in_review), continues)


def _review_ranges(parts: list[Part], in_review: bytearray) -> list[tuple[int, int, int]]:
    """(first, stop, item) for each run of review-clause lexemes inside one part."""
    ranges: list[tuple[int, int, int]] = []
    if not any(in_review):
        return ranges
    for part in parts:
        if part.item < 0:
            continue
        i = in_review.find(1, part.first, part.stop)
        while i != -1:
            stop = in_review.find(0, i, part.stop)
            if stop == -1:
                stop = part.stop
            ranges.append((i, stop, part.item))
            i = in_review.find(1, stop, part.stop)
    return ranges


def _hard_parts(lexemes: list[Lexeme], low: str, marks: list[tuple[int, str]], n: int) -> list[Part]:
    parts: list[Part] = []
    first = 0
    boundary = "start"
    marker = ""
    for i, category in marks:
        if category == v.HARD or category == v.SPLIT:
            if i > first:
                parts.append(Part(first, i, boundary, marker=marker))
            # Two breaks in a row ("; plus") count as the stronger one.
            boundary = "split" if category == v.SPLIT or (boundary == "split" and i == first) else "hard"
            marker = low[lexemes[i][2]:lexemes[i][3]] if category == v.SPLIT else ""
            first = i + 1
    if first < n:
        parts.append(Part(first, n, boundary, marker=marker))
    return parts


class _RunningFeatures:
    """How many frequencies and provision heads lie outside review clauses before each fact,
    so "does this stretch have a frequency and a head?" costs two lookups, however long the
    statement (a pasted-in document must not take quadratic time)."""

    __slots__ = ("ats", "frequencies", "heads")

    def __init__(self, facts: list[Fact], in_review: bytearray) -> None:
        self.ats = [fact.at for fact in facts]
        self.frequencies = [0]
        self.heads = [0]
        frequencies = heads = 0
        for fact in facts:
            if not in_review[fact.at]:
                if _is_frequency(fact):
                    frequencies += 1
                elif is_head(fact):
                    heads += 1
            self.frequencies.append(frequencies)
            self.heads.append(heads)

    def _counts(self, first: int, stop: int) -> tuple[int, int]:
        low = bisect_left(self.ats, first)
        high = bisect_left(self.ats, stop)
        return self.frequencies[high] - self.frequencies[low], self.heads[high] - self.heads[low]

    def stands_alone(self, first: int, stop: int) -> bool:
        """Lexemes first..stop have both a frequency and a provision head."""
        frequencies, heads = self._counts(first, stop)
        return frequencies > 0 and heads > 0

    def has_frequency(self, first: int, stop: int) -> bool:
        return self._counts(first, stop)[0] > 0

    def has_head(self, first: int, stop: int) -> bool:
        return self._counts(first, stop)[1] > 0


def _is_frequency(fact: Fact) -> bool:
    what = fact.what
    if what == "sessions":
        return fact.period is not None or fact.explicit or fact.every  # type: ignore[union-attr]
    return what == "period" and fact.source != "span"  # type: ignore[union-attr]


def _weak_parts(lexemes: list[Lexeme], facts: _Facts, marks: list[tuple[int, str]], part: Part, in_review: bytearray,
                used: bytearray, splits: set[int]) -> list[Part]:
    """Split a sentence at "and" or a comma between two provisions. `marks` are this part's own."""
    out: list[Part] = []
    cut = part.first
    boundary, marker = part.boundary, part.marker
    depth = 0
    n = len(lexemes)
    features: _RunningFeatures | None = None
    for w, category in marks:
        if category == v.OPEN:
            depth += 1
            continue
        if category == v.CLOSE:
            depth = max(0, depth - 1)
            continue
        if depth or in_review[w] or used[w] or category not in (v.AND, v.COMMA):
            continue
        right = w + 1
        if right < n and lexemes[right][0] == v.AND:
            continue  # ", and": decide at the "and"
        if right >= part.stop:
            continue
        if w in splits:
            how: str | None = ""
        elif not _could_start(lexemes, right, part.stop, in_review):
            continue  # most commas: ", delivered by", ", targeting expressive language"
        else:
            if features is None:
                features = _RunningFeatures(facts.between(part.first, part.stop), in_review)
            how = _split_here(lexemes, facts, features, cut, w, part.stop, in_review)
        if how is None:
            continue
        out.append(Part(cut, w, boundary, marker=marker))
        cut = right
        boundary, marker = "weak", how
    out.append(Part(cut, part.stop, boundary, marker=marker))
    return out


def _split_here(lexemes: list[Lexeme], facts: _Facts, features: _RunningFeatures, cut: int, w: int, stop: int,
                in_review: bytearray) -> str | None:
    """How the words after the "and"/comma at w start a new item ("" a provision of its own,
    "phase", "subject"), or None when they belong to the item before."""
    right = w + 1
    start = lexemes[right][0]
    left_frequency = features.has_frequency(cut, w)
    if start == v.VAGUE:
        # "..., and access to a sensory room when needed"
        return "" if features.stands_alone(cut, w) else None
    if left_frequency and start in _FREQUENCY_START and features.has_frequency(right, min(stop, right + 3)) and not features.has_head(
            right, min(stop, right + 3)):
        return "phase"  # "fortnightly in the autumn term and monthly in the spring term"
    if _starts_item(lexemes, right, stop) and features.stands_alone(cut, w) and features.stands_alone(right, stop):
        return "subject" if start in _VERB_START else ""  # "... and to meet his class teacher every half term"
    right_kind = _leading_kind(lexemes, right, stop, in_review)
    if right_kind is None:
        return None
    left_facts = facts.between(cut, w)
    left_kind = _first_kind(left_facts, in_review, explicit_only=not left_frequency)
    if left_kind is None or left_kind == right_kind or any(isinstance(f, MinutesFact) and f.role == "total" for f in left_facts):
        # The same kind of thing, or a list of what a total of hours is for ("12 hours across the
        # year, to include direct work, programme setting and staff training"): one item.
        return None
    # "a weekly group session with the SLT, and advice to staff", "to assess and provide advice"
    return "subject"


def _could_start(lexemes: list[Lexeme], i: int, stop: int, in_review: bytearray) -> bool:
    """A cheap first look: could the words from i start a new item at all?"""
    start = lexemes[i][0]
    return start == v.VAGUE or start in _FREQUENCY_START or _starts_item(lexemes, i, stop) or (
        _leading_kind(lexemes, i, stop, in_review) is not None)


def _starts_item(lexemes: list[Lexeme], i: int, stop: int) -> bool:
    category = lexemes[i][0]
    if category in _ITEM_START:
        return True
    if category == v.WORD or category in _VERB_START:
        return any(lexemes[k][0] in (v.KIND, v.SESSION, v.DISC) for k in range(i + 1, min(i + 4, stop)))
    return False


def _leading_kind(lexemes: list[Lexeme], i: int, stop: int, in_review: bytearray) -> str | None:
    """The kind named at the start of the words from i: "provide advice", "train staff",
    "a termly review"; None when a therapy's name or anything else comes first."""
    for k in range(i, min(i + 4, stop)):
        category = lexemes[k][0]
        if category == v.KIND:
            return None if in_review[k] else str(lexemes[k][1])
        if category == v.REVIEWV:
            return None if in_review[k] else "review"
        if category not in _VERB_START and category not in (v.ART, v.THE, v.QUAL, v.WORD):
            return None
    return None


def _first_kind(facts: list[Fact], in_review: bytearray, *, explicit_only: bool) -> str | None:
    """The kind of the first provision word; a therapy named with no kind word counts as direct
    unless `explicit_only` ("access to physiotherapy equipment and advice" is one thing)."""
    for fact in facts:
        if in_review[fact.at] or not isinstance(fact, Mention):
            continue
        if fact.what == "kind":
            return str(fact.value)
        if fact.what == v.REVIEWV:
            return "review"
        if fact.what in (v.HEAD, "discipline") and is_head(fact) and not explicit_only:
            return "direct"  # "therapy", or a therapy named with no kind word ("sessions" says nothing)
    return None


@dataclass(slots=True)
class _Summary:
    frequency: bool = False
    head: bool = False  # a kind, "therapy", or a therapy's name
    strong_head: bool = False  # a kind or "therapy": more than the name of the therapy a review is of
    session_head: bool = False  # only "sessions"
    review: bool = False  # a review word outside any review clause
    review_in_clause: bool = False
    review_item: bool = False  # "a termly review": a review that can be a provision of its own
    kind: str | None = None
    discipline: str | None = None
    anaphoric: bool = False  # "The programme will be...", "further input": refers back
    provision_words: bool = False  # anything at all that a provision is made of
    minutes: bool = False
    vague: bool = False  # "regular opportunities to practise...": a (vague) provision of its own


def _summary(lexemes: list[Lexeme], facts: list[Fact], part: Part, in_review: bytearray) -> _Summary:
    """What one part of a statement says, from its facts: reviews (in or out of a review
    clause), then, outside review clauses, a frequency, minutes, and what its mentions name."""
    summary = _Summary()
    summary.provision_words = bool(facts)
    for fact in facts:
        i = fact.at
        what = fact.what
        if what == v.REVIEWV or (what == "kind" and fact.value == "review"):  # type: ignore[union-attr]
            _note_review(summary, lexemes, fact, part, in_review)
        if in_review[i]:
            continue
        if what == "sessions" or what == "period":
            summary.frequency = summary.frequency or _is_frequency(fact)
        elif what == "minutes":
            summary.minutes = True
        elif isinstance(fact, Mention):  # what is left is a mention or a duration (which says nothing here)
            _note_mention(summary, lexemes, fact, part)
    # "a termly review", "physiotherapist review half-termly for 30 minutes": a review with its
    # own amount is a provision; "then reviewed", "followed by a review" are notes.
    summary.review_item = (summary.review_item and (summary.frequency or summary.minutes)) or (
        (summary.review or summary.review_in_clause) and summary.frequency and summary.minutes)
    return summary


def _note_review(summary: _Summary, lexemes: list[Lexeme], fact: Fact, part: Part, in_review: bytearray) -> None:
    """A review word, in a review clause or not; "a termly review", "2 reviews" (a review
    noun after an article or a number) may be a provision of its own."""
    if in_review[fact.at]:
        summary.review_in_clause = True
    else:
        summary.review = True
    if fact.what == "kind":
        start = review_phrase_start(lexemes, fact.at, part.first)
        summary.review_item = summary.review_item or lexemes[start][0] in (v.ART, v.NUM, v.COUNT)


def _note_mention(summary: _Summary, lexemes: list[Lexeme], fact: Mention, part: Part) -> None:
    """A mention: something vague, the first kind, the first discipline named by a therapy or
    a person who is not a recipient, and the first head ("sessions" alone is a weak one);
    "The programme will be...", "further input" before the head refer back."""
    i, what = fact.at, fact.what
    if what == "vague":
        summary.vague = True
    elif what == "kind" and summary.kind is None:
        summary.kind = fact.value
    if summary.discipline is None and fact.role in ("modifier", "deliver", "unknown"):
        if what == "discipline":
            summary.discipline = fact.value[0]
        elif what == "person":
            summary.discipline = fact.value[1]  # "the physiotherapy service"
    if what == v.SESSION:
        summary.session_head = True
    elif is_head(fact):
        summary.strong_head = summary.strong_head or what != "discipline"
        if not summary.head:
            summary.head = True
            summary.anaphoric = any(
                lexemes[k][0] == v.THE or (lexemes[k][0] == v.WORD and lexemes[k][1] in _REFERS_BACK)
                for k in range(max(part.first, i - 3), i))


def _assign(lexemes: list[Lexeme], facts: _Facts, parts: list[Part], in_review: bytearray) -> tuple[int, list[str]]:
    """Give each part an item number: a new item, or the item before it."""
    count = 0
    continues: list[str] = []
    current = _Summary()
    pending: list[Part] = []
    for part in parts:
        summary = _summary(lexemes, facts.between(part.first, part.stop), part, in_review)
        # "SLT review half termly", "then reviewed": only a review (of what came before), though
        # it may name the therapy. "Weekly SALT, reviewed termly" is SALT with a review clause.
        only_review = (summary.review and not summary.strong_head) or (
            summary.review_in_clause and not summary.review and not summary.head and not summary.frequency)
        if only_review:
            standalone = summary.review_item
        else:
            standalone = (summary.head and not (summary.anaphoric and not summary.frequency)) or (
                summary.session_head and summary.frequency and not summary.anaphoric)
        phase = part.marker in _PHASE_WORDS or part.marker == "phase"
        how = ""
        if count == 0:
            new_item = summary.provision_words
        elif part.boundary == "weak":
            new_item, how = True, part.marker
        elif part.boundary == "split":
            # "; TA to practise targets 3 x weekly", "plus a sensory diet", ", then once a week"
            new_item = standalone or (summary.frequency and current.frequency and not only_review) or (
                summary.vague and not only_review)
            if new_item and phase:
                how = "phase"
        else:
            current_kind = current.kind or ("direct" if current.head else None)
            differs = (summary.kind is not None and current_kind is not None and summary.kind != current_kind) or (
                summary.discipline is not None and current.discipline is not None and summary.discipline != current.discipline)
            new_item = (standalone and (differs or (summary.frequency and current.frequency))) or (
                summary.frequency and current.frequency and phase)
        if not new_item and only_review and count > 0:
            in_review[part.first:part.stop] = b"\x01" * (part.stop - part.first)
        if new_item:
            count += 1
            continues.append(how)
            current = summary
            if only_review:
                # A review standing alone ("The OT will review X's seating annually"): its
                # clause is the provision itself, not a note on another one.
                in_review[part.first:part.stop] = bytes(part.stop - part.first)
            for earlier in pending:
                earlier.item = count - 1
            pending = []
        elif count == 0:
            pending.append(part)
            continue
        else:
            current.kind = current.kind or summary.kind
            current.discipline = current.discipline or summary.discipline
            current.frequency = current.frequency or summary.frequency
            current.head = current.head or summary.head
        part.item = count - 1
    return count, continues

