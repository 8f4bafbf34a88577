"""Reading the DfE's "Education, health and care plans" statistics files exactly as published.

No Django here: it turns a folder of the official CSV files into figures, and reports what it
could not read. Files are UTF-8 with a byte-order mark; a suppressed or not-applicable value is
written `x`, `c`, `z` or `low` and becomes None with its marker kept. Column names have changed
between releases, so each measure lists the names it is known by; a file that has none of them
is reported by name rather than read wrongly.

Symbols: the DfE writes the Government Statistical Service's symbols in place of a number
(`MARKER_MEANINGS` says each in plain English). The 2025 release uses only `x`; the others
appear in other releases. A symbol is not the same as no row: an area with no row for a year
was not published for that year at all ("not published").

Rounding: the DfE rounds half up (1,468.85 is 1,468.9), not to the nearest even digit as
Python's `round` does, so averages are rounded with `round_half_up`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

# The GSS symbols in statistical tables, as Explore Education Statistics uses them, and the
# older DfE ones. Shown beside a figure the DfE did not give as a number.
MARKER_MEANINGS: dict[str, str] = {
    "x": "not available: the DfE has no figure here (not collected that year, or withheld)",
    "c": "confidential: withheld by the DfE so that no child can be identified",
    "z": "not applicable: there can be no figure here",
    "low": "low: more than zero but rounds to zero",
    "u": "low reliability: withheld by the DfE as too unreliable to use",
    ":": "not available (an older DfE symbol)",
    "..": "not available (an older DfE symbol)",
    ".": "not applicable (an older DfE symbol)",
    "~": "low: more than zero but rounds to zero (an older DfE symbol)",
    "": "left blank in the published file",
}
SUPPRESSION_MARKERS = set(MARKER_MEANINGS)
NOT_PUBLISHED = "not published: the DfE published no figure for this area in this year"


def marker_meaning(marker: str) -> str:
    """What a symbol the DfE wrote instead of a number means, in plain English."""
    return MARKER_MEANINGS.get(marker, f"not a number in the published file ('{marker}')")


def round_half_up(value: Decimal, places: str = "0.1") -> Decimal:
    """The DfE's rounding: a half rounds up (49.95 -> 50.0), never to the even digit."""
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Measure:
    name: str
    label: str
    file: str
    columns: tuple[str, ...]  # names across releases, newest first
    is_percentage: bool = False
    higher_is_better: bool = True  # for counts: rank 1 is the largest


def display(value, measure: Measure) -> str:
    """Percentages to one decimal place, counts as whole numbers with commas."""
    if value is None:
        return "not published"
    return f"{value:.1f}%" if measure.is_percentage else f"{value:,.0f}"


def display_average(value, measure: Measure) -> str:
    """An average (already rounded half up to one place): 49.9%, or 1,468.9 for a count."""
    if value is None:
        return "no neighbour published"
    return f"{value:.1f}%" if measure.is_percentage else f"{value:,.1f}"


MEASURES: tuple[Measure, ...] = (
    Measure("requests", "Requests for an EHC needs assessment", "requests.csv", ("requests_received_in_year", "requests_received")),
    Measure("pct_decided_within_6_weeks", "Requests decided within 6 weeks (%)", "requests.csv",
            ("request_outcome_six_weeks_pc", "request_outcome_6_weeks_pc"), True),
    Measure("pct_not_assessed", "Requests where the council decided not to assess (%)", "requests.csv",
            ("request_not_assess_pc",), True, higher_is_better=False),
    Measure("plans_issued", "New EHC plans issued", "timeliness_20_week.csv", ("plans_issued_den", "plans_issued")),
    Measure("pct_issued_within_20_weeks", "New plans issued within 20 weeks (%)", "timeliness_20_week.csv",
            ("pc_plans_issued_within_20_weeks", "plans_issued_within_20_weeks_pc"), True),
    Measure("pct_issued_within_20_weeks_excluding_exceptions", "New plans issued within 20 weeks, excluding exceptions (%)",
            "timeliness_20_week.csv", ("PC_plans_issued_20_weeks_ex", "pc_plans_issued_20_weeks_ex"), True),
    Measure("ehc_plans", "Children and young people with EHC plans (January)", "sen_needs_all_plans.csv", ("ehc_plans",)),
    Measure("annual_review_pct_decision_within_4_weeks", "Annual reviews decided within 4 weeks of the meeting (%)",
            "annual_reviews.csv", ("pc_decsion_4weeks", "pc_decision_4weeks"), True),
)
MEASURE_BY_NAME = {m.name: m for m in MEASURES}
GEOGRAPHY = ("time_period", "geographic_level", "country_code", "region_code", "region_name", "new_la_code", "old_la_code", "la_name")


