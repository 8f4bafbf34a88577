"""The cohort shortfall at national scale: the ledger's rules on arrays, one area at a time.

`ledger.line_ledger` is the reference: readable, one line at a time, used for every page
about a child. Counting 1.5 million lines and 20 million sessions that way takes too long, so
this module applies the same rules to whole columns with numpy:

- the spans in which each line falls due: the line's dates, within the child's enrolments
  (each one; a child who moved school is due at each school, not in the gap between) and
  outside recorded pauses (for the child, or for that line). Most lines have one span and are
  worked out on columns; a line whose child moved or was paused goes through the ledger's own
  `_intervals`, so the rule is written once;
- due per line per accounting block from the calendar's prefix sums (two lookups a span);
- credited sessions per line per block from the contacts (delivered and seen, plus the
  cancellations the area's policy does not count as owed);
- the debt carried block to block, never below zero.

Contacts that the reference ledger would report as bad input are dropped by the loaders, with
the ledger's rules (`ledger._problem`): another child's line, a non-teaching day, longer than
the setting's school day, before or after the line, recorded twice (same line, day, start
time and status: the first recorded stands). `fulfil/ledger/tests/test_bulk_matches_per_line.py`
checks every line's due, delivered and owed, and every figure, against the per-line ledger on
random areas with all of these.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb
import numpy as np

from fulfil.core.calendar import AcademicCalendar, Term, academic_year_of
from fulfil.core.disciplines import DISCIPLINES
from fulfil.ledger.calendar_index import BLOCK_PERIODS, WEEKLY_FACTOR, CalendarIndex
from fulfil.ledger.figures import DISCIPLINE_LABELS, DisciplineFigures
from fulfil.ledger.ledger import Line, Pause, _intervals, sessions_owed

PERIOD_CODES = ("week", "fortnight", "month", "half_term", "term", "year")
OPEN_END = dt.date(9999, 12, 31)  # a line, enrolment or pause with no end date


@dataclass
class AreaArrays:
    """One area's lines, the spans in which they fall due, and credited contacts, as columns."""

    area_id: int
    name: str
    calendar: AcademicCalendar
    records_from: dt.date
    hourly_rate: float
    # lines
    line_id: np.ndarray
    child_id: np.ndarray
    discipline: np.ndarray  # index into DISCIPLINES
    sessions: np.ndarray  # 0 when not quantified
    minutes: np.ndarray
    period: np.ndarray  # index into PERIOD_CODES, -1 when not quantified
    # spans in which a line falls due (on roll, not paused), sorted by line then date
    span_line: np.ndarray  # position in the line arrays
    span_from: np.ndarray  # ordinals
    span_to: np.ndarray  # ordinals; OPEN_END's when open
    # credited contacts (already checked and filtered by the loader)
    contact_line: np.ndarray  # position in the line arrays
    contact_day: np.ndarray  # ordinals
    contact_delivered: np.ndarray  # 1 delivered and seen, 0 credited by policy only


@dataclass
class LinePositions:
    """Each line's position over the period, in the order of `AreaArrays.line_id`: the
    per-line ledger's `due`, `delivered` and `owed` (0 on a line that cannot be counted)."""

    due: np.ndarray
    delivered: np.ndarray
    owed: np.ndarray


@dataclass
class AreaFigures(DisciplineFigures):
    """The shortfall figures of one discipline in one area (same fields as the page's)."""

    area_id: int = 0
    name: str = ""


