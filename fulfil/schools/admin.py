from django.contrib import admin

from fulfil.schools.models import EducationSetting


@admin.register(EducationSetting)
class EducationSettingAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "setting_type", "phase", "postcode", "local_area"]
    list_filter = ["setting_type", "phase", "local_area"]
    search_fields = ["name", "urn", "postcode"]
