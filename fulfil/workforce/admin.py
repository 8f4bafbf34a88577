from django.contrib import admin

from fulfil.workforce.models import Absence, Provider, Therapist, Vacancy


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

# Caseloads are not here: each row names a child (issue 18).