def line_positions(data: AreaArrays, *, start: dt.date, end: dt.date, today: dt.date) -> LinePositions:
    """Due, delivered and owed per line over [start, end], as known on `today`: the same
    numbers `ledger.line_ledger` gives each line."""
    start = max(start, data.records_from)
    counted_to = min(end, today - dt.timedelta(days=1))
    index = CalendarIndex(data.calendar, academic_year_of(start), academic_year_of(end) + 1)
    days = np.asarray(index.days, dtype=np.int64)
    n = len(data.line_id)
    countable = (data.sessions > 0) & (data.period >= 0)
    due_total = np.zeros(n)
    owed = np.zeros(n)

    # Delivered: every delivered, seen contact in the period, as the ledger counts it.
    in_period = (data.contact_day >= start.toordinal()) & (data.contact_day <= end.toordinal())
    delivered_total = np.bincount(data.contact_line[in_period], weights=data.contact_delivered[in_period], minlength=n)
    delivered_total[~countable] = 0

    # Spans clipped to the period counted so far.
    s_from = np.maximum(data.span_from, start.toordinal())
    s_to = np.minimum(data.span_to, counted_to.toordinal())

    for kind in BLOCK_PERIODS:
        # Lines settled in blocks of this kind: weekly/fortnightly/monthly lines use half-terms.
        codes = [PERIOD_CODES.index(p) for p in PERIOD_CODES if (p if p in BLOCK_PERIODS else "half_term") == kind]
        members = np.flatnonzero(countable & np.isin(data.period, codes))
        if members.size == 0:
            continue
        blocks = index.accounting_blocks(kind, start, counted_to)
        if not blocks:
            continue
        position = np.full(n, -1)
        position[members] = np.arange(members.size)
        factor = np.ones(members.size)
        cum_kind = np.full(members.size, kind, dtype=object)
        for p, f in WEEKLY_FACTOR.items():
            mask = data.period[members] == PERIOD_CODES.index(p)
            factor[mask] = f
            cum_kind[mask] = "week"
        cums = {k: np.asarray(index.cumulative[k]) for k in set(cum_kind)}
        spans = np.flatnonzero(position[data.span_line] >= 0)
        span_member = position[data.span_line[spans]]
        span_kind = cum_kind[span_member]
        span_factor = factor[span_member]

        # Credited contacts of these lines, by block: the ledger credits a block with the
        # contacts of the period dated inside it (so a cancellation recorded ahead, in the
        # block under way, already counts).
        c_sel = np.flatnonzero(in_period & (position[data.contact_line] >= 0))
        c_day = data.contact_day[c_sel]
        block_from = np.asarray([b.starts_on.toordinal() for b in blocks])
        block_to = np.asarray([b.ends_on.toordinal() for b in blocks])
        c_block = np.searchsorted(block_from, c_day, side="right") - 1
        inside = (c_block >= 0) & (c_day <= block_to[np.maximum(c_block, 0)])
        flat = position[data.contact_line[c_sel][inside]] * len(blocks) + c_block[inside]
        credited = np.bincount(flat, minlength=members.size * len(blocks)).reshape(members.size, len(blocks))

        running = np.zeros(members.size)
        due_sum = np.zeros(members.size)
        for b, block in enumerate(blocks):
            b_from = np.maximum(s_from[spans], max(block.starts_on, start).toordinal())
            b_to = np.minimum(s_to[spans], min(block.ends_on, counted_to).toordinal())
            weight = np.zeros(spans.size)
            for k, cum in cums.items():
                sel = span_kind == k
                weight[sel] = _span_weight(days, cum, b_from[sel], b_to[sel]) * span_factor[sel]
            # Spans are in date order within a line, so the sum is the ledger's, term by term.
            due = np.bincount(span_member, weights=weight, minlength=members.size) * data.sessions[members]
            running = np.round(np.maximum(0.0, running + due - credited[:, b]), 9)
            due_sum += due
        owed[members] = running
        due_total[members] = np.round(due_sum, 9)
    return LinePositions(due=due_total, delivered=delivered_total, owed=owed)


def area_figures(data: AreaArrays, *, start: dt.date, end: dt.date, today: dt.date) -> list[AreaFigures]:
    """Figures per discipline for one area over [start, end], as known on `today`."""
    positions = line_positions(data, start=start, end=end, today=today)
    due_total, delivered_total, owed = positions.due, positions.delivered, positions.owed
    delivered_within = np.minimum(delivered_total, due_total)
    countable = (data.sessions > 0) & (data.period >= 0)

    results = []
    for d, discipline in enumerate(DISCIPLINES):
        sel = np.flatnonzero(countable & (data.discipline == d) & (due_total >= 0.5))
        figures = AreaFigures(discipline, DISCIPLINE_LABELS[discipline], area_id=data.area_id, name=data.name)
        if sel.size:
            children, inverse = np.unique(data.child_id[sel], return_inverse=True)
            child_due = np.bincount(inverse, weights=due_total[sel])
            child_delivered = np.bincount(inverse, weights=delivered_total[sel])
            # The ledger's one rule, line by line: whole sessions owed; a child is short when
            # any of their lines is behind, and owed hours are those whole sessions' minutes.
            whole_owed = _sessions_owed(owed[sel])
            child_owed = np.bincount(inverse, weights=whole_owed)
            figures.children_with_provision = int(children.size)
            figures.short = int(np.count_nonzero(child_owed >= 1))
            figures.fully_delivered = figures.children_with_provision - figures.short
            figures.received_none = int(np.count_nonzero((child_delivered == 0) & (child_due >= 1)))
            figures.due = float(due_total[sel].sum())
            figures.delivered_within_due = float(delivered_within[sel].sum())
            figures.owed_hours = float((whole_owed * data.minutes[sel]).sum() / 60)
            figures.owed_cost = figures.owed_hours * data.hourly_rate
        results.append(figures)
    return results


