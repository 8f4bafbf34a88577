from django.contrib import admin

from fulfil.delivery.models import Attendance, Session


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["child", "provision_item"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["date", "starts_at", "therapist", "setting", "kind", "status", "minutes"]
    list_filter = ["status", "kind"]
    date_hierarchy = "date"
    raw_id_fields = ["therapist", "setting"]
    inlines = [AttendanceInline]

    def has_delete_permission(self, request, obj=None):
        return False
