from django.contrib import admin

from fulfil.ledger.models import LedgerSettings, ProvisionPause


@admin.register(LedgerSettings)
class LedgerSettingsAdmin(admin.ModelAdmin):
    list_display = ["local_area", "records_from", "cancelled_by_setting", "cancelled_by_family", "did_not_attend", "independent_hourly_rate"]


@admin.register(ProvisionPause)
class ProvisionPauseAdmin(admin.ModelAdmin):
    list_display = ["child_id", "provision_item_id", "starts_on", "ends_on", "reason"]
    raw_id_fields = ["child", "provision_item", "recorded_by"]

    def has_delete_permission(self, request, obj=None):
        return False
