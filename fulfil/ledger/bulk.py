"""The cohort shortfall at national scale: the ledger's rules on arrays, one area at a time.

`ledger.line_ledger` is the reference: readable, one line at a time, used for every page
about a child. Counting 1.5 million lines and 20 million sessions that way takes too long, so
this module applies the same rules to whole columns with numpy:

- due per line per accounting block from the calendar's prefix sums (two lookups a block);
- credited sessions per line per block from the contacts (delivered and seen, plus the
  cancellations the area's policy does not count as owed);
- the debt carried block to block, never below zero.

Contacts that the reference ledger would report as bad input are dropped by the loaders
(non-teaching days, before or after the line, recorded twice, another child's line). Limits:
at most one enrolment per child is used (the one overlapping the period), and recorded pauses
are applied as a single interval per child. A test checks the figures equal the reference
ledger's on a generated area.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from fulfil.core.calendar import AcademicCalendar, Term, academic_year_of
from fulfil.ledger.calendar_index import BLOCK_PERIODS, WEEKLY_FACTOR, CalendarIndex
from fulfil.ledger.ledger import sessions_owed
from fulfil.ledger.figures import DISCIPLINE_LABELS, DisciplineFigures

DISCIPLINES = ("salt", "ot", "physio")
PERIOD_CODES = ("week", "fortnight", "month", "half_term", "term", "year")


@dataclass
class AreaArrays:
    """One area's lines and credited contacts as columns."""

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
    starts_on: np.ndarray  # ordinals; effective start (line, on roll)
    ends_on: np.ndarray  # ordinals; effective end (line, on roll); large when open
    pause_from: np.ndarray  # ordinals; 0 when no pause
    pause_to: np.ndarray
    # credited contacts (already checked and filtered by the loader)
    contact_line: np.ndarray  # position in the line arrays
    contact_day: np.ndarray  # ordinals
    contact_delivered: np.ndarray  # 1 delivered and seen, 0 credited by policy only


@dataclass
class AreaFigures(DisciplineFigures):
    """The shortfall figures of one discipline in one area (same fields as the page's)."""

    area_id: int = 0
    name: str = ""


def area_figures(data: AreaArrays, *, start: dt.date, end: dt.date, today: dt.date) -> list[AreaFigures]:
    """Figures per discipline for one area over [start, end], as known on `today`."""
    start = max(start, data.records_from)
    counted_to = min(end, today - dt.timedelta(days=1))
    index = CalendarIndex(data.calendar, academic_year_of(start), academic_year_of(end) + 1)
    days = np.asarray(index.days, dtype=np.int64)
    n = len(data.line_id)
    countable = (data.sessions > 0) & (data.period >= 0)
    lo = np.maximum(data.starts_on, start.toordinal())
    hi = np.minimum(data.ends_on, counted_to.toordinal())

    due_total = np.zeros(n)
    owed = np.zeros(n)
    delivered_total = np.zeros(n)
    delivered_within = np.zeros(n)

    for kind in BLOCK_PERIODS:
        # Lines settled in blocks of this kind: weekly/fortnightly/monthly lines use half-terms.
        codes = [PERIOD_CODES.index(p) for p in PERIOD_CODES if (p if p in BLOCK_PERIODS else "half_term") == kind]
        members = np.flatnonzero(countable & np.isin(data.period, codes))
        if members.size == 0:
            continue
        blocks = index.accounting_blocks(kind, start, counted_to)
        if not blocks:
            continue
        factor = np.ones(members.size)
        cum_kind = np.full(members.size, kind, dtype=object)
        for p, f in WEEKLY_FACTOR.items():
            mask = data.period[members] == PERIOD_CODES.index(p)
            factor[mask] = f
            cum_kind[mask] = "week"
        cums = {k: np.asarray(index.cumulative[k]) for k in set(cum_kind)}

        # Credited contacts of these lines, by block.
        contact_mask = np.isin(data.contact_line, members) & (data.contact_day >= start.toordinal()) & (data.contact_day <= counted_to.toordinal())
        c_line = data.contact_line[contact_mask]
        c_day = data.contact_day[contact_mask]
        c_delivered = data.contact_delivered[contact_mask]
        block_starts = np.asarray([b.starts_on.toordinal() for b in blocks])
        c_block = np.searchsorted(block_starts, c_day, side="right") - 1
        position = np.full(n, -1)
        position[members] = np.arange(members.size)
        flat = position[c_line] * len(blocks) + c_block
        credited = np.bincount(flat, minlength=members.size * len(blocks)).reshape(members.size, len(blocks))
        delivered = np.bincount(flat, weights=c_delivered, minlength=members.size * len(blocks)).reshape(members.size, len(blocks))

        running = np.zeros(members.size)
        for b, block in enumerate(blocks):
            b_lo = np.maximum(lo[members], max(block.starts_on, start).toordinal())
            b_hi = np.minimum(hi[members], min(block.ends_on, counted_to).toordinal())
            due = np.zeros(members.size)
            for k, cum in cums.items():
                sel = cum_kind == k
                due[sel] = _span_weight(days, cum, b_lo[sel], b_hi[sel], data.pause_from[members][sel], data.pause_to[members][sel])
            due *= data.sessions[members] * factor
            running = np.round(np.maximum(0.0, running + due - credited[:, b]), 9)
            due_total[members] += due
            delivered_total[members] += delivered[:, b]
        owed[members] = running
        due_total[members] = np.round(due_total[members], 9)
    delivered_within = np.minimum(delivered_total, due_total)

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


