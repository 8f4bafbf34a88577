"""Disclosure control (fulfil.core.disclosure): no count of fewer than 8 children can be worked
back from what a released table shows.

The attacker in `_feasible_values` knows every rule and every published cell, that children =
fully delivered + short in each row, that the total row is the sum of the part rows, the exact
ratio behind each published percentage, and that each short child owes between half an hour and
ten hours. A suppressed count is safe when at least two values fit everything published."""

from __future__ import annotations

import itertools

from hypothesis import example, given, settings
from hypothesis import strategies as st

from fulfil.core.disclosure import (
    FEWER_THAN_8,
    NOT_SHOWN,
    Suppressed,
    TableRow,
    count_for_release,
    round_for_release,
    table_for_release,
)

COUNTS = ("children", "fully", "short")
RATE = 71.0
MAX = 100  # no cell in these tables is larger


def _row(fully: int, short_hours: list[float]) -> TableRow:
    short = len(short_hours)
    children = fully + short
    hours = sum(short_hours)
    return TableRow({"children": children, "fully": fully, "short": short},
                    {"pct": _pct(fully, children), "hours": hours, "money": hours * RATE})


def _pct(fully: int, children: int) -> float | None:
    return None if children == 0 else round(100 * fully / children, 1)


def _release(rows: list[TableRow]):
    total_counts = {name: sum(r.counts[name] for r in rows) for name in COUNTS}
    hours = sum(r.derived["hours"] for r in rows)
    total = TableRow(total_counts, {"pct": _pct(total_counts["fully"], total_counts["children"]), "hours": hours, "money": hours * RATE})
    return table_for_release(rows, total, total_sums=COUNTS)


def _domain(cell) -> set[int]:
    """The true counts that would be shown as `cell`."""
    if cell is NOT_SHOWN:  # withheld to protect another cell: it could be anything
        return set(range(MAX + 1))
    return {n for n in range(MAX + 1) if count_for_release(n) == cell}


def _candidates(row) -> list[tuple[int, int]]:
    """(fully, short) pairs that fit one released row."""
    out = []
    for fully, short in itertools.product(_domain(row.counts["fully"]), _domain(row.counts["short"])):
        if fully + short not in _domain(row.counts["children"]):
            continue
        pct, hours = row.derived["pct"], row.derived["hours"]
        if not isinstance(pct, Suppressed) and pct != _pct(fully, fully + short):
            continue
        if not isinstance(hours, Suppressed) and not (0.5 * short <= hours <= 10 * short):
            continue
        out.append((fully, short))
    return out


def _feasible_values(parts, total, index: int, column: str) -> set[int]:
    per_row = [_candidates(row) for row in parts]
    totals = set(_candidates(total))
    others: set[tuple[int, int]] = {(0, 0)}
    for j, candidates in enumerate(per_row):
        if j != index:
            others = {(a + f, b + s) for a, b in others for f, s in candidates if a + f <= MAX and b + s <= MAX}
    values = set()
    for fully, short in per_row[index]:
        if any((fully + a, short + b) in totals for a, b in others):
            values.add({"children": fully + short, "fully": fully, "short": short}[column])
    return values


hours_per_child = st.sampled_from([0.5, 1.0, 1.5, 2.0, 4.0, 10.0])
rows = st.lists(st.builds(_row, st.integers(0, 14), st.lists(hours_per_child, max_size=14)), min_size=1, max_size=3)


@settings(max_examples=150, deadline=None)
@given(rows)
@example([_row(0, [1.0] * 8), _row(0, [1.0] * 8), _row(0, [1.0])])  # 10 + 10 + "fewer than 8" = 15
@example([_row(4, [2.0, 1.0]), _row(20, [1.0] * 9)])  # the other row's 69.0% and the total's 68.6% give it away
@example([_row(7, [0.5] * 11)])  # 5.5 hours: at most 11 short, so of "20" children exactly 7 fully delivered
@example([_row(0, [0.5]), _row(7, [0.5] * 6)])  # a total short of "fewer than 8" beside a row of 15 = 7 + 6 + ...
def test_no_suppressed_count_can_be_worked_back_from_the_other_cells(table):
    parts, total = _release(table)
    for index, row in enumerate(parts):
        for column in COUNTS:
            if row.counts[column] is FEWER_THAN_8:
                values = _feasible_values(parts, total, index, column)
                assert len(values) >= 2, f"row {index} {column} can only be {values}"


@settings(max_examples=150, deadline=None)
@given(rows)
def test_percentages_hours_and_money_go_with_their_children(table):
    parts, total = _release(table)
    for row in parts:
        if any(row.counts[c] is FEWER_THAN_8 for c in COUNTS):
            assert row.derived["pct"] is NOT_SHOWN and row.derived["hours"] is NOT_SHOWN and row.derived["money"] is NOT_SHOWN
    for column in ("pct", "hours", "money"):  # a hidden part's figure is not the total less the others
        if any(isinstance(row.derived[column], Suppressed) for row in parts):
            assert total.derived[column] is NOT_SHOWN


def test_small_counts_are_suppressed_and_others_rounded_to_five():
    assert [round_for_release(n) for n in (0, 1, 7, 8, 12, 13, 1234)] == ["0", "fewer than 8", "fewer than 8", "10", "10", "15", "1,235"]


def test_a_table_with_no_small_numbers_keeps_its_totals():
    parts, total = _release([_row(20, [1.0] * 10), _row(30, [2.0] * 12)])
    assert total.counts == {"children": 70, "fully": 50, "short": 20} and total.derived["hours"] == 34.0
    assert parts[0].derived["pct"] == 66.7
