"""Settings pages: the list of schools and settings, and one setting's pupils with plans."""

from django.conf import settings as django_settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fulfil.accounts.audit import access_record_many
from fulfil.accounts.scopes import SETTING_LIST_ROLES, setting_get_for_user, settings_visible_to
from fulfil.core import clock
from fulfil.pages.setting import setting_pupils
from fulfil.schools.models import SettingType
from fulfil.schools.selectors import settings_with_pupil_counts


@login_required
def setting_list(request: HttpRequest) -> HttpResponse:
    if request.user.role not in SETTING_LIST_ROLES:
        raise Http404("No settings list for this role")
    query = request.GET.get("q", "").strip()[:100]
    setting_type = request.GET.get("type", "")
    if setting_type not in SettingType.values:
        setting_type = ""
    settings = settings_with_pupil_counts(settings_visible_to(request.user), query=query, setting_type=setting_type)
    page = Paginator(settings, 50).get_page(request.GET.get("page"))
    return render(request, "schools/list.html", {
        "page": page, "query": query, "setting_type": setting_type, "types": SettingType.choices,
    })


@login_required
def setting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    setting = setting_get_for_user(request.user, pk)
    pupils = setting_pupils(request.user, setting, now=clock.now(), today=clock.today())
    page = Paginator(pupils, django_settings.FULFIL_PAGE_SIZE * 2).get_page(request.GET.get("page"))
    access_record_many(request=request, action="list-setting-pupils", children=[row.child for row in page.object_list],
                       detail=f"setting {setting.pk}")
    therapists = setting.therapists.filter(archived_at__isnull=True).order_by("discipline", "last_name")
    return render(request, "schools/detail.html", {"setting": setting, "page": page, "therapists": therapists})
