"""The plans app's downloads as rows: the plan quality report, statutory timeliness and the
SEN2-style figures. Views return them with `fulfil.core.exports.download(csv_text(rows), ...)`."""

from __future__ import annotations

from collections.abc import Sequence

from fulfil.plans.selectors import VERDICT_ORDER


def plan_quality_rows(quality) -> list[list]:
    """Each group's share of lines by verdict, then the phrases that made lines vague."""
    rows: list[list] = [["Group", "Therapy lines", "Quantified %", "Partly quantified %", "Not quantified %"]]
    rows += [[group.label, group.lines, *[group.pct(v) for v in VERDICT_ORDER]]
             for group in [quality.total, *quality.by_discipline, *quality.by_team]]
    rows += [[], ["Phrase that made lines vague", "Lines"]]
    rows += [[phrase, count] for phrase, count in quality.phrases]
    return rows


def timeliness_rows(rows: Sequence[dict], quarter_labels: Sequence[str], *, reviews_overdue: str) -> list[list]:
    """One row per measure and quarter, as the page shows them (counts already released)."""
    out: list[list] = [["Measure", "Quarter", "On time", "Due", "On time %"]]
    for row in rows:
        for quarter, (pct, on_time, due) in zip(quarter_labels, row["cells"], strict=True):
            out.append([row["label"], quarter, on_time, due, pct])
    out += [[], ["Annual reviews overdue today", reviews_overdue]]
    return out


def sen2_rows(rows: Sequence[dict], *, area_name: str, year: int) -> list[list]:
    """Fulfil's SEN2-style figures beside the DfE's published ones and England's, with the counts
    behind each and what it means."""
    header = ["Measure", f"{area_name} from Fulfil records {year}", f"{area_name} published by the DfE", "England",
              "Counts behind Fulfil's figure", "Definition"]
    return [header, *([row["label"], row["ours"], row["published"], row["england"], row["count"], row["definition"]] for row in rows)]
