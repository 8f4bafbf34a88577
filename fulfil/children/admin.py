from django.contrib import admin

from fulfil.children.models import Child, DisciplineSupport, Enrolment, ParentCarer, UpnRecord


class UpnInline(admin.TabularInline):
    model = UpnRecord
    extra = 0


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    raw_id_fields = ["setting"]


class ParentCarerInline(admin.TabularInline):
    model = ParentCarer
    extra = 0


class SupportInline(admin.TabularInline):
    model = DisciplineSupport
    extra = 0


@admin.register(Child)
class ChildAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "sen_status", "primary_need", "current_setting", "local_area"]
    list_filter = ["sen_status", "primary_need", "local_area"]
    search_fields = ["last_name", "first_name", "nhs_number", "upn"]
    raw_id_fields = ["current_setting"]
    inlines = [UpnInline, EnrolmentInline, ParentCarerInline, SupportInline]

    def has_delete_permission(self, request, obj=None):
        return False  # archive with a reason instead
