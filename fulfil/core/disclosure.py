"""Disclosure control: figures about children released to a role that must not identify them.

Pure functions over plain numbers (no Django). The views decide who gets released figures (the
commissioner: `fulfil.ledger.views`, `fulfil.plans.views`); everyone who may see the children
themselves sees exact figures.

Sources: NHS Digital's small-number rule for Hospital Episode Statistics and the DfE's
statistical releases (counts of 1 to 7 suppressed, all other counts rounded to the nearest 5:
the rule `round_for_release` has applied since the first reports); ONS "Disclosure control
guidance for tables produced from administrative sources" (2014): a suppressed cell must not be
recoverable by differencing from totals (secondary suppression), and figures computed from the
same people (rates, averages, sums of money or time) disclose them just as counts do.

Rules, in plain words, in the order they are applied to a table of part rows and a total row:
1. Small numbers: a count of 1 to 7 children is not shown ("fewer than 8"); 0 is shown; every
   other count is rounded to the nearest 5 (8 and 9 show as 10).
2. Derived figures go with their children: a row's percentages, hours, money and averages are
   not shown when any count in the row is fewer than 8 ("not shown"). 58.3%, 2 hours and £142
   next to "fewer than 8" would give the children away; and an exact figure beside rounded
   counts narrows them (5.5 hours owed at half an hour or more each is at most 11 children short,
   so "20" children and "10" short leave exactly 7 fully delivered), so the whole row goes.
3. Totals cannot be differenced: when a part row's figure in a column is not shown, the total
   row's figure in that column is not shown either, for counts and for every derived figure.
   Otherwise total minus the other parts gives the hidden part back: exactly for hours and
   money; to a single value at the edge of the rounding for counts (10 + 10 + "fewer than 8" =
   15 can only be 8 + 8 + 1); and through the total's percentage, which is the parts' weighted
   together (a part row pinned by its own 69.0% and the total's 68.6% leave one answer). A total
   already "fewer than 8" becomes "not shown" too: "at most 7 in all" beside a part that must be
   at least 6 can leave one answer for the other part.
4. Sums inside the total row: counts that add up in the total row (children = fully delivered +
   short) are not shown together: one left alone could be worked back from the others.
Counts in part rows that add up (children = fully + short) need no more: two rounded counts pin
a hidden one to no fewer than two values (difference of two roundings is +/-4; a 1-7 cell spans 7).

`fulfil.core.tests.test_disclosure` checks, for random tables, that no count of fewer than 8
can be worked out from everything else a table shows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

SMALL_MAX = 7  # the largest count not shown
ROUND_TO = 5


@dataclass(frozen=True)
class Suppressed:
    """A figure withheld; `str()` gives the words shown in its place."""

    label: str

    def __str__(self) -> str:
        return self.label


FEWER_THAN_8 = Suppressed("fewer than 8")  # rule 1
NOT_SHOWN = Suppressed("not shown")  # rules 2 to 4

Figure = int | float | None | Suppressed


def count_for_release(count: int) -> int | Suppressed:
    """Rule 1: 0 as it is, 1 to 7 suppressed, others to the nearest 5."""
    if count == 0:
        return 0
    if count <= SMALL_MAX:
        return FEWER_THAN_8
    return ROUND_TO * round(count / ROUND_TO)


def round_for_release(count: int) -> str:
    """Rule 1 as text: '0', 'fewer than 8' or the rounded count with thousands separators."""
    released = count_for_release(count)
    return str(released) if isinstance(released, Suppressed) else f"{released:,}"


@dataclass(frozen=True)
class TableRow:
    counts: Mapping[str, int]
    derived: Mapping[str, float | None] = field(default_factory=dict)


@dataclass
class ReleasedRow:
    counts: dict[str, int | Suppressed]
    derived: dict[str, Figure]


def table_for_release(
    parts: Sequence[TableRow],
    total: TableRow | None = None,
    *,
    total_sums: Collection[str] = (),
) -> tuple[list[ReleasedRow], ReleasedRow | None]:
    """Apply rules 1-4 to a table.

    A row's counts are of the children its derived figures are computed from (put figures about
    other groups of children in a row of their own). `total_sums` lists count columns tied by a
    sum in the total row (rule 4).
    """

    def release(row: TableRow) -> ReleasedRow:
        counts = {name: count_for_release(n) for name, n in row.counts.items()}
        small = any(n is FEWER_THAN_8 for n in counts.values())
        derived: dict[str, Figure] = {name: NOT_SHOWN if small else value for name, value in row.derived.items()}
        return ReleasedRow(counts, derived)

    released_parts = [release(row) for row in parts]
    if total is None:
        return released_parts, None
    released_total = release(total)
    for cells, part_cells in ((released_total.counts, lambda p: p.counts), (released_total.derived, lambda p: p.derived)):
        for name in cells:  # rule 3
            # Even a total already "fewer than 8": that says the parts add to at most 7, which
            # with a tight row beside it can leave one answer.
            if any(isinstance(part_cells(part).get(name), Suppressed) for part in released_parts):
                cells[name] = NOT_SHOWN
    tied = [name for name in total_sums if name in released_total.counts]
    if any(isinstance(released_total.counts[name], Suppressed) for name in tied):  # rule 4
        for name in tied:
            if not isinstance(released_total.counts[name], Suppressed):
                released_total.counts[name] = NOT_SHOWN
    return released_parts, released_total
