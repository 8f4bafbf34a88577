"""Everything Fulfil holds about one child, for a subject access request (UK GDPR Art. 15):
machine-readable (JSON) and readable (PDF).

Clinical notes are in it too. Nobody but the child's therapists reads them in the app, but the
right of access covers all personal data, so the officer answering the request gets them, once,
in an audited export, with a notice: notes are health data, and Data Protection Act 2018
Schedule 3 Part 2 (paras 5 and 6) says a health professional must first be asked whether
disclosing any of them would be likely to cause serious harm."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import UUID

from django.forms.models import model_to_dict

from fulfil.accounts.models import AccessRecord
from fulfil.children.models import Child
from fulfil.delivery.models import Attendance, ClinicalNote
from fulfil.ledger.models import ProvisionPause
from fulfil.plans.models import AdviceRequest, AnnualReview, AssessmentRequest, Outcome, Plan, PlanVersion, ProvisionItem


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    return value


def _rows(queryset, fields=None, exclude=()) -> list[dict]:
    return [{k: _plain(v) for k, v in model_to_dict(obj, fields=fields, exclude=exclude).items()} for obj in queryset]


CLINICAL_NOTES_NOTICE = (
    "Clinical notes are health data. Before you send them, ask a health professional from the child's therapy "
    "service whether any note would be likely to cause serious harm to the child's or anyone else's physical or "
    "mental health if disclosed, and hold back what would (Data Protection Act 2018, Schedule 3, Part 2, "
    "paragraphs 5 and 6)."
)


def child_subject_access(child: Child, *, now: dt.datetime) -> dict:
    """`now` is when the export is made (read at the edge), stamped on it as `generated_at`."""
    attendances = (
        Attendance.objects.filter(child=child).select_related("session__therapist", "session__setting")
        .order_by("session__date", "session__starts_at")
    )
    return {
        "generated_at": now.astimezone(dt.UTC).isoformat(),
        "child": {k: _plain(v) for k, v in model_to_dict(child, exclude=["local_area"]).items()} | {
            "public_id": str(child.public_id), "local_area": child.local_area.name,
            "current_setting": child.current_setting.name if child.current_setting else None,
        },
        "upn_history": _rows(child.upn_history.all(), exclude=["child"]),
        "enrolments": [{"setting": e.setting.name, "on_roll_from": _plain(e.on_roll_from), "on_roll_to": _plain(e.on_roll_to)}
                       for e in child.enrolments.select_related("setting")],
        "parents_and_carers": _rows(child.parent_carers.all(), exclude=["child"]),
        "support_levels": _rows(child.support_levels.all(), exclude=["child"]),
        "plans": _rows(Plan.objects.filter(child=child), exclude=["child", "local_area"]),
        "plan_versions": _rows(PlanVersion.objects.filter(plan__child=child)),
        "outcomes": _rows(Outcome.objects.filter(plan_version__plan__child=child)),
        "provision_items": _rows(ProvisionItem.objects.filter(child=child), exclude=["child", "local_area"]),
        "assessment_requests": _rows(AssessmentRequest.objects.filter(child=child), exclude=["child", "local_area"]),
        "advice_requests": _rows(AdviceRequest.objects.filter(assessment__child=child),
                                 fields=["assessment", "service", "requested_on", "provided_on", "summary"]),
        "annual_reviews": _rows(AnnualReview.objects.filter(plan__child=child), exclude=["local_area"]),
        "therapists": [{"therapist": a.therapist.full_name, "discipline": a.discipline, "starts_on": _plain(a.starts_on),
                        "ends_on": _plain(a.ends_on)} for a in child.caseload_assignments.select_related("therapist")],
        "sessions": [{
            "date": _plain(a.session.date), "starts_at": _plain(a.session.starts_at), "therapist": a.session.therapist.full_name,
            "setting": a.session.setting.name if a.session.setting else None, "kind": a.session.kind, "status": a.session.status,
            "minutes_seen": a.minutes, "not_seen_reason": a.not_seen_reason, "cancellation_reason": a.session.cancellation_reason,
            "summary": a.session.summary, "provision_item": a.provision_item_id, "make_up": a.session.is_make_up,
        } for a in attendances],
        "clinical_notes_notice": CLINICAL_NOTES_NOTICE,
        "clinical_notes": [{
            "date": _plain(n.attendance.session.date), "therapist": n.attendance.session.therapist.full_name,
            "written_by": n.written_by.display_name, "written_at": _plain(n.created_at), "text": n.text,
        } for n in ClinicalNote.objects.filter(attendance__child=child)
            .select_related("attendance__session__therapist", "written_by").order_by("attendance__session__date", "pk")],
        "clock_pauses": _rows(ProvisionPause.objects.filter(child=child), exclude=["child", "local_area", "recorded_by"]),
        # Break-glass reasons stay with the council: they can name other people or concerns.
        "access_records": [{"at": _plain(r.at), "who": r.user.display_name, "role": r.role, "action": r.action,
                            "detail": "" if "break-glass" in (r.action + r.detail) else r.detail}
                           for r in AccessRecord.objects.filter(child=child).select_related("user").order_by("at", "pk")],
    }
