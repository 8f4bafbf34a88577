"""Reads for plans: the wording check of each line and the area's plan quality."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from fulfil.accounts.policy import Capability, can
from fulfil.accounts.scopes import children_visible_to
from fulfil.core.disciplines import DISCIPLINE_LABELS
from fulfil.plans.clocks import AdviceRequest as Advice
from fulfil.plans.clocks import RequestOutcome, annual_review_timeline, ehcna_timeline
from fulfil.plans.models import AnnualReview, AssessmentRequest, Plan, PlanStatus, ProvisionItem, VersionStatus
from fulfil.plans.timeliness import _exception
from fulfil.plans.wording import NOT_QUANTIFIED, PARTLY_QUANTIFIED, QUANTIFIED, check_many

# Reasons whose words are worth counting as "phrases": the wording that made a line vague.
_PHRASE_REASONS = ("vague_access", "discretion", "ceiling", "range")


def current_plan_version(child):
    plan = Plan.objects.filter(child=child, status=PlanStatus.ACTIVE).prefetch_related("versions").first()
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
    rows = list(items.filter(plan_version__status=VersionStatus.FINAL).values_list("wording", "discipline", "plan_version__plan__caseworker_team"))
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


# -- statutory steps of one child's assessments and reviews (council officers) -----------------

def _council_officer_or_404(user) -> None:
    if not can(user, Capability.MAINTAIN_PLANS) or user.local_area_id is None:
        raise Http404("Not available for this role")


def assessment_get_for_user(user, pk: int, *, now):
    """One request for assessment, for a council officer of its area: the one access check for
    recording statutory steps (the council runs assessments and reviews; others see the clocks
    through the pages made for them)."""
    _council_officer_or_404(user)
    try:
        return (AssessmentRequest.objects.filter(local_area_id=user.local_area_id, child__in=children_visible_to(user, now=now))
                .select_related("child").get(pk=pk))
    except AssessmentRequest.DoesNotExist:
        raise Http404("No request for assessment found") from None


def review_get_for_user(user, pk: int, *, now):
    """One review of a plan, for a council officer of its area (as `assessment_get_for_user`)."""
    _council_officer_or_404(user)
    try:
        return (AnnualReview.objects.filter(local_area_id=user.local_area_id, plan__child__in=children_visible_to(user, now=now))
                .select_related("plan__child").get(pk=pk))
    except AnnualReview.DoesNotExist:
        raise Http404("No review found") from None


def assessment_timeline(assessment, *, today):
    """Every clock of one request as it stands today, with its advice requests and the case's
    recorded exceptions (those about one adviser stay on that adviser's clock)."""
    exceptions = list(assessment.exceptions.all())
    advice = [Advice(adviser=a.get_service_display(), requested_on=a.requested_on, provided_on=a.provided_on,
                     exceptions=tuple(_exception(e) for e in exceptions if e.advice_request_id == a.pk))
              for a in assessment.advice_requests.all()]
    return ehcna_timeline(
        assessment.received_on, today=today, decided_on=assessment.decided_on,
        outcome=RequestOutcome(assessment.outcome) if assessment.outcome else None, advice=advice,
        final_plan_on=assessment.final_plan_on, decision_not_to_issue_on=assessment.decision_not_to_issue_on,
        exceptions=[_exception(e) for e in exceptions if e.advice_request_id is None],
    )


def review_timeline(review, *, today):
    return annual_review_timeline(review.period_starts_on, today=today, meeting_on=review.meeting_on, report_on=review.report_on,
                                  decision_on=review.decision_on, amendment_notice_on=review.amendment_notice_on,
                                  amended_plan_on=review.amended_plan_on)


def statutory_cases(child, *, today):
    """The child's requests for assessment and reviews, newest first, each with its timeline,
    for the child's page."""
    assessments = [(a, assessment_timeline(a, today=today))
                   for a in child.assessment_requests.prefetch_related("advice_requests", "exceptions").order_by("-received_on", "-pk")]
    reviews = [(r, review_timeline(r, today=today))
               for r in AnnualReview.objects.filter(plan__child=child).order_by("-period_starts_on", "-pk")]
    return {"assessments": assessments, "reviews": reviews}
