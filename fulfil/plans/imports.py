"""Import therapy lines of plans from a CSV file, checking the wording of every line.

Councils hold plans in their case systems; this takes the Section F/G therapy lines as
written, turns each into structured provision with the wording checker, and says which are
not quantified. The file is all or nothing: every row is checked first, and if any row is
wrong nothing is written and each problem is reported by row and column. Importing the same
file again adds nothing (a line already on the plan, with the same words, is skipped).

Columns (a header row is required; names are case-insensitive):
    plan_reference   the council's plan reference, e.g. EHCP-319-0000123
    wording          the plan's words for the line
    starts_on        optional, YYYY-MM-DD (default: the plan version's issue date)
    section          optional, F or G (default F)

Limits (issue 18: a 9.5 MB garbage file gave a 34.5 MB page of 399,248 errors): the file is at
most MAX_BYTES and MAX_ROWS rows, a cell at most MAX_CELL_CHARS characters; the first
MAX_ERRORS_LISTED problems are listed and the rest counted. The check (dry run) builds and
validates every line exactly as the import does; the import only saves what the check passed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from fulfil.core.models import LocalArea
from fulfil.core.widgets import date_out_of_range
from fulfil.plans.models import Plan, ProvisionItem
from fulfil.plans.wording import check_statement

REQUIRED = ("plan_reference", "wording")
OPTIONAL = ("starts_on", "section")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_CELL_CHARS = 5_000
MAX_ERRORS_LISTED = 100


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    skipped_existing: int = 0
    verdicts: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.error_count

    @property
    def errors_not_listed(self) -> int:
        return self.error_count - len(self.errors)

    def error(self, message: str) -> None:
        """Count every problem; list the first MAX_ERRORS_LISTED."""
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_LISTED:
            self.errors.append(message)


def _csv_rows(text: str, result: ImportResult):
    """The file's rows as lists of cells; a row the csv module cannot read ends the file with a
    message (a cell over the module's own limit, an unclosed quote)."""
    reader = csv.reader(io.StringIO(text))
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error:
            result.error(f"Row {reader.line_num}: the row cannot be read as CSV (a cell longer than {MAX_CELL_CHARS:,} "
                         "characters or a quote that is not closed)")
            return


def _decoded(data: bytes, result: ImportResult) -> str | None:
    """The file as text, or None with a message saying how to save it instead."""
    if len(data) > MAX_BYTES:
        result.error(f"The file is {len(data) / 1024 / 1024:.1f} MB: it must be at most {MAX_BYTES // 1024 // 1024} MB. "
                     "Split it into smaller files")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.error("The file is not UTF-8 text: save it from your spreadsheet as 'CSV UTF-8' and try again")
        return None
    if "\x00" in text:
        result.error("The file holds NUL characters, so it is not a CSV file: save it from your spreadsheet as 'CSV UTF-8'")
        return None
    return text


def _data_rows(text: str, result: ImportResult) -> list[tuple[int, dict[str, str]]] | None:
    """Each non-blank row as (its row number in the file, cells by column name), or None when
    the header lacks a required column or the file has too many rows."""
    lines = _csv_rows(text, result)
    header = next(lines, [])
    headers = {(name or "").strip().lower(): index for index, name in enumerate(header)}
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        result.error(f"Row 1 (the header): add the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
        return None
    rows = []
    for number, cells in enumerate(lines, start=2):
        value = {key: (cells[index] if index < len(cells) else "").strip() for key, index in headers.items()}
        if any(value.values()):  # not a blank line at the end of a spreadsheet export
            rows.append((number, value))
        if len(rows) > MAX_ROWS:
            result.error(f"The file has more than {MAX_ROWS:,} rows: split it into smaller files")
            return None
    return rows


def _starts_on(number: int, value: dict[str, str], result: ImportResult) -> dt.date | None:
    if not value.get("starts_on"):
        return None
    try:
        starts_on = dt.date.fromisoformat(value["starts_on"])
    except ValueError:
        result.error(f"Row {number}, column starts_on: write the date as YYYY-MM-DD, like 2026-09-03")
        return None
    if date_out_of_range(starts_on):
        result.error(f"Row {number}, column starts_on: {date_out_of_range(starts_on, label='the date')}")
        return None
    return starts_on


def _plan_for_row(number: int, value: dict[str, str], plans: dict[str, Plan], local_area: LocalArea, result: ImportResult) -> Plan | None:
    """The row's plan if it has a final version to add lines to; otherwise None, with the problem said."""
    plan = plans.get(value["plan_reference"])
    if not value["plan_reference"]:
        result.error(f"Row {number}, column plan_reference: enter the plan reference")
    elif plan is None:
        result.error(f"Row {number}, column plan_reference: there is no plan {value['plan_reference'][:40]} in {local_area.name}")
    elif plan.current_version is None:
        result.error(f"Row {number}, column plan_reference: plan {plan.reference} has no final version to add lines to")
        return None
    return plan


def _row_items(number: int, value: dict[str, str], *, plans: dict[str, Plan], local_area: LocalArea, seen: set[tuple],
               result: ImportResult) -> list[ProvisionItem]:
    """The lines one row adds, each validated as it would be saved; problems go to `result`."""
    too_long = [key for key, text in value.items() if len(text) > MAX_CELL_CHARS]
    for key in too_long:
        result.error(f"Row {number}, column {key}: shorten it to at most {MAX_CELL_CHARS:,} characters")
    if too_long:
        return []
    plan = _plan_for_row(number, value, plans, local_area, result)
    if not value["wording"]:
        result.error(f"Row {number}, column wording: enter the plan's words for the line")
    starts_on = _starts_on(number, value, result)
    section = (value.get("section") or "F").upper()
    if section not in {"F", "G"}:
        result.error(f"Row {number}, column section: write F or G")
    check = check_statement(value["wording"]) if value["wording"] else None
    if check is not None and not any(item.discipline for item in check.items):
        result.error(f"Row {number}, column wording: the therapy is not named; say speech and language therapy, OT or physiotherapy")
    if check is None or plan is None:
        return []
    result.verdicts[check.verdict] += 1
    version = plan.current_version
    items = []
    for draft in check.items:
        if draft.discipline is None:
            continue
        key = (version.pk, value["wording"], draft.discipline, draft.kind or "direct")
        if key in seen or ProvisionItem.objects.filter(plan_version=version, wording=value["wording"], discipline=draft.discipline,
                                                      kind=draft.kind or "direct").exists():
            result.skipped_existing += 1
            continue
        seen.add(key)
        item = ProvisionItem(
            local_area=local_area, plan_version=version, child_id=plan.child_id, discipline=draft.discipline,
            section=section, kind=draft.kind or "direct", sessions=draft.sessions if draft.period else None,
            minutes=draft.minutes, period=(draft.period or "") if draft.sessions else "",
            deliverer=draft.deliverer or "therapist", starts_on=starts_on or version.issued_on, wording=value["wording"],
            group_allowed=draft.kind == "group",
        )
        # The line as it would be saved, validated here, so the check refuses what the import would.
        try:
            item.full_clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                result.error(f"Row {number}, column wording: the line cannot be saved as read ({name}: {' '.join(messages)})")
            continue
        items.append(item)
    return items


def provision_lines_import(*, local_area: LocalArea, data: bytes, dry_run: bool = False) -> ImportResult:
    result = ImportResult(dry_run=dry_run)
    text = _decoded(data, result)
    rows = _data_rows(text, result) if text is not None else None
    if rows is None:
        return result

    items: list[ProvisionItem] = []
    seen: set[tuple] = set()
    plans = {p.reference: p for p in Plan.objects.filter(local_area=local_area).prefetch_related("versions")}
    for number, value in rows:
        result.rows += 1
        items.extend(_row_items(number, value, plans=plans, local_area=local_area, seen=seen, result=result))
    if not result.ok or dry_run:
        return result

    with transaction.atomic():
        for item in items:
            item.save()
        result.created = len(items)
    return result