def _span_weight(days, cum, lo, hi, pause_from, pause_to) -> np.ndarray:
    """Sum of day weights over [lo, hi] less any overlap with [pause_from, pause_to]."""
    def weight(a, b):
        i = np.searchsorted(days, a, side="left")
        j = np.searchsorted(days, b, side="right")
        return np.where(j > i, cum[np.maximum(j, i)] - cum[i], 0.0)

    total = weight(lo, hi)
    has_pause = pause_from > 0
    if has_pause.any():
        p_lo = np.maximum(lo, pause_from)
        p_hi = np.minimum(hi, pause_to)
        overlap = np.where(has_pause & (p_lo <= p_hi), weight(p_lo, p_hi), 0.0)
        total = total - overlap
    return np.where(hi >= lo, total, 0.0)


# -- loaders ---------------------------------------------------------------------------------

# Dates come back as Python ordinals, days since 0001-01-01 counting that day as 1:
# (date - DATE '0001-01-01' + 1). Codes follow DISCIPLINES and PERIOD_CODES.
LINES_SQL = """
    SELECT i.local_area_id AS area, i.id, i.child_id,
           CASE i.discipline WHEN 'salt' THEN 0 WHEN 'ot' THEN 1 WHEN 'physio' THEN 2 ELSE -1 END AS discipline,
           coalesce(i.sessions, 0) AS sessions, coalesce(i.minutes, 0) AS minutes,
           CASE i.period WHEN 'week' THEN 0 WHEN 'fortnight' THEN 1 WHEN 'month' THEN 2 WHEN 'half_term' THEN 3
                         WHEN 'term' THEN 4 WHEN 'year' THEN 5 ELSE -1 END AS period,
           (greatest(i.starts_on, coalesce(e.on_roll_from, i.starts_on)) - DATE '0001-01-01' + 1) AS lo,
           (least(coalesce(i.ends_on, DATE '9999-12-31'), coalesce(e.on_roll_to, DATE '9999-12-31')) - DATE '0001-01-01' + 1) AS hi
    FROM plans_provisionitem i
    LEFT JOIN (SELECT child_id, min(on_roll_from) AS on_roll_from, max(on_roll_to) AS on_roll_to
               FROM children_enrolment GROUP BY child_id) e ON e.child_id = i.child_id
    ORDER BY i.local_area_id, i.id
"""
# Credited contacts: delivered and seen, plus what the area's policy does not count as owed.
# A child's part recorded in error never counts.
# DISTINCT drops a session recorded twice (same line, day, time and status); only the numeric
# columns come back to Python.
CONTACTS_SQL = """
    SELECT area, line, day, delivered FROM (
        SELECT DISTINCT i.local_area_id AS area, a.provision_item_id AS line, (s.date - DATE '0001-01-01' + 1) AS day,
               s.starts_at, s.status, (s.status = 'delivered' AND a.minutes > 0)::TINYINT AS delivered
        FROM delivery_attendance a
        JOIN delivery_session s ON s.id = a.session_id
        JOIN plans_provisionitem i ON i.id = a.provision_item_id
        JOIN ledger_ledgersettings ls ON ls.local_area_id = i.local_area_id
        WHERE s.date BETWEEN ? AND ? AND a.child_id = i.child_id AND a.in_error_at IS NULL
          AND s.date >= i.starts_on AND (i.ends_on IS NULL OR s.date <= i.ends_on)
          AND ((s.status = 'delivered' AND a.minutes > 0)
               OR (s.status = 'cancelled_setting' AND ls.cancelled_by_setting IN ('not_owed', 'review'))
               OR (s.status = 'cancelled_family' AND ls.cancelled_by_family IN ('not_owed', 'review'))
               OR ((s.status = 'dna' OR (s.status = 'delivered' AND a.minutes = 0)) AND ls.did_not_attend IN ('not_owed', 'review')))
    ) ORDER BY area
"""


