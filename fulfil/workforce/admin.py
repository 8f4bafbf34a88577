from django.contrib import admin

from fulfil.workforce.models import Absence, CaseloadAssignment, Provider, Therapist, Vacancy


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "local_area"]


class AbsenceInline(admin.TabularInline):
    model = Absence
    extra = 0


@admin.register(Therapist)
class TherapistAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "discipline", "band", "contracted_hours", "provider"]
    list_filter = ["discipline", "provider"]
    filter_horizontal = ["settings_covered"]
    inlines = [AbsenceInline]


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["provider", "discipline", "band", "hours", "open_from", "filled_on"]


@admin.register(CaseloadAssignment)
class CaseloadAssignmentAdmin(admin.ModelAdmin):
    list_display = ["therapist", "child_id", "discipline", "starts_on", "ends_on"]
    raw_id_fields = ["therapist", "child"]