# `ledger.sessions_owed` over a column: the same function, so the rule is written once.
_sessions_owed = np.vectorize(sessions_owed, otypes=[np.float64])


def _span_weight(days, cum, lo, hi) -> np.ndarray:
    """Sum of day weights over [lo, hi] (0 when the span is empty)."""
    i = np.searchsorted(days, lo, side="left")
    j = np.searchsorted(days, hi, side="right")
    return np.where((hi >= lo) & (j > i), cum[np.maximum(j, i)] - cum[i], 0.0)


# -- loaders ---------------------------------------------------------------------------------

# Dates come back as Python ordinals, days since 0001-01-01 counting that day as 1:
# (date - DATE '0001-01-01' + 1). Codes follow DISCIPLINES and PERIOD_CODES.
LINES_SQL = """
    SELECT i.local_area_id AS area, i.id, i.child_id,
           CASE i.discipline WHEN 'salt' THEN 0 WHEN 'ot' THEN 1 WHEN 'physio' THEN 2 ELSE -1 END AS discipline,
           coalesce(i.sessions, 0) AS sessions, coalesce(i.minutes, 0) AS minutes,
           CASE i.period WHEN 'week' THEN 0 WHEN 'fortnight' THEN 1 WHEN 'month' THEN 2 WHEN 'half_term' THEN 3
                         WHEN 'term' THEN 4 WHEN 'year' THEN 5 ELSE -1 END AS period,
           (i.starts_on - DATE '0001-01-01' + 1) AS line_from,
           (coalesce(i.ends_on, DATE '9999-12-31') - DATE '0001-01-01' + 1) AS line_to
    FROM plans_provisionitem i
    ORDER BY i.local_area_id, i.id
"""
# Every enrolment and recorded pause of a child with a line in the area (a child's enrolment
# may be recorded by another area: the ledger uses them all). A pause with no line is for
# every line of the child's plan (line 0 here).
ENROLMENTS_SQL = """
    SELECT c.area, e.child_id, (e.on_roll_from - DATE '0001-01-01' + 1) AS roll_from,
           (coalesce(e.on_roll_to, DATE '9999-12-31') - DATE '0001-01-01' + 1) AS roll_to
    FROM children_enrolment e JOIN (SELECT DISTINCT local_area_id AS area, child_id FROM plans_provisionitem) c ON c.child_id = e.child_id
    ORDER BY c.area
"""
PAUSES_SQL = """
    SELECT c.area, p.child_id, coalesce(p.provision_item_id, 0) AS line, (p.starts_on - DATE '0001-01-01' + 1) AS pause_from,
           (p.ends_on - DATE '0001-01-01' + 1) AS pause_to
    FROM ledger_provisionpause p JOIN (SELECT DISTINCT local_area_id AS area, child_id FROM plans_provisionitem) c ON c.child_id = p.child_id
    ORDER BY c.area
"""
# Credited contacts: delivered and seen, plus what the area's policy does not count as owed.
# First the ledger's checks (`ledger._problem`), in its order: a child's part recorded in
# error or against another child's line, a session longer than the setting's school day,
# outside the line's dates; then a session recorded twice (same line, day, start time and
# status) counts once, the first recorded standing, whatever its outcome; then the policy.
# A planned session is none of these. Sessions on non-teaching days are dropped in numpy.
# Only the numeric columns come back to Python.
CONTACTS_SQL = """
    SELECT area, line, day, delivered FROM (
        SELECT i.local_area_id AS area, a.provision_item_id AS line, (s.date - DATE '0001-01-01' + 1) AS day,
               s.status, a.minutes, (s.status = 'delivered' AND a.minutes > 0)::TINYINT AS delivered,
               ls.cancelled_by_setting, ls.cancelled_by_family, ls.did_not_attend,
               row_number() OVER (PARTITION BY a.provision_item_id, s.date, s.starts_at, s.status ORDER BY s.id, a.id) AS nth
        FROM delivery_attendance a
        JOIN delivery_session s ON s.id = a.session_id
        JOIN plans_provisionitem i ON i.id = a.provision_item_id
        JOIN ledger_ledgersettings ls ON ls.local_area_id = i.local_area_id
        LEFT JOIN schools_educationsetting st ON st.id = s.setting_id
        WHERE s.date BETWEEN ? AND ? AND s.status <> 'planned' AND a.child_id = i.child_id AND a.in_error_at IS NULL
          AND NOT coalesce(s.minutes > (hour(st.day_ends_at) * 60 + minute(st.day_ends_at))
                                       - (hour(st.day_starts_at) * 60 + minute(st.day_starts_at)), false)
          AND s.date >= i.starts_on AND (i.ends_on IS NULL OR s.date <= i.ends_on)
    ) WHERE nth = 1
        AND ((status = 'delivered' AND minutes > 0)
             OR (status = 'cancelled_setting' AND cancelled_by_setting IN ('not_owed', 'review'))
             OR (status = 'cancelled_family' AND cancelled_by_family IN ('not_owed', 'review'))
             OR ((status = 'dna' OR (status = 'delivered' AND minutes = 0)) AND did_not_attend IN ('not_owed', 'review')))
    ORDER BY area
"""


