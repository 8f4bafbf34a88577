"""Education, Health and Care plans, their versions, outcomes and therapy provision lines."""

from __future__ import annotations

from django.db import models

from fulfil.core.models import ArchivableModel, BaseModel, Discipline, LocalArea
from fulfil.plans.clocks import ExceptionKind


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CEASED = "ceased", "Ceased"


class Plan(ArchivableModel):
    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="plans")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="plans")
    reference = models.CharField(max_length=30, help_text="The council's plan reference")
    status = models.CharField(max_length=6, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    first_issued_on = models.DateField()
    ceased_on = models.DateField(null=True, blank=True)
    caseworker_team = models.CharField(
        max_length=60, blank=True, help_text="The council's SEND team that writes and maintains the plan, e.g. Primary team"
    )

    class Meta:
        ordering = ["-first_issued_on"]
        constraints = [
            models.UniqueConstraint(fields=["local_area", "reference"], name="plan_reference_unique_in_area")
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def current_version(self) -> PlanVersion | None:
        # Versions are prefetched on the child record page; avoid a query per call there.
        versions = [v for v in self.versions.all() if v.status == VersionStatus.FINAL]
        return max(versions, key=lambda v: v.number) if versions else None


class VersionReason(models.TextChoices):
    NEW = "new", "New plan"
    AMENDED = "amended", "Amended plan"
    ANNUAL_REVIEW = "annual_review", "Amended after annual review"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"
    SUPERSEDED = "superseded", "Superseded"


class PlanVersion(BaseModel):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=14, choices=VersionReason.choices)
    issued_on = models.DateField()
    status = models.CharField(max_length=10, choices=VersionStatus.choices)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="version_number_unique")]

    def __str__(self) -> str:
        return f"{self.plan.reference} v{self.number}"


class Outcome(BaseModel):
    """A Section E outcome: what the provision is for."""

    plan_version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="outcomes")
    area = models.CharField(max_length=60, help_text="e.g. Communication and interaction")
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]


class Section(models.TextChoices):
    F = "F", "Section F (special educational provision)"
    G = "G", "Section G (health provision)"


class ProvisionKind(models.TextChoices):
    DIRECT = "direct", "Direct one-to-one"
    GROUP = "group", "Group"
    INDIRECT = "indirect", "Indirect or programme"
    TRAINING = "training", "Staff training or consultation"
    REVIEW = "review", "Assessment or review"


class Period(models.TextChoices):
    WEEK = "week", "per week"
    FORTNIGHT = "fortnight", "per fortnight"
    MONTH = "month", "per month"
    HALF_TERM = "half_term", "per half-term"
    TERM = "term", "per term"
    YEAR = "year", "per academic year"


class Deliverer(models.TextChoices):
    THERAPIST = "therapist", "Therapist"
    ASSISTANT = "assistant", "Therapy assistant"
    SCHOOL_STAFF = "school_staff", "School staff trained by a therapist"


class ProvisionItem(BaseModel):
    """One therapy line of Section F or G, quantified so it can be delivered and counted.

    Children and Families Act 2014 s.42: the council must secure the special educational
    provision in the plan, so each line becomes a ledger of due, delivered and owed contacts.
    """

    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="+")
    plan_version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="provision_items")
    # Denormalised from the plan so ledgers and caseload queries need no three-table join.
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="provision_items")
    discipline = models.CharField(max_length=6, choices=Discipline.choices)
    section = models.CharField(max_length=1, choices=Section.choices, default=Section.F)
    kind = models.CharField(max_length=8, choices=ProvisionKind.choices)
    sessions = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Sessions per period")
    minutes = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Minutes per session")
    period = models.CharField(max_length=9, choices=Period.choices, blank=True)
    deliverer = models.CharField(max_length=12, choices=Deliverer.choices, default=Deliverer.THERAPIST)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    group_allowed = models.BooleanField(default=False)
    wording = models.TextField(help_text="The plan's own words for this line")

    class Meta:
        ordering = ["discipline", "id"]
        indexes = [models.Index(fields=["local_area", "discipline"])]

    def __str__(self) -> str:
        return self.summary

    @property
    def is_quantified(self) -> bool:
        return bool(self.sessions and self.minutes and self.period)

    @property
    def summary(self) -> str:
        if not self.is_quantified:
            return f"{self.get_discipline_display()}: not quantified"
        return (
            f"{self.sessions} x {self.minutes} min {self.get_kind_display().lower()} "
            f"{self.get_period_display()}"
        )


# -- Statutory processes: EHC needs assessments, advice requests, annual reviews ----------------
# Due dates are never stored or typed: `fulfil.plans.clocks` computes them from these dates.


class AssessmentOutcome(models.TextChoices):
    ASSESS = "assess", "Agreed to assess"
    NOT_ASSESS = "not_assess", "Refused to assess"
    WITHDRAWN = "withdrawn", "Withdrawn"


