"""Benchmark: the provision ledger.

1. The whole ledger of the Sutton-sized demo area (every line, from the start of records to
   the end of this academic year) through `fulfil.ledger.selectors.item_ledgers`, against a
   naive loop that queries the ORM once per line, in the same run.
2. The cohort shortfall by local area x discipline over the national data set (written by
   `fulfil generate --scale national --output DIR`) through DuckDB + numpy
   (`fulfil.ledger.bulk`), in a fresh process so its peak memory is its own; compared with the
   naive per-line loop's measured time per line, scaled to the national line count.

    python benchmarks/ledger.py                        # generates the national set if missing (~13 min)
    python benchmarks/ledger.py --national-data DIR    # reuse a set
    python benchmarks/ledger.py --skip-national

Figures are printed and written to docs/benchmarks.md (section "## Ledger").
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FULFIL = str(Path(sys.executable).with_name("fulfil"))
TODAY = dt.date(2026, 11, 25)
START, END = dt.date(2025, 9, 1), dt.date(2026, 8, 31)


def sutton_case(tmp: str, children: int | None = None) -> dict:
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/ledger-bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    subprocess.run([FULFIL, "migrate", "-v0"], check=True)
    extra = ["--children", str(children)] if children else []
    subprocess.run([FULFIL, "generate", "--seed", "1", "--today", TODAY.isoformat(), "-v0", *extra], check=True)
    import django

    django.setup()
    from fulfil.children.models import Enrolment
    from fulfil.core.calendar import academic_year_bounds, academic_year_of
    from fulfil.core.models import LocalArea
    from fulfil.ledger.ledger import Contact, Line, Pause, line_ledger
    from fulfil.ledger.models import ProvisionPause
    from fulfil.ledger.selectors import item_ledgers, ledger_context
    from fulfil.plans.models import ProvisionItem

    area = LocalArea.objects.get()
    year_end = academic_year_bounds(academic_year_of(TODAY))[1]

    def fast():
        context = ledger_context(area, start=TODAY, end=year_end)
        items = ProvisionItem.objects.filter(local_area=area)
        return item_ledgers(items, context=context, start=context.records_from, end=year_end, today=TODAY)

    def naive():
        # What a straightforward view would do: one line at a time, a few queries each.
        context = ledger_context(area, start=TODAY, end=year_end)
        out = {}
        for item in ProvisionItem.objects.filter(local_area=area):
            line = Line(item.pk, item.child_id, item.discipline, item.sessions, item.minutes, item.period or "", item.starts_on, item.ends_on)
            contacts = []
            for a in item.attendances.select_related("session__setting"):
                s = a.session
                day = None
                if s.setting:
                    ends, starts = s.setting.day_ends_at, s.setting.day_starts_at
                    day = (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute)
                contacts.append(Contact(s.pk, s.date, s.status, a.minutes, s.minutes, s.starts_at, s.is_make_up, a.child_id, day))
            rolls = [(e.on_roll_from, e.on_roll_to) for e in Enrolment.objects.filter(child_id=item.child_id)] or None
            pauses = [Pause(p.starts_on, p.ends_on, p.reason) for p in ProvisionPause.objects.filter(child_id=item.child_id)]
            out[item.pk] = line_ledger(line, contacts, context.index, start=context.records_from, end=year_end, today=TODAY,
                                       on_roll=rolls, pauses=pauses, policy=context.policy,
                                       booked_until=context.booked_until.get(item.discipline))
        return out

    def timed(fn, repeat):
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - started)
        return statistics.median(times), result

    fast_s, fast_result = timed(fast, 3)
    naive_s, naive_result = timed(naive, 1)
    assert {k: (v.due, v.delivered, v.owed) for k, v in fast_result.items()} == {
        k: (v.due, v.delivered, v.owed) for k, v in naive_result.items()}, "fast and naive ledgers disagree"
    from fulfil.delivery.models import Attendance, Session

    return {
        "lines": len(fast_result), "sessions": Session.objects.count(), "attendances": Attendance.objects.count(),
        "fast_s": fast_s, "naive_s": naive_s, "naive_per_line": naive_s / len(fast_result),
    }


NATIONAL_CHILD = """
import datetime as dt, json, resource, sys, time
from pathlib import Path
from fulfil.ledger.bulk import area_figures, arrays_from_duckdb, open_csv_dataset
started = time.perf_counter()
con = open_csv_dataset(Path(sys.argv[1]), memory_limit="4GB")
loaded = time.perf_counter() - started
lines = con.execute("SELECT count(*) FROM plans_provisionitem").fetchone()[0]
sessions = con.execute("SELECT count(*) FROM delivery_session").fetchone()[0]
attendances = con.execute("SELECT count(*) FROM delivery_attendance").fetchone()[0]
start, end, today = dt.date(2025, 9, 1), dt.date(2026, 8, 31), dt.date(2026, 11, 25)
rows = []
for arrays in arrays_from_duckdb(con, start=start, end=end):
    rows.extend(area_figures(arrays, start=start, end=end, today=today))
