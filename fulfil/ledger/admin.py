from django.contrib import admin

from fulfil.ledger.models import LedgerSettings


@admin.register(LedgerSettings)
class LedgerSettingsAdmin(admin.ModelAdmin):
    list_display = ["local_area", "records_from", "cancelled_by_setting", "cancelled_by_family", "did_not_attend", "independent_hourly_rate"]

# Pauses are not here: each names a child's line and is the council's recorded decision (issue 18).
