from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from fulfil.accounts.models import FamilyLink, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "local_area", "is_active"]
    list_filter = ["role", "local_area", "is_active"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("Role and relationships", {"fields": ["role", "local_area", "provider", "setting", "therapist"]}),
    )
    raw_id_fields = ["therapist", "setting", "provider"]


@admin.register(FamilyLink)
class FamilyLinkAdmin(admin.ModelAdmin):
    list_display = ["user", "child_id", "starts_on", "ends_on"]
    raw_id_fields = ["user", "child"]
