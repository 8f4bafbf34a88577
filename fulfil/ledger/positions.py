"""Stored ledger positions (ADR 23): each provision line's position, kept so that caseload,
week, setting, child and report pages read it instead of running the ledger on every request.

The pure ledger (`ledger.line_ledger`, through `selectors.item_ledgers`) stays the definition:
a stored position is exactly what it returns for the line over the window `child_positions`
uses (the area's records begin to the end of this academic year), as at one day.

- `positions_refresh` recomputes lines and upserts them: every write that changes a line's
  inputs calls it (through `ledger_inputs_changed`) in its own transaction.
- `positions_read` returns the stored positions, first recomputing any that are missing, as at
  another day, or computed under another calendar, ledger rules or booking horizon
  (`context_key`). So a page is right even if the nightly rebuild never ran.
- `positions_rebuild` recomputes a whole area from scratch and reports where the stored
  positions that claimed to be current were not (the nightly check).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet

from fulfil.core.calendar import academic_year_bounds, academic_year_of
from fulfil.core.models import LocalArea
from fulfil.ledger.ledger import BlockPosition, Forecast, HorizonKind, Line, LineLedger
from fulfil.ledger.models import LinePosition
from fulfil.ledger.selectors import LedgerContext, item_ledgers, ledger_context, positions_by_child
from fulfil.plans.models import ProvisionItem

COUNTS = ("cancelled_by_provider", "cancelled_by_setting", "cancelled_by_family", "did_not_attend", "not_seen",
          "to_review", "excused", "planned")
# What a stored position holds, and what the nightly check compares.
POSITION_FIELDS = ("starts_on", "ends_on", "context_key", "due", "due_minutes", "delivered", "delivered_minutes", "made_up",
                   "owed", "owed_contacts", "owed_minutes", "counts", "state", "reason", "problems", "blocks", "forecasts")


def year_end(today: dt.date) -> dt.date:
    return academic_year_bounds(academic_year_of(today))[1]


def area_context(local_area: LocalArea, *, today: dt.date) -> LedgerContext:
    """The `LedgerContext` for a position: the window `child_positions` uses, from the start of
    records to the end of this academic year (the calendar index is kept in memory, so this is
    cheap enough to run inside every write)."""
    return ledger_context(local_area, start=today, end=year_end(today))


def context_keys(context: LedgerContext) -> dict[str, str]:
    """A fingerprint per discipline of what every line in the area shares: the teaching days
    and accounting blocks, the ledger rules, where the records begin, and how far ahead the
    discipline is booked (the forecast's horizon). A new term date, closure day, policy or
    booking horizon changes it, and so marks the positions it affects stale."""
    index = context.index
    shared = hashlib.sha256(repr((
        context.records_from, context.policy, index.days,
        [(b.kind, b.starts_on, b.ends_on, b.label) for kind in sorted(index.blocks) for b in index.blocks[kind]],
    )).encode())

    class Keys(dict):
        def __missing__(self, discipline: str) -> str:
            digest = shared.copy()
            digest.update(repr((discipline, context.booked_until.get(discipline))).encode())
            self[discipline] = digest.hexdigest()[:32]
            return self[discipline]

    return Keys()


def position_fields(ledger: LineLedger, *, context_key: str) -> dict:
    """A line's ledger as the columns of its stored position."""
    return {
        "starts_on": ledger.start, "ends_on": ledger.end, "context_key": context_key,
        "due": ledger.due, "due_minutes": ledger.due_minutes, "delivered": ledger.delivered,
        "delivered_minutes": ledger.delivered_minutes, "made_up": ledger.made_up, "owed": ledger.owed,
        "owed_contacts": ledger.owed_contacts, "owed_minutes": ledger.owed_minutes,
        "counts": {name: getattr(ledger, name) for name in COUNTS},
        "state": ledger.state, "reason": ledger.reason, "problems": list(ledger.problems),
        "blocks": [{"label": b.label, "starts_on": b.starts_on.isoformat(), "ends_on": b.ends_on.isoformat(), "due": b.due,
                    "delivered": b.delivered, "owed_after": b.owed_after} for b in ledger.blocks],
        "forecasts": [{"kind": str(f.kind), "horizon": f.horizon, "ends_on": f.ends_on.isoformat(), "due_by_then": f.due_by_then,
                       "projected_delivered": f.projected_delivered, "projected_owed": f.projected_owed}
                      for f in ledger.forecasts],
    }


def stored_fields(position: LinePosition) -> dict:
    return {name: getattr(position, name) for name in POSITION_FIELDS}


def position_ledger(position: LinePosition, item: ProvisionItem) -> LineLedger:
    """A stored position back as the `LineLedger` the pages already show (child page)."""
    line = Line(item.pk, item.child_id, item.discipline, item.sessions, item.minutes, item.period or "", item.starts_on, item.ends_on)
    ledger = LineLedger(
        line=line, start=position.starts_on, end=position.ends_on, due=position.due, due_minutes=position.due_minutes,
        delivered=position.delivered, delivered_minutes=position.delivered_minutes, made_up=position.made_up,
        owed=position.owed, owed_minutes=position.owed_minutes, problems=list(position.problems), state=position.state,
        reason=position.reason,
        blocks=[BlockPosition(b["label"], dt.date.fromisoformat(b["starts_on"]), dt.date.fromisoformat(b["ends_on"]), b["due"],
                              b["delivered"], b["owed_after"]) for b in position.blocks],
        forecasts=[Forecast(HorizonKind(f["kind"]), f["horizon"], dt.date.fromisoformat(f["ends_on"]), f["due_by_then"], f["projected_delivered"],
                            f["projected_owed"]) for f in position.forecasts],
    )
    for name in COUNTS:
        setattr(ledger, name, position.counts.get(name, 0))
    return ledger


def _compute(items: QuerySet[ProvisionItem], *, context: LedgerContext, today: dt.date) -> list[LinePosition]:
    """From-scratch positions of `items` (all in the context's area), as at `today`."""
    keys = context_keys(context)
    ledgers = item_ledgers(items, context=context, start=context.records_from, end=year_end(today), today=today)
    return [
        LinePosition(provision_item_id=item_id, local_area_id=context.local_area.pk, child_id=ledger.line.child_id,
                     discipline=ledger.line.discipline, as_at=today,
                     **position_fields(ledger, context_key=keys[ledger.line.discipline]))
        for item_id, ledger in ledgers.items()
    ]


def _store(positions: list[LinePosition]) -> None:
    """Insert or replace, one statement per batch (an upsert on the line)."""
    if positions:
        LinePosition.objects.bulk_create(
            positions, batch_size=500, update_conflicts=True, unique_fields=["provision_item"],
            update_fields=["local_area", "child", "discipline", "as_at", *POSITION_FIELDS, "updated_at"],
        )


def positions_refresh(item_ids: Iterable[int], *, today: dt.date | None) -> int:
    """Recompute and store the positions of these lines. Called inside the transaction of the
    write that changed them, so a page never reads a position older than the record.

    `today` is the day the write knows; a write that knows no day (a pause, a line or an
    enrolment saved through any route) passes None, and the lines are recomputed as at the day
    they are stored (the latest, if they differ); lines with nothing stored are left for the
    next read to compute. Returns how many lines were stored."""
    return _refresh(ProvisionItem.objects.filter(pk__in=set(item_ids)), today=today)


def positions_refresh_children(child_ids: Iterable[int], *, today: dt.date | None) -> int:
    """Recompute every line of these children (a session may count against any of them)."""
    return _refresh(ProvisionItem.objects.filter(child_id__in=set(child_ids)), today=today)


def _refresh(items: QuerySet[ProvisionItem], *, today: dt.date | None) -> int:
    by_area: dict[int, list[int]] = defaultdict(list)
    for pk, area_id in items.values_list("pk", "local_area_id"):
        by_area[area_id].append(pk)
    if not by_area:
        return 0
    if today is None:
        stored = LinePosition.objects.filter(provision_item_id__in=[pk for pks in by_area.values() for pk in pks])
        today = max(stored.values_list("as_at", flat=True), default=None)
        if today is None:
            return 0
    count = 0
    for area in LocalArea.objects.filter(pk__in=by_area):
        positions = _compute(ProvisionItem.objects.filter(pk__in=by_area[area.pk]), context=area_context(area, today=today), today=today)
        _store(positions)
        count += len(positions)
    return count


def positions_read(items: QuerySet[ProvisionItem], *, local_area: LocalArea, today: dt.date,
                   context: LedgerContext | None = None) -> dict[int, LinePosition]:
    """The stored position of each item (in `local_area`), as at `today`. Any that is missing,
    as at another day, or computed under another calendar, ledger rules or booking horizon is
    recomputed and stored first, so the answer never depends on the nightly rebuild."""
    context = context or area_context(local_area, today=today)
    keys = context_keys(context)
    items = items.filter(local_area=local_area)
    stored = {p.provision_item_id: p for p in LinePosition.objects.filter(provision_item__in=items.values("pk"))}
    current = {pk: p for pk, p in stored.items() if p.as_at == today and p.context_key == keys[p.discipline]}
    stale = [pk for pk in items.values_list("pk", flat=True) if pk not in current]
    if stale:
        fresh = _compute(ProvisionItem.objects.filter(pk__in=stale), context=context, today=today)
        with transaction.atomic():
            _store(fresh)
        current.update({p.provision_item_id: p for p in fresh})
    return current


def child_positions_stored(children: QuerySet, *, local_area: LocalArea, today: dt.date, discipline: str = "") -> dict[int, dict]:
    """`selectors.child_positions` from stored positions: worst state, owed, owed hours, the
    worst line's reason and the lines with sessions owed, per child. Same shape, same numbers."""
    items = ProvisionItem.objects.filter(child__in=children.values("pk"))
    if discipline:
        items = items.filter(discipline=discipline)
    stored = sorted(positions_read(items, local_area=local_area, today=today).values(), key=lambda p: p.provision_item_id)
    return positions_by_child((p.provision_item_id, p.child_id, p.state, p.reason, p.owed_contacts, p.owed_minutes) for p in stored)


def child_ledgers_stored(child, *, today: dt.date) -> tuple[LedgerContext, dict[int, LineLedger]]:
    """`selectors.child_ledgers` from stored positions: the area context and each of the child's
    lines as the `LineLedger` the child page shows, in the plan's order."""
    context = area_context(child.local_area, today=today)
    items = list(ProvisionItem.objects.filter(child=child))
    positions = positions_read(ProvisionItem.objects.filter(child=child), local_area=child.local_area, today=today, context=context)
    return context, {item.pk: position_ledger(positions[item.pk], item) for item in items if item.pk in positions}


@dataclass
class RebuildReport:
    """What the nightly rebuild found in one area. `differences` are lines whose stored position
    claimed to be current (same day, same context) but was not: a write that did not refresh."""

    local_area_id: int
    lines: int = 0
    current: int = 0
    stale: int = 0
    missing: int = 0
    differences: list[tuple[int, list[str]]] = field(default_factory=list)


def positions_rebuild(local_area: LocalArea, *, today: dt.date) -> RebuildReport:
    """Recompute every line in the area from scratch, compare with what was stored, and store
    the fresh positions."""
    report = RebuildReport(local_area.pk)
    context = area_context(local_area, today=today)
    fresh = _compute(ProvisionItem.objects.filter(local_area=local_area), context=context, today=today)
    stored = {p.provision_item_id: p for p in LinePosition.objects.filter(local_area=local_area)}
    for position in fresh:
        report.lines += 1
        old = stored.get(position.provision_item_id)
        if old is None:
            report.missing += 1
        elif old.as_at != today or old.context_key != position.context_key:
            report.stale += 1
        else:
            expected, found = stored_fields(position), stored_fields(old)
            changed = [name for name in POSITION_FIELDS if expected[name] != found[name]]
            if changed:
                report.differences.append((position.provision_item_id, changed))
            else:
                report.current += 1
    with transaction.atomic():
        _store(fresh)
    return report
