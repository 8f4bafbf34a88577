"""Django admin is not a back door (issue 18): it holds no model that names a child, the demo
administrator is not a superuser, every admin page it can open is about accounts and
configuration, and a change of role needs a reason that is kept."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from fulfil.accounts.models import User
from fulfil.children.models import Child

pytestmark = pytest.mark.django_db


def names_a_child(model, seen=None) -> bool:
    """Whether a model's rows say something about a particular child: the child itself, or a
    relation (at any depth through the model's own foreign keys) that reaches one."""
    seen = seen or set()
    if model is Child:
        return True
    if model in seen:
        return False
    seen.add(model)
    return any(field.related_model is not None and names_a_child(field.related_model, seen)
               for field in model._meta.get_fields() if field.concrete and (field.many_to_one or field.one_to_one or field.many_to_many))


# Accounts and configuration: nothing else may be in admin (issue 18).
ALLOWED_IN_ADMIN = {"accounts.User", "core.ClosureDay", "core.LocalArea", "core.TermDates", "ledger.LedgerSettings",
                    "schools.EducationSetting", "workforce.Provider", "workforce.Therapist", "workforce.Vacancy"}


def test_admin_holds_accounts_and_configuration_only():
    # Not authenticators (they would skip the enrolment code), groups, sign-in attempts or jobs.
    assert {m._meta.label for m in admin.site._registry} == ALLOWED_IN_ADMIN


def test_no_model_in_admin_names_a_child():
    registered = {model: model_admin for model, model_admin in admin.site._registry.items()}
    naming = [m._meta.label for m, a in registered.items()
              if names_a_child(m) or any(names_a_child(inline.model) for inline in a.inlines)]
    assert naming == []
    # The check works: the models that do name a child are found.
    assert names_a_child(apps.get_model("delivery", "Attendance")) and names_a_child(apps.get_model("accounts", "FamilyLink"))


def test_the_demo_administrator_is_not_a_superuser_and_cannot_open_child_records(client, transactional_db):
    call_command("generate", "--seed", "2", "--today", "2026-11-25", "--children", "60", verbosity=0)
    admin_user = User.objects.get(username="admin")
    assert admin_user.is_staff and not admin_user.is_superuser
    client.force_login(admin_user)
    assert client.get(reverse("admin:index")).status_code == 200
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
    # Child data is simply not there, and Fulfil's own child pages refuse the role.
    for url in ("/admin/children/child/", "/admin/delivery/session/", "/admin/accounts/familylink/", "/admin/core/accessrecord/",
                "/admin/workforce/caseloadassignment/", "/admin/plans/plan/", "/admin/ledger/provisionpause/"):
        assert client.get(url).status_code == 404, url
    child = Child.objects.first()
    assert client.get(reverse("children:detail", args=[child.public_id])).status_code == 404
    # Nor can it make itself (or anyone) a superuser: the flags are not on the form.
    page = client.get(reverse("admin:accounts_user_change", args=[User.objects.get(username="officer").pk])).content.decode()
    assert 'name="is_superuser"' not in page and 'name="is_staff"' not in page and 'name="user_permissions"' not in page


def test_a_role_change_needs_a_reason_which_is_kept_and_nobody_changes_their_own(client, area):
    admin_user = User.objects.create(username="administrator", role="admin", local_area=area, is_staff=True)
    from fulfil.accounts.admin import administrator_permissions

    admin_user.user_permissions.set(administrator_permissions())
    officer = User.objects.create(username="someone", role="senco", local_area=area)
    client.force_login(admin_user)
    url = reverse("admin:accounts_user_change", args=[officer.pk])
    form = {"username": "someone", "first_name": "", "last_name": "", "email": "", "is_active": "on", "role": "council_officer",
            "local_area": str(area.pk), "provider": "", "setting": "", "therapist": "", "reason": ""}
    refused = client.post(url, form)
    assert refused.status_code == 200 and "Say why the role or relationship changes" in refused.content.decode()
    officer.refresh_from_db()
    assert officer.role == "senco"
    assert client.post(url, {**form, "reason": "Moved to the SEND team"}).status_code == 302
    officer.refresh_from_db()
    assert officer.role == "council_officer" and not officer.is_superuser
    entry = LogEntry.objects.get(object_id=str(officer.pk))
    assert entry.user_id == admin_user.pk and "Reason: Moved to the SEND team" in entry.get_change_message()
    # Their own role is not on their form; no account can be deleted.
    own = client.get(reverse("admin:accounts_user_change", args=[admin_user.pk])).content.decode()
    assert 'name="role"' not in own
    assert client.get(reverse("admin:accounts_user_delete", args=[officer.pk])).status_code == 403


@pytest.mark.parametrize("role", ["council_officer", "commissioner", "service_manager", "therapist", "senco", "parent", None])
def test_no_other_role_and_nobody_signed_out_opens_any_admin_page(client, area, role):
    """Every admin route, for every role but the administrator and for a visitor: the admin's
    sign-in page, never a list or a record."""
    from fulfil.factories import UserFactory

    if role:
        client.force_login(UserFactory(role=role, local_area=area))
    target = User.objects.create(username="target", role="senco", local_area=area)
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls = [reverse(f"admin:{info[0]}_{info[1]}_changelist"), reverse(f"admin:{info[0]}_{info[1]}_add")]
        if model is User:
            urls.append(reverse("admin:accounts_user_change", args=[target.pk]))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], (role, url)
