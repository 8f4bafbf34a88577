from django.contrib import admin

from fulfil.plans.models import Outcome, Plan, PlanVersion, ProvisionItem


class VersionInline(admin.TabularInline):
    model = PlanVersion
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["reference", "status", "first_issued_on", "local_area"]
    search_fields = ["reference"]
    raw_id_fields = ["child"]
    inlines = [VersionInline]

    def has_delete_permission(self, request, obj=None):
        return False


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0


class ProvisionInline(admin.StackedInline):
    model = ProvisionItem
    extra = 0
    raw_id_fields = ["child"]


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "reason", "issued_on", "status"]
    inlines = [OutcomeInline, ProvisionInline]
