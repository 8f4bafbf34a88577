"""Which backups to keep (`fulfil backup --keep-daily/--keep-weekly/--keep-monthly`), and the
files a backup is made of. Only files Fulfil named are ever removed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path

NAME = re.compile(r"fulfil-(\d{8}T\d{6}Z)\.dump\.enc")
STAMP = "%Y%m%dT%H%M%SZ"


def manifest_path(dump: Path) -> Path:
    return dump.with_name(dump.name.removesuffix(".dump.enc") + ".manifest.json")


def backups_to_keep(taken: Iterable[dt.datetime], *, daily: int, weekly: int, monthly: int) -> set[dt.datetime]:
    """The newest backup of each of the last `daily` days that have one, of the last `weekly`
    ISO weeks and of the last `monthly` months (UTC), and always the newest of all."""
    newest_first = sorted(set(taken), reverse=True)
    keep = set(newest_first[:1])
    periods: list[tuple[int, Callable[[dt.datetime], object]]] = [
        (daily, lambda t: t.date()), (weekly, lambda t: t.isocalendar()[:2]), (monthly, lambda t: (t.year, t.month))]
    for count, period in periods:
        seen: set[object] = set()
        for moment in newest_first:
            if len(seen) >= count:
                break
            if period(moment) not in seen:
                seen.add(period(moment))
                keep.add(moment)
    return keep


def backup_files(directory: Path) -> dict[dt.datetime, Path]:
    found = {}
    for path in directory.iterdir():
        match = NAME.fullmatch(path.name)
        if match:
            found[dt.datetime.strptime(match[1], STAMP).replace(tzinfo=dt.UTC)] = path
    return found


def prune(directory: Path, *, daily: int, weekly: int, monthly: int) -> list[str]:
    """Remove the backups (each with its manifest and checksum) that retention does not keep.
    Only files Fulfil named are touched."""
    found = backup_files(directory)
    keep = backups_to_keep(found, daily=daily, weekly=weekly, monthly=monthly)
    removed = []
    for taken, path in sorted(found.items()):
        if taken in keep:
            continue
        for companion in (path, Path(f"{path}.sha256"), manifest_path(path)):
            companion.unlink(missing_ok=True)
        removed.append(path.name)
    return removed
