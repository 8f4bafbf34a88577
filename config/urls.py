from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("fulfil.core.urls")),
    path("", include("fulfil.accounts.urls")),
    path("children/", include("fulfil.children.urls")),
    path("settings/", include("fulfil.schools.urls")),
    path("therapists/", include("fulfil.workforce.urls")),
    path("reports/", include("fulfil.ledger.urls")),
    path("plans/", include("fulfil.plans.urls")),
    path("benchmarks/", include("fulfil.comparisons.urls")),
    path("therapy/", include("fulfil.delivery.urls")),
    path("planning/", include("fulfil.planning.urls")),
    path("admin/", admin.site.urls),
]