class AssessmentRequest(BaseModel):
    """A request for an EHC needs assessment (Children and Families Act 2014 s.36) and what came of it."""

    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="assessment_requests")
    reference = models.CharField(max_length=30)
    received_on = models.DateField()
    decided_on = models.DateField(null=True, blank=True, help_text="Decision whether to assess, or the day it was withdrawn")
    outcome = models.CharField(max_length=10, choices=AssessmentOutcome.choices, blank=True)
    draft_sent_on = models.DateField(null=True, blank=True)
    final_plan_on = models.DateField(null=True, blank=True)
    decision_not_to_issue_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-received_on"]
        indexes = [models.Index(fields=["local_area", "received_on"])]
        constraints = [
            models.UniqueConstraint(fields=["local_area", "reference"], name="one_assessment_request_per_reference"),
            models.CheckConstraint(condition=models.Q(decided_on__isnull=True, outcome="") | (
                models.Q(decided_on__isnull=False) & ~models.Q(outcome="")), name="decision_has_date_and_outcome"),
        ]

    def __str__(self) -> str:
        return self.reference


class AdviceService(models.TextChoices):
    """Who is asked for advice (SEND Regulations 2014 reg 6(1)); therapies use the ledger's disciplines."""

    SALT = Discipline.SALT.value, Discipline.SALT.label
    OT = Discipline.OT.value, Discipline.OT.label
    PHYSIO = Discipline.PHYSIO.value, Discipline.PHYSIO.label
    EDUCATIONAL_PSYCHOLOGY = "ep", "Educational psychology"
    HEALTH = "health", "Health (paediatrics, nursing)"
    SOCIAL_CARE = "social_care", "Social care"


class AdviceRequest(BaseModel):
    """A request for professional advice for an assessment, due within 6 weeks (reg 8(1)), and the
    record of the advice sent: who wrote it and when."""

    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(AssessmentRequest, on_delete=models.PROTECT, related_name="advice_requests")
    service = models.CharField(max_length=12, choices=AdviceService.choices)
    provider = models.ForeignKey("workforce.Provider", on_delete=models.PROTECT, null=True, blank=True, related_name="advice_requests")
    therapist = models.ForeignKey("workforce.Therapist", on_delete=models.PROTECT, null=True, blank=True, related_name="advice_requests",
                                  help_text="Who is writing it")
    requested_on = models.DateField()
    provided_on = models.DateField(null=True, blank=True, help_text="The day the advice was sent to the council")
    written_by = models.ForeignKey("workforce.Therapist", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    summary = models.CharField(max_length=500, blank=True, help_text="What the advice covers; the advice itself stays in the clinical record")

    class Meta:
        ordering = ["requested_on", "pk"]
        indexes = [models.Index(fields=["local_area", "service", "requested_on"])]

    def __str__(self) -> str:
        return f"{self.get_service_display()} advice for {self.assessment}"


class RecordedException(BaseModel):
    """An exception the regulations allow (regs 5(4), 8(2), 10(4), 13(3)), with its reason. It
    never moves a due date; it explains a late step (see `fulfil.plans.clocks`)."""

    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(AssessmentRequest, on_delete=models.PROTECT, related_name="exceptions")
    advice_request = models.ForeignKey(AdviceRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="exceptions",
                                       help_text="Only for exceptions about one adviser")
    kind = models.CharField(max_length=24)
    reason = models.CharField(max_length=500)
    starts_on = models.DateField()
    ends_on = models.DateField()
    advice_requested_on = models.DateField(
        null=True, blank=True, help_text="For a school closure: the day the council asked the setting for advice (reg 5(4)(a))"
    )
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["starts_on"]
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""), name="exception_has_a_reason")]

    def __str__(self) -> str:
        return f"{self.kind} exception on {self.assessment}"

    @property
    def kind_label(self) -> str:
        return ExceptionKind(self.kind).label


class AnnualReview(BaseModel):
    """One annual review of a plan (CFA 2014 s.44; SEND Regulations 2014 regs 18-22)."""

    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reviews")
    reference = models.CharField(max_length=40)
    period_starts_on = models.DateField(help_text="The plan was issued or last reviewed on this day")
    meeting_on = models.DateField(null=True, blank=True)
    report_on = models.DateField(null=True, blank=True, help_text="The setting's review report was sent")
    decision_on = models.DateField(null=True, blank=True, help_text="The council notified its decision to keep, amend or cease")
    amendment_notice_on = models.DateField(null=True, blank=True)
    amended_plan_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["period_starts_on"]
        indexes = [models.Index(fields=["local_area", "meeting_on"])]
        constraints = [models.UniqueConstraint(fields=["local_area", "reference"], name="one_review_per_reference")]

    def __str__(self) -> str:
        return self.reference


class StepRevision(models.Model):
    """The steps of an assessment or review as they were before a change, so a corrected date
    never loses the one it replaced (a tribunal may ask what was recorded when)."""

    assessment = models.ForeignKey(AssessmentRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="revisions")
    review = models.ForeignKey(AnnualReview, on_delete=models.PROTECT, null=True, blank=True, related_name="revisions")
    before = models.JSONField()
    after = models.JSONField()
    changed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        constraints = [models.CheckConstraint(
            condition=models.Q(assessment__isnull=False, review__isnull=True) | models.Q(assessment__isnull=True, review__isnull=False),
            name="revision_of_one_case")]

    def __str__(self) -> str:
        return f"change to {self.assessment or self.review} at {self.changed_at:%Y-%m-%d %H:%M}"