elapsed = time.perf_counter() - started
short = sum(r.short for r in rows if r.discipline == "ot")
children = sum(r.children_with_provision for r in rows if r.discipline == "ot")
print(json.dumps({"seconds": elapsed, "load_seconds": loaded, "rows": len(rows), "lines": lines, "sessions": sessions,
                  "attendances": attendances, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "ot_short": short, "ot_children": children}))
"""


def national_case(directory: Path) -> dict:
    import json

    proc = subprocess.run([sys.executable, "-c", NATIONAL_CHILD, str(directory)], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit("national case failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--national-data", type=Path, default=ROOT / "benchmark-data" / "national")
    parser.add_argument("--skip-national", action="store_true")
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))

    # Each area case runs in its own process (Django is set up once per process).
    import json

    cases = []
    for children in (None, 3700):
        code = (f"import json, sys, tempfile; sys.path.insert(0, {str(ROOT)!r}); from benchmarks.ledger import sutton_case; "
                f"d = tempfile.mkdtemp(); print(json.dumps(sutton_case(d, {children!r})))")
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout + proc.stderr)
            raise SystemExit("area case failed")
        case = json.loads(proc.stdout.strip().splitlines()[-1])
        case["label"] = "Sutton-sized demo area" if children is None else f"Area with {children:,} children with plans"
        cases.append(case)
        print(f"{case['label']}: {case['lines']:,} lines, {case['sessions']:,} sessions: whole ledger {case['fast_s']:.2f}s, "
              f"naive per-line ORM loop {case['naive_s']:.2f}s (ratio {case['naive_s'] / case['fast_s']:.1f}x)")
    sutton = cases[-1]
    national = None
    if not options.skip_national:
        if not (options.national_data / "delivery_attendance.csv").exists():
            print("Generating the national data set (about 13 minutes)...")
            subprocess.run([FULFIL, "generate", "--scale", "national", "--seed", "1", "--today", TODAY.isoformat(),
                            "--output", str(options.national_data), "-v0"], check=True)
        national = national_case(options.national_data)
        naive_estimate = sutton["naive_per_line"] * national["lines"]
        print(f"National: {national['lines']:,} lines, {national['sessions']:,} sessions, {national['attendances']:,} attendances: "
              f"cohort report by area x discipline in {national['seconds']:.1f}s (loading {national['load_seconds']:.1f}s), "
              f"peak {national['peak_mib']:.0f} MiB; naive loop estimated {naive_estimate / 3600:.1f} h "
              f"(ratio {naive_estimate / national['seconds']:.0f}x)")

    lines = [
        "## Ledger",
        "",
        f"Measured {dt.date.today().isoformat()} on {platform.node() or 'unknown'}: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, by `python benchmarks/ledger.py`. Today is taken as {TODAY.isoformat()}.",
        "",
        "| case | lines | sessions | time | baseline in the same run | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for case in cases:
        lines.append(
            f"| Whole ledger, {case['label']} (SQLite, median of 3) | {case['lines']:,} | {case['sessions']:,} | {case['fast_s']:.2f} s "
            f"| naive per-line ORM loop {case['naive_s']:.2f} s | {case['naive_s'] / case['fast_s']:.1f}x faster |"
        )
    if national:
        naive_estimate = sutton["naive_per_line"] * national["lines"]
        lines.append(
            f"| Cohort report by area x discipline, national set ({national['rows']} rows), DuckDB + numpy | {national['lines']:,} "
            f"| {national['sessions']:,} | {national['seconds']:.1f} s | naive loop at the measured per-line time: "
            f"{naive_estimate / 3600:.1f} h | {naive_estimate / national['seconds']:.0f}x faster |"
        )
        lines += ["", f"National run: peak memory {national['peak_mib']:,.0f} MiB (limit 8 GB); loading the CSV files took "
                      f"{national['load_seconds']:.1f} s of the total; {national['ot_short']:,} of {national['ot_children']:,} children "
                      "with OT in their plans were short in 2025/26."]
    lines += ["", "The fast and naive Sutton ledgers are checked to agree line by line before timing is reported; "
                  "`fulfil/ledger/tests/test_bulk.py` checks the national path against the reference ledger.", ""]
    text = "\n".join(lines)
    print(text)
    from benchmarks._docs import write_section

    write_section("Ledger", text)


if __name__ == "__main__":
    main()
