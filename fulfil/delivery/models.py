"""Sessions (contacts) planned and delivered, who was in them, and how they were recorded.

A school visit is recorded in one submit (`VisitRecord`); its token makes a retried or
double-clicked submit land once. Delivered sessions are never deleted: a correction keeps the
version it replaced (`SessionRevision`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from fulfil.core.models import BaseModel, LocalArea
from fulfil.delivery import statuses
from fulfil.delivery.contacts import delivered_slot


class SessionKind(models.TextChoices):
    DIRECT = "direct", "Direct one-to-one"
    GROUP = "group", "Group"
    INDIRECT = "indirect", "Indirect (programme setting, liaison)"
    ASSESSMENT = "assessment", "Assessment"
    REVIEW = "review", "Review"
    REPORT = "report", "Report writing"


class SessionStatus(models.TextChoices):
    """The database choices for `statuses.SessionStatus`, the values the ledger counts by."""

    PLANNED = statuses.SessionStatus.PLANNED.value, statuses.SessionStatus.PLANNED.label
    DELIVERED = statuses.SessionStatus.DELIVERED.value, statuses.SessionStatus.DELIVERED.label
    CANCELLED_BY_SETTING = statuses.SessionStatus.CANCELLED_BY_SETTING.value, statuses.SessionStatus.CANCELLED_BY_SETTING.label
    CANCELLED_BY_FAMILY = statuses.SessionStatus.CANCELLED_BY_FAMILY.value, statuses.SessionStatus.CANCELLED_BY_FAMILY.label
    CANCELLED_BY_PROVIDER = statuses.SessionStatus.CANCELLED_BY_PROVIDER.value, statuses.SessionStatus.CANCELLED_BY_PROVIDER.label
    DID_NOT_ATTEND = statuses.SessionStatus.DID_NOT_ATTEND.value, statuses.SessionStatus.DID_NOT_ATTEND.label
    REPLACED = statuses.SessionStatus.REPLACED.value, statuses.SessionStatus.REPLACED.label


CANCELLED_STATUSES = (
    SessionStatus.CANCELLED_BY_SETTING, SessionStatus.CANCELLED_BY_FAMILY,
    SessionStatus.CANCELLED_BY_PROVIDER, SessionStatus.DID_NOT_ATTEND,
)


class NotSeenReason(models.TextChoices):
    """Why a child due at a visit was not seen; each maps to the session status the ledger reads."""

    ABSENT = "absent", "Absent from school"
    SETTING_CANCELLED = "setting_cancelled", "The setting cancelled"
    OUT_OF_TIME = "out_of_time", "I ran out of time"
    THERAPIST_UNWELL = "therapist_unwell", "Therapist unwell or absent"


NOT_SEEN_STATUS = {
    NotSeenReason.ABSENT: SessionStatus.DID_NOT_ATTEND,
    NotSeenReason.SETTING_CANCELLED: SessionStatus.CANCELLED_BY_SETTING,
    NotSeenReason.OUT_OF_TIME: SessionStatus.CANCELLED_BY_PROVIDER,
    NotSeenReason.THERAPIST_UNWELL: SessionStatus.CANCELLED_BY_PROVIDER,
}


class VisitRecord(models.Model):
    """One therapist's visit to one setting on one day, recorded in one submit.

    `token` is issued with the form: the same form submitted twice finds this row and records
    nothing more.
    """

    token = models.UUIDField(unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="+")
    therapist = models.ForeignKey("workforce.Therapist", on_delete=models.PROTECT, related_name="visits")
    setting = models.ForeignKey("schools.EducationSetting", on_delete=models.PROTECT, related_name="visits")
    date = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    summary = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-starts_at"]
        constraints = [
            # A visit is recorded once: a second form (another tab, the back button, a colleague
            # covering) opens this record for correction instead of adding a second visit.
            models.UniqueConstraint(fields=["therapist", "setting", "date"], name="one_visit_record_per_therapist_setting_day"),
        ]

    def __str__(self) -> str:
        return f"visit {self.public_id}"


class Session(BaseModel):
    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="+")
    therapist = models.ForeignKey("workforce.Therapist", on_delete=models.PROTECT, related_name="sessions")
    setting = models.ForeignKey(
        "schools.EducationSetting", on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    date = models.DateField()
    starts_at = models.TimeField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=SessionKind.choices)
    status = models.CharField(max_length=18, choices=SessionStatus.choices)
    cancellation_reason = models.CharField(max_length=200, blank=True)
    is_make_up = models.BooleanField(default=False, help_text="Makes up owed provision")
    summary = models.CharField(max_length=500, blank=True, help_text="Can be shown to the setting and family")
    visit = models.ForeignKey(VisitRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions")
    recorded_at = models.DateTimeField(null=True, blank=True, help_text="When the outcome was first recorded")

    class Meta:
        ordering = ["-date", "-starts_at"]
        indexes = [
            models.Index(fields=["therapist", "date"]),
            models.Index(fields=["setting", "date"]),
            models.Index(fields=["local_area", "date"]),
        ]


class Attendance(models.Model):
    """A child in a session, and the provision line that time counts against.

    A group session has one row per child, so it counts for each child against that child's
    own item.
    """

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendances")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="attendances")
    provision_item = models.ForeignKey(
        "plans.ProvisionItem", on_delete=models.PROTECT, null=True, blank=True, related_name="attendances"
    )
    minutes = models.PositiveSmallIntegerField()
    not_seen_reason = models.CharField(max_length=200, blank=True)
    # Set while this child's part counts as a delivered contact, NULL otherwise (see
    # `delivered_slot`): the unique constraint is how the database refuses a second delivered
    # contact for the same child, therapist, setting, date and start time, whatever the route.
    delivered_slot = models.CharField(max_length=80, null=True, blank=True, editable=False)  # noqa: DJ001 - NULL is "not a delivered contact", and NULLs do not collide
    # Recorded in error: kept and shown struck through, never counted by the ledger.
    in_error_reason = models.CharField(max_length=500, blank=True)
    in_error_at = models.DateTimeField(null=True, blank=True)
    in_error_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "child"], name="child_once_per_session"),
            models.UniqueConstraint(fields=["delivered_slot"], name="a_contact_is_recorded_once"),
            models.CheckConstraint(condition=models.Q(in_error_at__isnull=True) | ~models.Q(in_error_reason=""),
                                   name="recorded_in_error_has_a_reason"),
            models.CheckConstraint(condition=models.Q(in_error_at__isnull=True) | models.Q(delivered_slot__isnull=True),
                                   name="recorded_in_error_is_not_delivered"),
        ]
        indexes = [models.Index(fields=["provision_item"]), models.Index(fields=["child"])]

    def __str__(self) -> str:
        return f"child {self.child_id} in session {self.session_id}"

    def save(self, *args, **kwargs):
        # Whoever writes a child's part of a session (a service, an import, the admin), its key
        # follows the session, so the unique constraint refuses a contact recorded twice.
        self.delivered_slot = self.slot_in(self.session)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "delivered_slot"}
        super().save(*args, **kwargs)

    @property
    def is_in_error(self) -> bool:
        return self.in_error_at is not None

    def slot_in(self, session: Session) -> str | None:
        """What `delivered_slot` should hold for this child's part in `session`."""
        if self.in_error_at is not None or session.status != SessionStatus.DELIVERED or not self.minutes:
            return None
        return delivered_slot(therapist_id=session.therapist_id, setting_id=session.setting_id, date=session.date,
                              starts_at=session.starts_at, child_id=self.child_id)



