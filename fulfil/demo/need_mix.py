"""The mix of primary needs among children with EHC plans, from DfE published statistics.

The product does not bundle the DfE files (users download current ones). The demo uses the
proportions below, taken from the DfE "Education, health and care plans" 2025 release,
file sen_needs_all_plans.csv, row "Sutton, All EHC plans, 202425" (Open Government Licence
v3.0); a test checks them against the published file. `need_mix_from_dfe_csv` reads the same
official format so a council can generate a demo shaped like its own area.
"""

from __future__ import annotations

import csv
from pathlib import Path

# Sutton (LA 319), January 2025: number of EHC plans by primary need. Total 2,582.
SUTTON_PLANS_BY_NEED: dict[str, int] = {
    "ASD": 1130, "HI": 22, "MLD": 229, "MSI": 3, "OTH": 151, "PD": 43, "PMLD": 61,
    "SEMH": 343, "SLCN": 448, "SLD": 55, "SPLD": 82, "VI": 15,
}
SUTTON_TOTAL_PLANS = 2582

_NEED_COLUMNS = {
    "number_asd": "ASD", "number_hi": "HI", "number_mld": "MLD", "number_msi": "MSI",
    "number_oth": "OTH", "number_pd": "PD", "number_pmld": "PMLD", "number_semh": "SEMH",
    "number_slcn": "SLCN", "number_sld": "SLD", "number_spld": "SPLD", "number_vi": "VI",
}


class NeedMixError(ValueError):
    pass


def need_mix_from_dfe_csv(path: Path, *, la: str) -> tuple[int, dict[str, int]]:
    """(total plans, plans by primary need) for one area and the latest year in the file.

    `la` is a DfE LA number (e.g. "319") or an ONS code (e.g. "E09000029"). Suppressed cells
    (x, c, z, low) count as 0 for the demo's proportions.
    """
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"time_period", "old_la_code", "new_la_code", "breakdown", "ehc_plans"} - set(reader.fieldnames or [])
        if missing:
            raise NeedMixError(f"{path.name} is missing columns: {', '.join(sorted(missing))}")
        rows = [
            row for row in reader
            if row["geographic_level"] == "Local authority"
            and la in (row["old_la_code"], row["new_la_code"])
            and row["breakdown"] == "All EHC plans"
        ]
    if not rows:
        raise NeedMixError(f"No 'All EHC plans' row for local authority {la} in {path.name}")
    latest = max(rows, key=lambda row: row["time_period"])

    def number(text: str) -> int:
        return int(text) if text.strip().isdigit() else 0

    return number(latest["ehc_plans"]), {need: number(latest[col]) for col, need in _NEED_COLUMNS.items()}