def arrays_from_duckdb(con, *, start: dt.date, end: dt.date) -> Iterator[AreaArrays]:
    """Areas from tables named as the generator's CSV files (registered in DuckDB).

    Five queries for the whole country, not five per area: the joins, the area's
    cancellation policy and the bad-input checks run inside DuckDB, dates come back as day
    ordinals, and numpy splits the columns by area.
    """
    areas = con.execute(
        "SELECT a.id, a.name, s.records_from, s.independent_hourly_rate FROM core_localarea a "
        "JOIN ledger_ledgersettings s ON s.local_area_id = a.id ORDER BY a.id"
    ).fetchall()
    terms: dict[int, list] = {}
    for row in con.execute("SELECT local_area_id, academic_year, term, starts_on, ends_on, half_term_starts_on, half_term_ends_on "
                           "FROM core_termdates").fetchall():
        terms.setdefault(row[0], []).append(row[1:])
    closures: dict[int, list] = {}
    for area_id, day in con.execute("SELECT local_area_id, date FROM core_closureday").fetchall():
        closures.setdefault(area_id, []).append(day)

    tables = {"lines": con.execute(LINES_SQL).fetchnumpy(), "enrolments": con.execute(ENROLMENTS_SQL).fetchnumpy(),
              "pauses": con.execute(PAUSES_SQL).fetchnumpy(), "contacts": con.execute(CONTACTS_SQL, [start, end]).fetchnumpy()}
    by_area = {name: np.asarray(table["area"], dtype=np.int64) for name, table in tables.items()}
    for area_id, name, records_from, rate in areas:
        rows = {}
        for table_name, table in tables.items():
            r0, r1 = np.searchsorted(by_area[table_name], [area_id, area_id + 1])
            rows[table_name] = {k: np.asarray(v)[r0:r1] for k, v in table.items()}
        calendar = AcademicCalendar(terms=[Term(int(y), n, s_, e, hs, he) for y, n, s_, e, hs, he in terms.get(area_id, [])],
                                    closures=set(closures.get(area_id, [])))
        yield _arrays(area_id, name, calendar, records_from, float(rate), **rows)


def _arrays(area_id, name, calendar, records_from, rate, lines, enrolments, pauses, contacts) -> AreaArrays:
    line_ids = np.asarray(lines["id"], dtype=np.int64)  # sorted by the query
    contact_days = np.asarray(contacts["day"], dtype=np.int64)
    contact_lines = np.searchsorted(line_ids, np.asarray(contacts["line"], dtype=np.int64))
    teaching = np.ones(len(contact_days), dtype=bool)
    if len(contact_days):
        last_year = academic_year_of(dt.date.fromordinal(int(contact_days.max())))
        days = np.asarray(CalendarIndex(calendar, academic_year_of(records_from), last_year + 1).days, dtype=np.int64)
        teaching = np.isin(contact_days, days)  # a session on a non-teaching day is not counted
    child_ids = np.asarray(lines["child_id"], dtype=np.int64)
    span_line, span_from, span_to = _spans(line_ids, child_ids, np.asarray(lines["line_from"], dtype=np.int64),
                                           np.asarray(lines["line_to"], dtype=np.int64), enrolments, pauses)
    return AreaArrays(
        area_id=area_id, name=name, calendar=calendar, records_from=records_from, hourly_rate=rate,
        line_id=line_ids,
        child_id=child_ids,
        discipline=np.asarray(lines["discipline"], dtype=np.int64),
        sessions=np.asarray(lines["sessions"], dtype=np.float64),
        minutes=np.asarray(lines["minutes"], dtype=np.float64),
        period=np.asarray(lines["period"], dtype=np.int64),
        span_line=span_line, span_from=span_from, span_to=span_to,
        contact_line=contact_lines[teaching],
        contact_day=contact_days[teaching],
        contact_delivered=np.asarray(contacts["delivered"], dtype=np.float64)[teaching],
    )


