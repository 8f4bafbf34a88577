from django.contrib import admin

from fulfil.core.models import ClosureDay, LocalArea, TermDates


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

# The access log is not here: it names children. It is read on Fulfil's own pages by those
# who may (a child's access history), and the database keeps it append-only.
