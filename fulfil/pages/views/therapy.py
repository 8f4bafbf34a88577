"""Therapy pages that compose delivery with the ledger or the planner: the therapist's week (with
what each child is owed), booking and moving sessions (which keep the planner's journey time
between settings), and the setting's therapy page. Their URL names stay in the "delivery"
namespace (fulfil.pages.urls.delivery)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fulfil.accounts.audit import access_record, access_record_many
from fulfil.accounts.policy import Capability, can
from fulfil.accounts.scopes import children_visible_to, setting_get_for_user
from fulfil.core import clock
from fulfil.core.forms import form_add_service_errors
from fulfil.delivery import selectors, services
from fulfil.delivery.forms import BookSessionsForm, RescheduleForm
from fulfil.delivery.models import SessionStatus
from fulfil.delivery.views import link_date, therapist_or_404
from fulfil.ledger.positions import child_positions_stored
from fulfil.pages.setting_therapy import setting_therapy as setting_therapy_context
from fulfil.planning.selectors import journey_minutes_for
from fulfil.plans.models import ProvisionItem


@login_required
def my_week(request: HttpRequest) -> HttpResponse:
    therapist = therapist_or_404(request)
    today = clock.today()
    monday = selectors.monday_of(link_date(request.GET.get("week"), today))
    now = clock.now()
    days = selectors.therapist_week(request.user, therapist, monday, now=now)
    children = {a.child for _, slots in days for slot in slots for a in slot.attendances}
    caseload = children_visible_to(request.user, now=now).filter(
        caseload_assignments__therapist=therapist, caseload_assignments__ends_on__isnull=True
    ).distinct()
    positions = child_positions_stored(caseload, local_area=therapist.local_area, today=today, discipline=therapist.discipline)
    owed = sorted(
        ((child, positions[child.pk]) for child in caseload if positions.get(child.pk, {}).get("owed", 0) > 0),
        key=lambda pair: (-pair[1]["owed"], pair[0].last_name),
    )
    for _, slots in days:
        for slot in slots:
            for attendance in slot.attendances:
                attendance.owed = positions.get(attendance.child_id, {}).get("owed", 0)
    access_record_many(request=request, action="view-my-week", children=children | {c for c, _ in owed})
    return render(request, "delivery/my_week.html", {
        "therapist": therapist, "days": days, "monday": monday, "today": today, "positions": positions,
        "previous_week": monday - dt.timedelta(weeks=1), "next_week": monday + dt.timedelta(weeks=1), "owed": owed,
    })


@login_required
@require_http_methods(["GET", "POST"])
def sessions_book(request: HttpRequest, item_pk: int) -> HttpResponse:
    """Book one session, a weekly series, or make-up sessions for one provision line."""
    therapist = therapist_or_404(request)
    try:
        item = ProvisionItem.objects.select_related("child__current_setting").get(
            pk=item_pk, child__in=children_visible_to(request.user, now=clock.now()), discipline=therapist.discipline
        )
    except ProvisionItem.DoesNotExist:
        raise Http404("No provision line found") from None
    access_record(request=request, action="book-sessions", child=item.child)
    form = BookSessionsForm(request.POST or None, initial={
        "minutes": item.minutes or 30, "make_up": request.GET.get("make_up") == "1", "starts_at": dt.time(9, 30),
        "first_date": clock.today() + dt.timedelta(days=1),
    })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booked, skipped = services.sessions_book(
                therapist=therapist, provision_item=item, first_date=data["first_date"], starts_at=data["starts_at"],
                minutes=data["minutes"], repeat_until=data["repeat_until"], make_up=data["make_up"],
                today=clock.today(), now=clock.now(), journey_minutes=journey_minutes_for(therapist.local_area),
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            text = f"{len(booked)} session{'s' if len(booked) != 1 else ''} booked for {item.child.full_name}"
            messages.success(request, text)
            for day, reason in skipped:
                messages.warning(request, f"Not booked on {day:%-d %B %Y}: {reason}")
            return redirect(f"{reverse('delivery:my-week')}?week={selectors.monday_of(booked[0].date).isoformat()}")
    return render(request, "delivery/book.html", {"form": form, "item": item, "child": item.child},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def session_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    therapist_or_404(request)
    session = selectors.session_get_for_user(request.user, pk)
    if session.status != SessionStatus.PLANNED:
        raise Http404("Only planned sessions can be moved")
    form = RescheduleForm(request.POST or None, initial={"date": session.date, "starts_at": session.starts_at})
    if request.method == "POST" and form.is_valid():
        try:
            services.session_reschedule(session=session, date=form.cleaned_data["date"], starts_at=form.cleaned_data["starts_at"],
                                        today=clock.today(), now=clock.now(), journey_minutes=journey_minutes_for(session.local_area))
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Session moved to {session.date:%A %-d %B}")
            return redirect(f"{reverse('delivery:my-week')}?week={selectors.monday_of(session.date).isoformat()}")
    return render(request, "delivery/reschedule.html", {"form": form, "session": session}, status=400 if form.errors else 200)


@login_required
def setting_therapy(request: HttpRequest, setting_pk: int) -> HttpResponse:
    """The SENCO's page: visits this week, what pupils are due, programmes, this term so far."""
    if not can(request.user, Capability.SEE_SETTINGS):
        raise Http404("Not available for this role")
    setting = setting_get_for_user(request.user, setting_pk)
    context = setting_therapy_context(request.user, setting, today=clock.today(), now=clock.now())
    access_record_many(request=request, action="view-setting-therapy", children=set(context.pop("children_shown")),
                       detail=f"setting {setting.pk}")
    return render(request, "delivery/setting_therapy.html", {"setting": setting, **context})
