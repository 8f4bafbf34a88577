from django.contrib import admin

from fulfil.core.models import AccessRecord, ClosureDay, LocalArea, TermDates


@admin.register(LocalArea)
class LocalAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "la_number", "ons_code", "region"]


@admin.register(TermDates)
class TermDatesAdmin(admin.ModelAdmin):
    list_display = ["local_area", "academic_year", "term", "starts_on", "ends_on"]
    list_filter = ["local_area", "academic_year"]


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    list_display = ["local_area", "date", "description"]


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """Read-only: the access log is append-only."""

    list_display = ["at", "user", "role", "action", "child_id", "path"]
    list_filter = ["action", "role"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