@dataclass
class Figure:
    measure: str
    year: int  # calendar year, or the first year of an academic year (202425 -> 2024)
    time_period: str
    level: str  # National, Regional, Local authority
    code: str  # DfE LA number, region code or country code
    ons_code: str
    name: str
    region_code: str
    value: Decimal | None
    marker: str  # the suppression marker when value is None


@dataclass
class Reading:
    figures: list[Figure] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    files_read: list[str] = field(default_factory=list)


def _value(text: str) -> tuple[Decimal | None, str]:
    text = (text or "").strip()
    if text.lower() in SUPPRESSION_MARKERS:
        return None, text.lower()
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None, text[:10]
    # NaN, infinity or a figure no statistic reaches cannot be stored: treated as not a number.
    if not value.is_finite() or abs(value) >= MAX_VALUE:
        return None, text[:10]
    return value, ""


# PublishedFigure.value holds 14 digits, 3 after the point.
MAX_VALUE = Decimal(10) ** 11


def read_published_folder(folder: Path) -> Reading:
    """Every known measure from the files in `folder` that has them, headline rows only
    (the breakdown "All ..."), at national, regional and local authority level."""
    reading = Reading()
    by_file: dict[str, list[Measure]] = {}
    for measure in MEASURES:
        by_file.setdefault(measure.file, []).append(measure)
    for filename, measures in by_file.items():
        path = folder / filename
        if not path.exists():
            reading.problems.append(f"{filename}: not in {folder} (its figures are not loaded)")
            continue
        try:
            _read_published_file(path, measures, reading)
        except UnicodeDecodeError:
            reading.problems.append(f"{filename}: not UTF-8 text, so not as the DfE publishes it (its figures are not loaded)")
        except csv.Error as error:
            reading.problems.append(f"{filename}: cannot be read as CSV ({error}); its figures are not loaded")
    return reading


def _read_published_file(path: Path, measures: list[Measure], reading: Reading) -> None:
    """Read one file's figures into `reading`; a file that fails to read adds none of them."""
    filename = path.name
    figures: dict[tuple, Figure] = {}
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle, restval="")
        columns = set(reader.fieldnames or [])
        missing_geo = [c for c in GEOGRAPHY if c not in columns]
        if missing_geo:
            reading.problems.append(f"{filename}: not in the DfE format, missing columns {', '.join(missing_geo)}")
            return
        found: dict[str, str] = {}
        for measure in measures:
            column = next((c for c in measure.columns if c in columns), None)
            if column is None:
                reading.problems.append(
                    f"{filename}: no column for '{measure.label}' (looked for {', '.join(measure.columns)}); "
                    "the DfE may have renamed it in this release")
            else:
                found[measure.name] = column
        for row_number, raw in enumerate(reader, start=2):
            row = {key: (value or "").strip() for key, value in raw.items() if isinstance(key, str) and isinstance(value, str)}
            if any("\x00" in value for value in row.values()):  # PostgreSQL cannot store it
                reading.problems.append(f"{filename}, row {row_number}: holds a NUL character, so is not as published (row not loaded)")
                continue
            if not row.get("breakdown_topic", "").startswith("All") or row.get("breakdown") != row.get("breakdown_topic"):
                continue
            level = row["geographic_level"]
            if level not in {"National", "Regional", "Local authority"}:
                continue
            period = row["time_period"]
            if not (period[:4].isdigit() and len(period) <= 8):
                reading.problems.append(f"{filename}, row {row_number}, column time_period: '{period[:20]}' is not a year")
                continue
            code = {"National": row["country_code"], "Regional": row["region_code"]}.get(level, row["old_la_code"])
            ons = {"National": row["country_code"], "Regional": row["region_code"]}.get(level, row["new_la_code"])
            name = {"National": row["country_name"], "Regional": row["region_name"]}.get(level, row["la_name"])
            if max(len(code), len(ons), len(row["region_code"])) > 12 or len(name) > 120:
                reading.problems.append(f"{filename}, row {row_number}: an area code or name is longer than the DfE's (row not loaded)")
                continue
            for measure_name, column in found.items():
                value, marker = _value(row[column])
                # A release that repeats a row: the last one stands, as on the DfE's own tables.
                figures[(measure_name, period, level, code)] = Figure(measure_name, int(period[:4]), period, level, code, ons, name,
                                                                      row["region_code"], value, marker)
    reading.files_read.append(filename)
    reading.figures.extend(figures.values())


def read_statistical_neighbours(path: Path) -> dict[str, list[str]]:
    """The DfE children's services statistical neighbours: each column an area, its rows the
    neighbours, closest first."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        return {}
    header, body = rows[0], rows[1:]
    def usable(name: str) -> bool:
        return 0 < len(name) <= 120 and "\x00" not in name

    return {name.strip(): [r[i].strip() for r in body if i < len(r) and usable(r[i].strip())]
            for i, name in enumerate(header) if usable(name.strip())}
