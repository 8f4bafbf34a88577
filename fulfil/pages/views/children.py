"""Children pages: the list, the child record, its access history, the subject access export and
emergency access. Every view starts from `children_visible_to` / `child_get_for_user` and writes
an access record for the children it shows."""

import json

from django.conf import settings
from django.contrib import messages as notices
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from fulfil.accounts.audit import access_record, access_record_many
from fulfil.accounts.breakglass import break_glass_active, break_glass_allowed, break_glass_open
from fulfil.accounts.forms import BreakGlassForm
from fulfil.accounts.models import AccessRecord, Role
from fulfil.accounts.policy import Capability, can
from fulfil.accounts.scopes import ROLES_WITH_CHILD_ACCESS, child_get_for_user, settings_visible_to
from fulfil.children.forms import ChildSearchForm
from fulfil.children.models import SenStatus
from fulfil.core import clock
from fulfil.ledger.positions import child_ledgers_stored
from fulfil.pages.child_record import child_record, child_search
from fulfil.pages.subject_access import child_subject_access as gather
from fulfil.plans.models import VersionStatus
from fulfil.plans.selectors import statutory_cases
from fulfil.plans.wording import check_statement


@login_required
def child_list(request: HttpRequest) -> HttpResponse:
    if request.user.role not in ROLES_WITH_CHILD_ACCESS:
        raise Http404("No child list for this role")
    form = ChildSearchForm(request.GET or None, settings_choices=settings_visible_to(request.user).only("pk", "name"))
    filters = form.cleaned_data if form.is_valid() else {}
    children = child_search(
        user=request.user,
        now=clock.now(),
        query=filters.get("q") or "",
        setting_id=filters.get("setting"),
        need=filters.get("need") or "",
        discipline=filters.get("discipline") or "",
        sen_status=filters.get("sen_status") or "",
    )
    page = Paginator(children, settings.FULFIL_PAGE_SIZE).get_page(request.GET.get("page"))
    access_record_many(request=request, action="list-children", children=page.object_list)
    return render(request, "children/list.html", {"form": form, "page": page, "filtered": bool(filters and any(filters.values())),
                                                  "can_break_glass": break_glass_allowed(request.user)})


@login_required
def child_detail(request: HttpRequest, public_id) -> HttpResponse:
    now = clock.now()
    child = child_get_for_user(request.user, public_id, now=now)
    emergency = break_glass_active(user=request.user, child=child, now=now)
    access_record(request=request, action="view-child", child=child, detail=f"break-glass: {emergency.reason}" if emergency else "")
    record = child_record(child)
    today = clock.today()
    # What was delivered against each line is the ledger's to say (child_ledgers_stored reads the stored positions); the page only
    # groups the sessions under their lines.
    ledger_context, ledgers = child_ledgers_stored(child, today=today)
    sessions_by_item: dict[int, list] = {}
    unlinked = []
    for attendance in record["attendances"]:
        if attendance.provision_item_id:
            sessions_by_item.setdefault(attendance.provision_item_id, []).append(attendance)
        else:
            unlinked.append(attendance)
    items = [{
        "item": item,
        "attendances": sessions_by_item.get(item.pk, []),
        "current": item.plan_version.status == VersionStatus.FINAL,
        "ledger": ledgers.get(item.pk),
        "wording": check_statement(item.wording),
    } for item in record["items"]]
    # The address is shown only to the council when it is marked confidential.
    show_address = not child.confidential_address or can(request.user, Capability.SEE_CONFIDENTIAL_ADDRESS)
    # The council runs assessments and reviews and records their steps; the family sees where
    # their own child's stand and when each next step is due.
    statutory = statutory_cases(child, today=today) if request.user.role in (Role.COUNCIL_OFFICER, Role.PARENT) else None
    return render(request, "children/detail.html", {
        "statutory": statutory, "can_record_steps": can(request.user, Capability.MAINTAIN_PLANS),
        "child": child, "record": record, "items": items, "unlinked": unlinked,
        "show_address": show_address, "today": today, "records_from": ledger_context.records_from,
        "can_pause": can(request.user, Capability.PAUSE_LEDGER),
        "emergency": emergency,
        "can_add_line": can(request.user, Capability.MAINTAIN_PLANS) and child.sen_status == SenStatus.EHCP,
        "can_set_programme": can(request.user, Capability.RECORD_SESSIONS) and child.current_setting_id is not None,
        # Therapists book sessions for lines of their own discipline.
        "book_discipline": request.user.therapist.discipline if request.user.role == Role.THERAPIST and request.user.therapist_id else "",
    })


@login_required
def child_access_history(request: HttpRequest, public_id) -> HttpResponse:
    """Who has seen this child's records, when and how: for the council's privacy officer."""
    if not can(request.user, Capability.SEE_ACCESS_HISTORY):
        raise Http404("Not available for this role")
    child = child_get_for_user(request.user, public_id, now=clock.now())
    # Recorded first, so the page counts and shows its own viewing too.
    access_record(request=request, action="view-access-history", child=child)
    records = AccessRecord.objects.filter(child=child).select_related("user").order_by("-at", "-pk")
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(request, "children/access_history.html", {"child": child, "page": page})


@login_required
def child_subject_access(request: HttpRequest, public_id, fmt: str) -> HttpResponse:
    """Everything held about the child, for a subject access request: JSON or PDF."""
    if not can(request.user, Capability.SEE_ACCESS_HISTORY):
        raise Http404("Not available for this role")
    now = clock.now()
    child = child_get_for_user(request.user, public_id, now=now)
    access_record(request=request, action=f"subject-access-{fmt}", child=child)
    data = gather(child, now=now)
    filename = f"subject-access-{child.public_id}.{fmt}"
    if fmt == "json":
        response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    else:
        from weasyprint import HTML  # noqa: PLC0415 - heavy (pango, fonts): loaded only when a PDF is asked for

        html = render_to_string("children/subject_access_pdf.html", {"data": data, "child": child})
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def break_glass(request: HttpRequest) -> HttpResponse:
    """Emergency access: a reason and the child's NHS number open their record for an hour."""
    if not break_glass_allowed(request.user):
        raise Http404("Not available for this role")
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            grant = break_glass_open(user=request.user, nhs_number=form.cleaned_data["nhs_number"],
                                     reason=form.cleaned_data["reason"], now=clock.now())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            access_record(request=request, action="break-glass", child=grant.child, detail=grant.reason)
            if grant.alert_failure:
                # The user must know the privacy officer has not been told, and tell them.
                notices.warning(request, f"The privacy officer could not be told by e-mail ({grant.alert_failure}). "
                                         "Tell them yourself today. This has been recorded.")
            return redirect("children:detail", public_id=grant.child.public_id)
    return render(request, "children/break_glass.html", {"form": form})
