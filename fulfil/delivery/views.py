"""Recording therapy: a school visit in one page, cancellations, corrections, programmes; the
service manager's activity page. The pages that also show the ledger or the planner's journey
time (the therapist's week, booking, moving a session, the setting's therapy page) are in
`fulfil.pages.views.therapy`, under the same "delivery" URL names.

Every page starts from the delivery access check (`sessions_visible_to`) or the children /
settings ones, and writes an access record for the children it shows.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fulfil.accounts.audit import access_record, access_record_many
from fulfil.accounts.policy import Capability, can
from fulfil.accounts.scopes import child_get_for_user, children_visible_to, setting_get_for_user
from fulfil.core import clock
from fulfil.core.forms import date_in, error_pairs, form_add_service_errors
from fulfil.delivery import selectors, services
from fulfil.delivery.forms import (
    OUTCOMES,
    VISIT_NOT_SEEN,
    CancelVisitForm,
    CorrectSessionForm,
    InErrorForm,
    ProgrammeForm,
    VisitForm,
)
from fulfil.delivery.models import ProgrammeTick, SessionKind, SessionStatus
from fulfil.delivery.services import Outcome
from fulfil.plans.models import ProvisionItem


def therapist_or_404(request: HttpRequest):
    if request.user.role not in selectors.RECORDING_ROLES or not request.user.therapist_id:
        raise Http404("Only therapists record sessions")
    return request.user.therapist


def link_date(value: str | None, default: dt.date) -> dt.date:
    """A link's ISO date (?week=2025-10-06), read by the shared date field so a year such as 9999
    falls back to the default like any other date that is not real."""
    return date_in({"date": value or ""}, "date") or default


def _child_rows(request: HttpRequest, rows: list[dict]) -> list[services.ChildOutcome]:
    """Read each child's row of the visit form. Children are looked up by the access check, so
    an id the therapist may not see is simply unknown, and a child on their team but not their
    caseload is caught by the service."""
    ids = request.POST.getlist("children")
    visible = {str(c.public_id): c for c in children_visible_to(request.user, now=clock.now()).filter(public_id__in=_uuids(ids))}
    items = {str(i.pk): i for i in ProvisionItem.objects.filter(child__in=visible.values())}
    outcomes = []
    for public_id in ids:
        prefix = f"child-{public_id}"
        outcome = request.POST.get(f"{prefix}-outcome", "")
        if not outcome:
            continue
        child = visible.get(public_id)
        if child is None:
            raise ValidationError({"children": "One of the children is not on your caseload: open the visit again"})
        minutes = request.POST.get(f"{prefix}-minutes", "").strip()
        outcomes.append(services.ChildOutcome(
            child=child, outcome=Outcome(outcome) if outcome in Outcome.values else Outcome.NOT_SEEN,
            provision_item=items.get(request.POST.get(f"{prefix}-item", "")),
            minutes=int(minutes) if minutes.isdigit() else (None if outcome != Outcome.NOT_SEEN else 0),
            not_seen_reason=request.POST.get(f"{prefix}-reason", ""),
            clinical_note=request.POST.get(f"{prefix}-note", "")[:4000],
        ))
    return outcomes


def _uuids(values: list[str]) -> list[uuid.UUID]:
    result = []
    for value in values:
        try:
            result.append(uuid.UUID(value))
        except ValueError:
            continue
    return result


@login_required
@require_http_methods(["GET", "POST"])
def visit_record(request: HttpRequest, setting_pk: int) -> HttpResponse:
    """A whole school visit in one page and one submit. A visit already recorded opens the
    recorded visit (for correction), never the original bookings; `?add=1` records children
    missing from a recorded visit."""
    therapist = therapist_or_404(request)
    setting = setting_get_for_user(request.user, setting_pk)
    today, now = clock.today(), clock.now()
    # The visit's date decides which children and booked sessions the page records: on a post,
    # the date the therapist typed (day, month and year boxes), not today.
    posted_date = date_in(request.POST, "date") if request.method == "POST" else None
    date = posted_date or link_date(request.GET.get("date"), today)
    recorded = services.visit_recorded(therapist=therapist, setting=setting, date=date)
    adding = recorded is not None and (request.GET.get("add") == "1" or request.POST.get("add_to") == str(recorded.public_id))
    if recorded is not None and not adding and request.method == "GET":
        messages.info(request, f"This visit was recorded on {timezone.localtime(recorded.recorded_at):%-d %B %Y at %H:%M}: "
                               "here is what was recorded")
        return redirect("delivery:visit-detail", public_id=recorded.public_id)
    rows = selectors.visit_children(request.user, therapist, setting, date, now=now)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        form = VisitForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                outcomes = _child_rows(request, rows)
                visit, created = services.visit_record(
                    token=data["token"], therapist=therapist, setting=setting, date=data["date"], starts_at=data["starts_at"],
                    ends_at=data["ends_at"], kind=data["kind"], summary=data["summary"], group_minutes=data["group_minutes"],
                    rows=outcomes, recorded_by=request.user, today=today, now=now, add_to=recorded if adding else None,
                )
            except services.VisitAlreadyRecorded as already:
                messages.warning(request, already.message)
                return redirect("delivery:visit-detail", public_id=already.visit.public_id)
            except ValidationError as exc:
                errors = error_pairs(exc)
            else:
                if created:
                    messages.success(request, f"{'Children added to the visit' if adding else 'Visit'} to {setting.name} recorded")
                return redirect("delivery:visit-detail", public_id=visit.public_id)
        errors = [(name, message) for name, messages_ in form.errors.items() for message in messages_] + errors
    elif adding:
        form = VisitForm(initial={"token": uuid.uuid4(), "date": date, "starts_at": recorded.starts_at, "ends_at": recorded.ends_at})
    else:
        starts = min((r["session"].starts_at for r in rows if r["session"] and r["session"].starts_at), default=setting.day_starts_at)
        form = VisitForm(initial={"token": uuid.uuid4(), "date": date, "starts_at": starts,
                                  "ends_at": min(setting.day_ends_at, (dt.datetime.combine(date, starts) + dt.timedelta(hours=2)).time())})
    posted = request.POST if request.method == "POST" else None
    for row in rows:
        prefix = f"child-{row['child'].public_id}"
        default = (Outcome.GROUP if row["session"].kind == SessionKind.GROUP else Outcome.ONE_TO_ONE) if row["session"] else ""
        row["prefix"] = prefix
        row["outcome"] = posted.get(f"{prefix}-outcome", "") if posted else default
        booked_minutes = row["session"].minutes if row["session"] else ""
        planned_minutes = row["item"].minutes if row["item"] and row["item"].minutes else booked_minutes
        row["minutes"] = posted.get(f"{prefix}-minutes", "") if posted else planned_minutes
        row["reason"] = posted.get(f"{prefix}-reason", "") if posted else ""
        row["note"] = posted.get(f"{prefix}-note", "") if posted else ""
        row["item_pk"] = posted.get(f"{prefix}-item", "") if posted else (str(row["item"].pk) if row["item"] else "")
        row["errors"] = [m for f, m in errors if f == prefix]
    access_record_many(request=request, action="record-visit-form", children=[r["child"] for r in rows], detail=f"setting {setting.pk}")
    field_errors = {f: [m for g, m in errors if g == f] for f, _ in errors}
    return render(request, "delivery/visit_form.html", {
        "form": form, "setting": setting, "therapist": therapist, "rows": rows, "errors": errors, "field_errors": field_errors,
        "outcomes": OUTCOMES, "reasons": VISIT_NOT_SEEN, "date": date, "add_to": recorded if adding else None,
    }, status=400 if errors else 200)


@login_required
def visit_detail(request: HttpRequest, public_id) -> HttpResponse:
    if not can(request.user, Capability.SEE_SESSIONS):
        raise Http404("Not available for this role")
    visit = selectors.visit_get_for_user(request.user, public_id)
    sessions = list(visit.sessions.exclude(status=SessionStatus.REPLACED).order_by("kind", "pk"))
    shown = selectors.attendances_shown(request.user, sessions, now=clock.now())
    notes = {n.attendance_id: n for n in selectors.clinical_notes_visible_to(request.user).filter(attendance__session__visit=visit)}
    for session in sessions:
        session.shown = shown.get(session.pk, [])
        for attendance in session.shown:
            attendance.note = notes.get(attendance.pk)
    access_record_many(request=request, action="view-visit", children=[a.child for s in sessions for a in s.shown])
    return render(request, "delivery/visit_detail.html", {
        "visit": visit, "sessions": sessions, "can_correct": can(request.user, Capability.RECORD_SESSIONS),
        "can_add": can(request.user, Capability.RECORD_SESSIONS) and request.user.therapist_id == visit.therapist_id and visit.date <= clock.today(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def visit_cancel(request: HttpRequest, setting_pk: int) -> HttpResponse:
    therapist = therapist_or_404(request)
    setting = setting_get_for_user(request.user, setting_pk)
    date = link_date(request.POST.get("date") or request.GET.get("date"), clock.today())
    form = CancelVisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = services.visit_cancel(therapist=therapist, setting=setting, date=date, reason=form.cleaned_data["reason"],
                                      cancelled_by=request.user, now=clock.now())
        messages.success(request, f"{count} session{'s' if count != 1 else ''} at {setting.name} cancelled")
        return redirect(f"{reverse('delivery:my-week')}?week={selectors.monday_of(date).isoformat()}")
    sessions = list(selectors.sessions_visible_to(request.user).filter(
        therapist=therapist, setting=setting, date=date, status=SessionStatus.PLANNED))
    shown = selectors.attendances_shown(request.user, sessions, now=clock.now())
    children = [a.child for s in sessions for a in shown.get(s.pk, [])]
    access_record_many(request=request, action="cancel-visit-form", children=children)
    return render(request, "delivery/visit_cancel.html", {"form": form, "setting": setting, "date": date, "children": children,
                                                          "sessions": sessions})


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not can(request.user, Capability.SEE_SESSIONS):
        raise Http404("Not available for this role")
    session = selectors.session_get_for_user(request.user, pk)
    attendances = selectors.attendances_shown(request.user, [session], now=clock.now()).get(session.pk, [])
    notes = {n.attendance_id: n for n in selectors.clinical_notes_visible_to(request.user).filter(attendance__session=session)}
    for attendance in attendances:
        attendance.note = notes.get(attendance.pk)
    access_record_many(request=request, action="view-session", children=[a.child for a in attendances])
    return render(request, "delivery/session_detail.html", {
        "session": session, "attendances": attendances, "revisions": session.revisions.select_related("changed_by"),
        "is_therapist": can(request.user, Capability.RECORD_SESSIONS),
        "needs_reason": services.correction_needs_reason(session, now=clock.now()) if session.status != SessionStatus.PLANNED else False,
        "can_mark_in_error": _may_correct(request, session) and session.status not in {SessionStatus.PLANNED, SessionStatus.REPLACED}
                             and any(not a.is_in_error for a in attendances),
    })


def _may_correct(request: HttpRequest, session) -> bool:
    """The session's therapist's colleagues (therapists who can see it) and their service
    manager correct a record; the session must already be visible to the user."""
    return request.user.role in selectors.CORRECTING_ROLES


@login_required
@require_http_methods(["GET", "POST"])
def session_correct(request: HttpRequest, pk: int) -> HttpResponse:
    therapist_or_404(request)
    session = selectors.session_get_for_user(request.user, pk)
    if session.status in {SessionStatus.PLANNED, SessionStatus.REPLACED}:
        raise Http404("Only recorded sessions can be corrected")
    attendances = [a for a in selectors.attendances_shown(request.user, [session], now=clock.now()).get(session.pk, []) if not a.is_in_error]
    form = CorrectSessionForm(request.POST or None, attendances=attendances, initial={"summary": session.summary})
    now = clock.now()
    needs_reason = services.correction_needs_reason(session, now=now)
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.session_correct(session=session, summary=form.cleaned_data["summary"],
                                                minutes_by_child=form.minutes_by_child(), reason=form.cleaned_data["reason"],
                                                changed_by=request.user, now=now, item_by_child=form.item_by_child())
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            if revision is None:
                messages.info(request, "Nothing was changed: the session already holds these values")
            else:
                messages.success(request, "Amendment saved; the earlier version is kept" if needs_reason else "Correction saved")
            return redirect("delivery:session-detail", pk=session.pk)
    access_record_many(request=request, action="correct-session-form", children=[a.child for a in attendances])
    return render(request, "delivery/session_correct.html", {"form": form, "session": session, "needs_reason": needs_reason},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def session_mark_in_error(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a recorded session, or some children's part in it, "recorded in error": it stays in
    the record struck through and the ledger stops counting it."""
    session = selectors.session_get_for_user(request.user, pk)
    if not _may_correct(request, session) or session.status in {SessionStatus.PLANNED, SessionStatus.REPLACED}:
        raise Http404("Only a recorded session can be marked recorded in error")
    attendances = [a for a in selectors.attendances_shown(request.user, [session], now=clock.now()).get(session.pk, []) if not a.is_in_error]
    form = InErrorForm(request.POST or None, attendances=attendances)
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.attendance_mark_in_error(session=session, child_ids=form.cleaned_data["children"],
                                                         reason=form.cleaned_data["reason"], marked_by=request.user, now=clock.now())
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Marked recorded in error: it is kept in the record and no longer counted"
                             if revision else "This was already marked recorded in error")
            return redirect("delivery:session-detail", pk=session.pk)
    access_record_many(request=request, action="mark-in-error-form", children=[a.child for a in attendances])
    return render(request, "delivery/session_in_error.html", {"form": form, "session": session},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest, public_id) -> HttpResponse:
    therapist = therapist_or_404(request)
    child = child_get_for_user(request.user, public_id, now=clock.now())
    access_record(request=request, action="set-programme", child=child)
    form = ProgrammeForm(request.POST or None, initial={"starts_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(therapist=therapist, child=child, provision_item=None, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Programme set for {child.full_name}; the setting can now tick it off")
            return redirect("delivery:programme", pk=programme.pk)
    return render(request, "delivery/programme_form.html", {"form": form, "child": child}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A programme and its tick-sheet for one week: school staff tick the days it was done."""
    if not can(request.user, Capability.SEE_PROGRAMMES):
        raise Http404("Not available for this role")
    programme = selectors.programme_get_for_user(request.user, pk, now=clock.now())
    today = clock.today()
    monday = selectors.monday_of(link_date(request.POST.get("week") or request.GET.get("week"), today))
    days = [monday + dt.timedelta(days=i) for i in range(5)]
    can_tick = can(request.user, Capability.TICK_PROGRAMMES)
    if request.method == "POST":
        if not can_tick:
            raise Http404("Only the setting fills in the tick-sheet")
        done = {day: request.POST.get(f"day-{day.isoformat()}") == "done" for day in days if day <= today}
        services.programme_ticks_record(programme=programme, done_by_date=done, recorded_by=request.user)
        messages.success(request, "Tick-sheet saved")
        return redirect(f"{reverse('delivery:programme', args=[programme.pk])}?week={monday.isoformat()}")
    ticks = {t.date: t for t in ProgrammeTick.objects.filter(programme=programme, date__in=days)}
    access_record(request=request, action="view-programme", child=programme.child)
    return render(request, "delivery/programme.html", {
        "programme": programme, "days": [(d, ticks.get(d), d <= today) for d in days], "monday": monday, "can_tick": can_tick,
        "done_this_week": sum(1 for t in ticks.values() if t.done), "previous_week": monday - dt.timedelta(weeks=1),
        "next_week": monday + dt.timedelta(weeks=1),
    })


@login_required
def service_activity(request: HttpRequest) -> HttpResponse:
    """For a service manager: recording per therapist per week, cancellations by cause, missing paperwork."""
    if not can(request.user, Capability.SEE_SERVICE_ACTIVITY) or not request.user.provider_id:
        raise Http404("Not available for this role")
    context = selectors.service_activity(request.user, today=clock.today(), now=clock.now())
    largest = max((n for _, n in context["cancellations"]), default=0) or 1
    context["bars"] = [(label, n, round(100 * n / largest)) for label, n in context["cancellations"]]
    return render(request, "delivery/service.html", context)

