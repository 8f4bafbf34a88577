"""The administrator's part of Django admin: accounts, with no child data (issue 18).

The administrator manages who may sign in and in which role. They are not a superuser and
cannot make anyone one: the staff and superuser flags, groups and permissions are not on the
form. A change of role or relationship (area, service, school, therapist) needs a reason, kept
with who made it and when in the admin's change history; nobody changes their own role; no
account is deleted (deactivate it instead). Family links name a child, so they are not here.
"""

from __future__ import annotations

import json

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from fulfil.accounts.models import User

# What decides which records an account can open.
RELATIONSHIP_FIELDS = ("role", "local_area", "provider", "setting", "therapist")

# Other apps' admin pages that would be back doors: an authenticator added here skips the
# enrolment code (ADR 15); groups carry permissions; sign-in attempts name staff and deleting
# them hides an attack; jobs are the queue's own. Their admin modules load before this one
# (INSTALLED_APPS order), so they are taken out here.
NOT_IN_ADMIN = ("otp_totp.TOTPDevice", "auth.Group", "axes.AccessAttempt", "axes.AccessFailureLog", "axes.AccessLog",
                "django_tasks_database.DBTaskResult")
for _label in NOT_IN_ADMIN:
    _model = apps.get_model(_label)
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class AccountChangeForm(UserChangeForm):
    reason = forms.CharField(required=False, max_length=300, label="Reason for the change",
                             help_text="Required when the role or a relationship changes, for example 'started as SENCO at Oak Primary'.")

    class Meta(UserChangeForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email", "is_active", *RELATIONSHIP_FIELDS)

    def clean(self):
        data = super().clean()
        if any(name in self.changed_data for name in RELATIONSHIP_FIELDS) and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why the role or relationship changes: it is kept with the change")
        return data


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AccountChangeForm
    list_display = ["username", "first_name", "last_name", "role", "local_area", "is_active"]
    list_filter = ["role", "local_area", "is_active"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Name and e-mail", {"fields": ("first_name", "last_name", "email")}),
        ("Role and relationships", {"fields": (*RELATIONSHIP_FIELDS, "reason")}),
        ("Status", {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    raw_id_fields = ["therapist", "setting", "provider"]

    def get_queryset(self, request):
        # Superusers (the people who run the servers) are not managed from here.
        return super().get_queryset(request).filter(is_superuser=False)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.pk == request.user.pk:
            return [*self.readonly_fields, *RELATIONSHIP_FIELDS]  # nobody changes their own role
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: the account's history stays attached to it

    def save_model(self, request, obj, form, change):
        obj.is_superuser = False
        super().save_model(request, obj, form, change)

    def log_change(self, request, obj, message):
        form_reason = (request.POST.get("reason") or "").strip()
        if form_reason:
            text = LogEntry(change_message=json.dumps(message)).get_change_message() if isinstance(message, list) else message
            message = f"{text} Reason: {form_reason}"
        return super().log_change(request, obj, message)


def administrator_permissions():
    """What the administrator role may do in admin: view, add and change every model registered
    there (accounts, areas, term dates, settings, services, therapists); delete nothing."""
    types = [ContentType.objects.get_for_model(model) for model in admin.site._registry]
    return Permission.objects.filter(content_type__in=types, codename__regex=r"^(view|add|change)_")