class ClinicalNote(BaseModel):
    """The therapist's clinical note on one child in one session. Kept apart from the session
    summary: only therapists in the child's service read it (`fulfil.delivery.selectors`), never
    the setting, the family or a commissioner. The one exception is a subject access export,
    which a council officer makes for the family, audited (`fulfil.pages.subject_access`)."""

    attendance = models.OneToOneField(Attendance, on_delete=models.PROTECT, related_name="clinical_note")
    text = models.TextField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class SessionRevision(models.Model):
    """The version of a session a correction replaced, so both are kept. After the 24-hour
    correction window a reason is required (an amendment)."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="revisions")
    before = models.JSONField()
    after = models.JSONField()
    reason = models.CharField(max_length=500, blank=True)
    is_amendment = models.BooleanField(default=False)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(is_amendment=False) | ~models.Q(reason=""), name="amendment_has_a_reason")
        ]

    def __str__(self) -> str:
        return f"revision of session {self.session_id}"

    @property
    def changes(self) -> list[str]:
        """Each field the correction changed, in words: 'Note: "x" to "y"', 'Child 12 minutes: 30 to 0'."""
        words = {"status": "Status", "minutes": "Session minutes", "summary": "Note"}
        found = [f"{label}: \"{self.before.get(key) or ''}\" to \"{self.after.get(key) or ''}\"" for key, label in words.items()
                 if self.before.get(key) != self.after.get(key)]
        child_words = {"minutes": "minutes", "not_seen_reason": "not seen", "provision_item": "line", "in_error": "recorded in error"}
        names = dict(Attendance.objects.filter(session_id=self.session_id).values_list("child_id", "child__first_name"))
        before, after = self.before.get("attendances", {}), self.after.get("attendances", {})
        for child_id in sorted(set(before) | set(after)):
            old, new = before.get(child_id, {}), after.get(child_id, {})
            for key, label in child_words.items():
                if old.get(key) != new.get(key):
                    was, now = (value if value not in (None, "") else "none" for value in (old.get(key), new.get(key)))
                    found.append(f"{names.get(int(child_id), 'Child')}'s {label}: {was} to {now}")
        return found


class Programme(BaseModel):
    """Work school staff deliver between visits, set by the therapist (e.g. a daily fine-motor
    programme run by a teaching assistant)."""

    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="programmes")
    setting = models.ForeignKey("schools.EducationSetting", on_delete=models.PROTECT, related_name="programmes")
    provision_item = models.ForeignKey("plans.ProvisionItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    set_by = models.ForeignKey("workforce.Therapist", on_delete=models.PROTECT, related_name="programmes")
    title = models.CharField(max_length=120)
    instructions = models.TextField()
    times_per_week = models.PositiveSmallIntegerField(default=5)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["child__last_name", "title"]

    def __str__(self) -> str:
        return self.title


class ProgrammeTick(models.Model):
    """One day on a programme's tick-sheet, filled in by school staff. One row per day."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="ticks")
    date = models.DateField()
    done = models.BooleanField()
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "date"], name="one_tick_per_programme_day")]

    def __str__(self) -> str:
        return f"programme {self.programme_id} on {self.date}"


class DiaryLock(models.Model):
    """One row per area and discipline, written at the start of every booking transaction so that
    two bookings into the same diaries (a term plan booked twice at once, two plans for one term,
    a make-up booking beside them) run one after the other: the second sees what the first
    booked. Writing the row takes PostgreSQL's row lock and SQLite's database write lock alike."""

    local_area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="+")
    discipline = models.CharField(max_length=6)
    locked_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["local_area", "discipline"], name="one_diary_lock_per_area_discipline")]

    def __str__(self) -> str:
        return f"diary lock {self.local_area_id}/{self.discipline}"