def arrays_from_duckdb(con, *, start: dt.date, end: dt.date) -> Iterator[AreaArrays]:
    """Areas from tables named as the generator's CSV files (registered in DuckDB).

    Three queries for the whole country, not three per area: the joins, the area's
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

    lines = con.execute(LINES_SQL).fetchnumpy()
    contacts = con.execute(CONTACTS_SQL, [start, end]).fetchnumpy()
    line_area = np.asarray(lines["area"], dtype=np.int64)
    contact_area = np.asarray(contacts["area"], dtype=np.int64)
    for area_id, name, records_from, rate in areas:
        a0, a1 = np.searchsorted(line_area, [area_id, area_id + 1])
        c0, c1 = np.searchsorted(contact_area, [area_id, area_id + 1])
        calendar = AcademicCalendar(terms=[Term(int(y), n, s_, e, hs, he) for y, n, s_, e, hs, he in terms.get(area_id, [])],
                                    closures=set(closures.get(area_id, [])))
        yield _arrays(area_id, name, calendar, records_from, float(rate),
                      {k: np.asarray(v)[a0:a1] for k, v in lines.items()},
                      {k: np.asarray(v)[c0:c1] for k, v in contacts.items()})


def _arrays(area_id, name, calendar, records_from, rate, lines, contacts) -> AreaArrays:
    line_ids = np.asarray(lines["id"], dtype=np.int64)  # sorted by the query
    contact_days = np.asarray(contacts["day"], dtype=np.int64)
    contact_lines = np.searchsorted(line_ids, np.asarray(contacts["line"], dtype=np.int64))
    teaching = np.ones(len(contact_days), dtype=bool)
    if len(contact_days):
        last_year = academic_year_of(dt.date.fromordinal(int(contact_days.max())))
        days = np.asarray(CalendarIndex(calendar, academic_year_of(records_from), last_year + 1).days, dtype=np.int64)
        teaching = np.isin(contact_days, days)  # a session on a non-teaching day is not counted
    n = len(line_ids)
    return AreaArrays(
        area_id=area_id, name=name, calendar=calendar, records_from=records_from, hourly_rate=rate,
        line_id=line_ids,
        child_id=np.asarray(lines["child_id"], dtype=np.int64),
        discipline=np.asarray(lines["discipline"], dtype=np.int64),
        sessions=np.asarray(lines["sessions"], dtype=np.float64),
        minutes=np.asarray(lines["minutes"], dtype=np.float64),
        period=np.asarray(lines["period"], dtype=np.int64),
        starts_on=np.asarray(lines["lo"], dtype=np.int64), ends_on=np.asarray(lines["hi"], dtype=np.int64),
        pause_from=np.zeros(n, dtype=np.int64), pause_to=np.zeros(n, dtype=np.int64),
        contact_line=contact_lines[teaching],
        contact_day=contact_days[teaching],
        contact_delivered=np.asarray(contacts["delivered"], dtype=np.float64)[teaching],
    )


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
}


def open_csv_dataset(directory, *, memory_limit: str = "6GB", threads: int = 2):
    """A DuckDB connection with one view per CSV file written by `fulfil generate --output`."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET threads = {int(threads)}")
    con.execute("SET enable_progress_bar = false")
    for table, columns in CSV_TABLES.items():
        path = str(directory / f"{table}.csv").replace("'", "''")
        spec = ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items())
        # Large tables become in-memory tables once (read in parallel); small ones stay views.
        kind = "TABLE" if table in {"delivery_session", "delivery_attendance", "plans_provisionitem"} else "VIEW"
        con.execute(f"CREATE {kind} {table} AS SELECT * FROM read_csv('{path}', header = true, types = {{{spec}}}, "  # noqa: S608  # nosec B608
                    "nullstr = '', ignore_errors = false)")
    return con
