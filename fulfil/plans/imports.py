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
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from fulfil.core.models import LocalArea
from fulfil.plans.models import Plan, ProvisionItem
from fulfil.plans.wording import check_statement

REQUIRED = ("plan_reference", "wording")
OPTIONAL = ("starts_on", "section")


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    skipped_existing: int = 0
    verdicts: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    number: int
    plan: Plan
    wording: str
    starts_on: dt.date | None
    section: str


def provision_lines_import(*, local_area: LocalArea, data: bytes, dry_run: bool = False) -> ImportResult:
    result = ImportResult(dry_run=dry_run)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append("The file is not UTF-8 text: save it from your spreadsheet as 'CSV UTF-8' and try again")
        return result
    reader = csv.DictReader(io.StringIO(text))
    headers = {(name or "").strip().lower(): name for name in (reader.fieldnames or [])}
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        result.errors.append(f"Row 1 (the header): add the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
        return result

    rows: list[_Row] = []
    plans = {p.reference: p for p in Plan.objects.filter(local_area=local_area).prefetch_related("versions")}
    for number, raw in enumerate(reader, start=2):
        value = {key: (raw.get(original) or "").strip() for key, original in headers.items()}
        if not any(value.values()):
            continue  # a blank line at the end of a spreadsheet export
        result.rows += 1
        plan = plans.get(value["plan_reference"])
        if not value["plan_reference"]:
            result.errors.append(f"Row {number}, column plan_reference: enter the plan reference")
        elif plan is None:
            result.errors.append(f"Row {number}, column plan_reference: there is no plan {value['plan_reference']} in {local_area.name}")
        elif plan.current_version is None:
            result.errors.append(f"Row {number}, column plan_reference: plan {plan.reference} has no final version to add lines to")
        if not value["wording"]:
            result.errors.append(f"Row {number}, column wording: enter the plan's words for the line")
        starts_on = None
        if value.get("starts_on"):
            try:
                starts_on = dt.date.fromisoformat(value["starts_on"])
            except ValueError:
                result.errors.append(f"Row {number}, column starts_on: write the date as YYYY-MM-DD, like 2026-09-03")
        section = (value.get("section") or "F").upper()
        if section not in {"F", "G"}:
            result.errors.append(f"Row {number}, column section: write F or G")
        check = check_statement(value["wording"]) if value["wording"] else None
        if check is not None and not any(item.discipline for item in check.items):
            result.errors.append(f"Row {number}, column wording: the therapy is not named; say speech and language therapy, OT or physiotherapy")
        if plan is not None and plan.current_version is not None and value["wording"]:
            rows.append(_Row(number, plan, value["wording"], starts_on, section))
    if result.errors or dry_run:
        for row in rows:
            result.verdicts[check_statement(row.wording).verdict] += 1
        return result

    with transaction.atomic():
        for row in rows:
            check = check_statement(row.wording)
            result.verdicts[check.verdict] += 1
            version = row.plan.current_version
            for draft in check.items:
                if draft.discipline is None:
                    continue
                existing = ProvisionItem.objects.filter(plan_version=version, wording=row.wording, discipline=draft.discipline,
                                                        kind=draft.kind or "direct")
                if existing.exists():
                    result.skipped_existing += 1
                    continue
                item = ProvisionItem(
                    local_area=local_area, plan_version=version, child_id=row.plan.child_id, discipline=draft.discipline,
                    section=row.section, kind=draft.kind or "direct", sessions=draft.sessions if draft.period else None,
                    minutes=draft.minutes, period=draft.period if draft.sessions else "",
                    deliverer=draft.deliverer or "therapist", starts_on=row.starts_on or version.issued_on, wording=row.wording,
                    group_allowed=draft.kind == "group",
                )
                item.full_clean()
                item.save()
                result.created += 1
    return result
