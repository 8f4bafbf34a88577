"""The wording checker against the labelled evaluation set (data/wording_labelled.jsonl).

The set was written from the labelling contract by someone other than the checker's author.
Figures are printed (run with -s to see them) and each must stay at or above 0.95.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from fulfil.plans.wording import NOT_QUANTIFIED, check_statement

LABELLED = Path(__file__).parent / "data" / "wording_labelled.jsonl"
FIELDS = ("discipline", "kind", "sessions", "minutes", "period", "deliverer")
THRESHOLD = 0.95


@dataclass
class Scores:
    statements: int = 0
    verdicts_right: int = 0
    item_counts_right: int = 0
    true_not_quantified: int = 0
    false_not_quantified: int = 0
    missed_not_quantified: int = 0
    items: int = 0
    fields_right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    wrong: list[str] = field(default_factory=list)

    @property
    def figures(self) -> dict[str, float]:
        flagged = self.true_not_quantified + self.false_not_quantified
        actual = self.true_not_quantified + self.missed_not_quantified
        return {
            "not_quantified precision": self.true_not_quantified / flagged if flagged else 1.0,
            "not_quantified recall": self.true_not_quantified / actual if actual else 1.0,
            "verdict accuracy": self.verdicts_right / self.statements,
            "item count accuracy": self.item_counts_right / self.statements,
            **{f"{name} accuracy": right / self.items for name, right in self.fields_right.items()},
        }


def score(rows: list[dict]) -> Scores:
    scores = Scores()
    for row in rows:
        check = check_statement(row["text"])
        scores.statements += 1
        expected_nq = row["verdict"] == NOT_QUANTIFIED
        got_nq = check.verdict == NOT_QUANTIFIED
        scores.true_not_quantified += expected_nq and got_nq
        scores.false_not_quantified += got_nq and not expected_nq
        scores.missed_not_quantified += expected_nq and not got_nq
        scores.verdicts_right += check.verdict == row["verdict"]
        scores.item_counts_right += len(check.items) == len(row["items"])
        # Items are matched in order; a labelled item the checker did not find is wrong in
        # every field.
        for position, expected in enumerate(row["items"]):
            scores.items += 1
            got = check.items[position] if position < len(check.items) else None
            for name in FIELDS:
                if got is not None and getattr(got, name) == expected[name]:
                    scores.fields_right[name] += 1
                else:
                    scores.wrong.append(f"{row['id']} {name}: expected {expected[name]!r}, got {getattr(got, name, '(no item)')!r}")
        if check.verdict != row["verdict"]:
            scores.wrong.append(f"{row['id']} verdict: expected {row['verdict']}, got {check.verdict}")
    return scores


@pytest.fixture(scope="module")
def scores() -> Scores:
    if not LABELLED.exists():
        pytest.skip(f"{LABELLED} is not there yet")
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = score(rows)
    print(f"\nWording checker on {result.statements} labelled statements ({result.items} items):")
    for name, value in result.figures.items():
        print(f"  {name:28s} {value:.3f}")
    return result


def test_the_labelled_set_has_a_few_hundred_statements(scores):
    assert scores.statements >= 300


@pytest.mark.parametrize(
    "figure",
    ["not_quantified precision", "not_quantified recall", "verdict accuracy", "item count accuracy",
     *(f"{name} accuracy" for name in FIELDS)],
)
def test_the_checker_agrees_with_the_labels(scores, figure):
    value = scores.figures[figure]
    assert value >= THRESHOLD, f"{figure} {value:.3f} < {THRESHOLD}; disagreements:\n" + "\n".join(scores.wrong[:40])
