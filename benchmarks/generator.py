"""Benchmark: the demo generator at area and national scale.

Runs each case in a fresh process (so peak memory is that case's own), prints the figures and
writes them to docs/benchmarks.md with the machine and date. The Sutton-sized run is the
baseline; the national run is reported as ratios to it (time per child, peak memory), because
these machines are noisy and only same-run comparisons mean much.

    python benchmarks/generator.py            # area + national (about 15 minutes)
    python benchmarks/generator.py --quick    # area + a 1/10 national slice
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FULFIL = str(Path(sys.executable).with_name("fulfil"))


def run_case(name: str, args: list[str], env: dict) -> dict:
    # A fresh wrapper process per case, so the peak memory it reports is this case's alone.
    wrapper = (
        "import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
        "print('PEAK_KIB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(p.returncode)"
    )
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", wrapper, FULFIL, "generate", *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"{name} failed")
    peak_kib = int(re.search(r"PEAK_KIB (\d+)", proc.stdout).group(1))
    summary = [line for line in proc.stdout.splitlines() if line.startswith("Generated")][-1]
    counts = {key: int(value.replace(",", "")) for value, key in re.findall(r"([\d,]+) (children|sessions|attendances)", summary)}
    return {"name": name, "seconds": elapsed, "peak_mib": peak_kib / 1024, **counts}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args()
    today = "2026-11-25"
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}
        subprocess.run([FULFIL, "migrate", "-v0"], env=env, check=True)
        results.append(run_case("Sutton-sized area into SQLite", ["--seed", "1", "--today", today, "-v0"], env))
        # Peak RSS of children is the maximum over all children so far: run the CSV baseline
        # before the larger case so each figure is its own.
        results.append(run_case("Sutton-sized area to CSV (baseline)", ["--seed", "1", "--today", today, "--output", f"{tmp}/area", "-v0"], env))
        national = ["--scale", "national", "--seed", "1", "--today", today, "--output", f"{tmp}/national", "-v0"]
        if options.quick:
            national += ["--children", "64000"]
        results.append(run_case("National (153 areas) to CSV", national, env))
        size = sum(f.stat().st_size for f in Path(f"{tmp}/national").glob("*.csv"))
        shutil.rmtree(f"{tmp}/national", ignore_errors=True)
    base = results[1]
    nat = results[2]
    per_child_base = base["seconds"] / base["children"]
    per_child_nat = nat["seconds"] / nat["children"]
    lines = [
        "## Demo generator",
        "",
        f"Measured {dt.date.today().isoformat()} on {platform.node() or 'unknown'}: {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, by `python benchmarks/generator.py"
        f"{' --quick' if options.quick else ''}`.",
        "",
        "| case | children | sessions | attendances | seconds | peak memory (MiB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(f"| {r['name']} | {r['children']:,} | {r['sessions']:,} | {r['attendances']:,} | {r['seconds']:.1f} | {r['peak_mib']:.0f} |")
    lines += [
        "",
        f"National CSV data set: {size / 1e9:.2f} GB.",
        f"Time per child, national / baseline: {per_child_nat / per_child_base:.2f} (1.00 = scales linearly).",
        f"Peak memory, national / baseline: {nat['peak_mib'] / base['peak_mib']:.2f} (about 1 = flat: the generator streams).",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    sys.path.insert(0, str(ROOT))
    from benchmarks._docs import write_section

    write_section("Demo generator", text)


if __name__ == "__main__":
    main()