def _spans(line_ids, child_ids, line_from, line_to, enrolments, pauses) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The spans in which each line falls due, as the ledger's `_intervals` gives them.

    A line whose child has at most one enrolment and no pause has one span, the overlap of
    the line's dates and the enrolment's, worked out on columns. The rest (children who
    moved school, or were paused) go through `_intervals` itself, line by line.
    """
    roll_child = np.asarray(enrolments["child_id"], dtype=np.int64)
    roll_from = np.asarray(enrolments["roll_from"], dtype=np.int64)
    roll_to = np.asarray(enrolments["roll_to"], dtype=np.int64)
    pause_child = np.asarray(pauses["child_id"], dtype=np.int64)
    pause_line = np.asarray(pauses["line"], dtype=np.int64)

    # Each line's child's enrolments: how many, and (when one) its dates.
    order = np.argsort(roll_child, kind="stable")
    roll_child, roll_from, roll_to = roll_child[order], roll_from[order], roll_to[order]
    at = np.searchsorted(roll_child, child_ids, side="left")
    rolls_of_line = np.searchsorted(roll_child, child_ids, side="right") - at
    simple = ((rolls_of_line <= 1) & ~np.isin(child_ids, pause_child[pause_line == 0])
              & ~np.isin(line_ids, pause_line[pause_line != 0]))
    first, last = line_from.copy(), line_to.copy()
    one = simple & (rolls_of_line == 1)
    first[one] = np.maximum(first[one], roll_from[at[one]])
    last[one] = np.minimum(last[one], roll_to[at[one]])
    kept = np.flatnonzero(simple & (first <= last))
    span_line, span_from, span_to = [kept], [first[kept]], [last[kept]]

    # Only the children who moved school or were paused are looked at one by one.
    needed = np.isin(roll_child, child_ids[~simple])
    rolls: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for c, f, t in zip(roll_child[needed].tolist(), roll_from[needed].tolist(), roll_to[needed].tolist(), strict=True):
        rolls[c].append((dt.date.fromordinal(f), None if t == OPEN_END.toordinal() else dt.date.fromordinal(t)))
    paused: dict[tuple[int, int], list[Pause]] = defaultdict(list)
    for c, line, f, t in zip(pause_child.tolist(), pause_line.tolist(), np.asarray(pauses["pause_from"]).tolist(),
                             np.asarray(pauses["pause_to"]).tolist(), strict=True):
        paused[(c, line)].append(Pause(dt.date.fromordinal(f), dt.date.fromordinal(t), ""))
    moved_or_paused: list[tuple[int, int, int]] = []
    for i in np.flatnonzero(~simple).tolist():
        child, line_id = int(child_ids[i]), int(line_ids[i])
        ends_on = None if line_to[i] == OPEN_END.toordinal() else dt.date.fromordinal(int(line_to[i]))
        line = Line(line_id, child, "", None, None, "", dt.date.fromordinal(int(line_from[i])), ends_on)
        for a, b in _intervals(line, dt.date.min, OPEN_END, rolls.get(child), paused[(child, 0)] + paused[(child, line_id)]):
            moved_or_paused.append((i, a.toordinal(), b.toordinal()))
    if moved_or_paused:
        table = np.asarray(moved_or_paused, dtype=np.int64)
        span_line.append(table[:, 0])
        span_from.append(table[:, 1])
        span_to.append(table[:, 2])
    lines, froms, tos = (np.concatenate(parts).astype(np.int64) for parts in (span_line, span_from, span_to))
    # By line, then date: the order the ledger sums a line's spans in.
    order = np.lexsort((tos, froms, lines))
    return lines[order], froms[order], tos[order]


# Column types of the generator's CSV files, so DuckDB never guesses from a sample.
CSV_TABLES = {
    "core_localarea": {"id": "BIGINT", "name": "VARCHAR", "la_number": "INTEGER", "ons_code": "VARCHAR", "region": "VARCHAR"},
    "core_termdates": {"id": "BIGINT", "local_area_id": "BIGINT", "academic_year": "INTEGER", "term": "VARCHAR", "starts_on": "DATE",
                       "ends_on": "DATE", "half_term_starts_on": "DATE", "half_term_ends_on": "DATE"},
    "core_closureday": {"id": "BIGINT", "local_area_id": "BIGINT", "date": "DATE", "description": "VARCHAR"},
    "ledger_ledgersettings": {"id": "BIGINT", "local_area_id": "BIGINT", "records_from": "DATE", "cancelled_by_setting": "VARCHAR",
                              "cancelled_by_family": "VARCHAR", "did_not_attend": "VARCHAR", "independent_hourly_rate": "DOUBLE"},
    "children_enrolment": {"id": "BIGINT", "local_area_id": "BIGINT", "child_id": "BIGINT", "setting_id": "BIGINT",
                           "on_roll_from": "DATE", "on_roll_to": "DATE"},
    "plans_provisionitem": {"id": "BIGINT", "local_area_id": "BIGINT", "plan_version_id": "BIGINT", "child_id": "BIGINT",
                            "discipline": "VARCHAR", "section": "VARCHAR", "kind": "VARCHAR", "sessions": "INTEGER", "minutes": "INTEGER",
                            "period": "VARCHAR", "deliverer": "VARCHAR", "starts_on": "DATE", "ends_on": "DATE", "group_allowed": "VARCHAR",
                            "wording": "VARCHAR"},
    "delivery_session": {"id": "BIGINT", "local_area_id": "BIGINT", "therapist_id": "BIGINT", "setting_id": "BIGINT", "date": "DATE",
                         "starts_at": "TIME", "minutes": "INTEGER", "kind": "VARCHAR", "status": "VARCHAR", "cancellation_reason": "VARCHAR",
                         "is_make_up": "VARCHAR", "summary": "VARCHAR"},
    "delivery_attendance": {"id": "BIGINT", "session_id": "BIGINT", "child_id": "BIGINT", "provision_item_id": "BIGINT",
                            "minutes": "INTEGER", "not_seen_reason": "VARCHAR", "delivered_slot": "VARCHAR",
                            "in_error_reason": "VARCHAR", "in_error_at": "TIMESTAMP", "in_error_by_id": "BIGINT"},
    # Only the columns the ledger reads (the length of the school day; the dates of a pause):
    # DuckDB reads any others as it finds them.
    "schools_educationsetting": {"id": "BIGINT", "local_area_id": "BIGINT", "day_starts_at": "TIME", "day_ends_at": "TIME"},
    "ledger_provisionpause": {"id": "BIGINT", "local_area_id": "BIGINT", "child_id": "BIGINT", "provision_item_id": "BIGINT",
                              "starts_on": "DATE", "ends_on": "DATE"},
}
# A data set written before these were generated has none of them: read as empty (no school
# day known, so no session is too long; no pauses).
OPTIONAL_TABLES = {"schools_educationsetting", "ledger_provisionpause"}


def open_csv_dataset(directory, *, memory_limit: str = "6GB", threads: int = 2):
    """A DuckDB connection with one view per CSV file written by `fulfil generate --output`."""

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET threads = {int(threads)}")
    con.execute("SET enable_progress_bar = false")
    for table, columns in CSV_TABLES.items():
        if table in OPTIONAL_TABLES and not (directory / f"{table}.csv").exists():
            con.execute(f"CREATE TABLE {table} ({', '.join(f'{name} {kind}' for name, kind in columns.items())})")
            continue
        path = str(directory / f"{table}.csv").replace("'", "''")
        spec = ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items())
        # Large tables become in-memory tables once (read in parallel); small ones stay views.
        kind = "TABLE" if table in {"delivery_session", "delivery_attendance", "plans_provisionitem"} else "VIEW"
        con.execute(f"CREATE {kind} {table} AS SELECT * FROM read_csv('{path}', header = true, types = {{{spec}}}, "  # noqa: S608  # nosec B608
                    "nullstr = '', ignore_errors = false)")
    return con
