"""Reads for plans: the wording check of each line and the area's plan quality."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from fulfil.plans.models import Plan, ProvisionItem
from fulfil.plans.wording import NOT_QUANTIFIED, PARTLY_QUANTIFIED, QUANTIFIED, check_many

# Reasons whose words are worth counting as "phrases": the wording that made a line vague.
_PHRASE_REASONS = ("vague_access", "discretion", "ceiling", "range")
DISCIPLINE_LABELS = dict(ProvisionItem._meta.get_field("discipline").choices)


def current_plan_version(child):
    plan = Plan.objects.filter(child=child, status="active").prefetch_related("versions").first()
    return plan.current_version if plan else None


@dataclass
class QualityGroup:
    label: str
    lines: int = 0
    verdicts: Counter = field(default_factory=Counter)

    @property
    def pct_quantified(self) -> float | None:
        return round(100 * self.verdicts[QUANTIFIED] / self.lines, 1) if self.lines else None

    def pct(self, verdict: str) -> float | None:
        return round(100 * self.verdicts[verdict] / self.lines, 1) if self.lines else None


@dataclass
class PlanQuality:
    total: QualityGroup
    by_discipline: list[QualityGroup]
    by_team: list[QualityGroup]
    phrases: list[tuple[str, int]]
    reasons: list[tuple[str, int]]


def plan_quality(items: QuerySet[ProvisionItem]) -> PlanQuality:
    """Every therapy line in current plan versions, checked: % quantified overall, by
    discipline and by caseworker team, and the phrases that most often make a line vague."""
    rows = list(items.filter(plan_version__status="final").values_list("wording", "discipline", "plan_version__plan__caseworker_team"))
    total = QualityGroup("All therapy lines")
    disciplines: dict[str, QualityGroup] = {}
    teams: dict[str, QualityGroup] = defaultdict(lambda: QualityGroup(""))
    phrases: Counter = Counter()
    reasons: Counter = Counter()
    for (_wording, discipline, team), check in zip(rows, check_many(r[0] for r in rows), strict=True):
        for group in (total, disciplines.setdefault(discipline, QualityGroup(DISCIPLINE_LABELS.get(discipline, discipline))),
                      teams[team or "No team recorded"]):
            group.lines += 1
            group.verdicts[check.verdict] += 1
        reasons.update(set(check.reasons))
        for item in check.items:
            for reason in _PHRASE_REASONS:
                found = item.evidence.get(reason)
                if found:
                    phrases[found.words.lower()] += 1
    for label, group in teams.items():
        group.label = label
    return PlanQuality(
        total=total,
        by_discipline=sorted(disciplines.values(), key=lambda g: g.label),
        by_team=sorted(teams.values(), key=lambda g: g.label),
        phrases=phrases.most_common(10),
        reasons=reasons.most_common(),
    )


VERDICT_ORDER = (QUANTIFIED, PARTLY_QUANTIFIED, NOT_QUANTIFIED)
