from django.contrib import admin
from django.urls import include, path

# Pages that compose several domains are served from fulfil.pages under the namespace their
# domain had, so every URL name (children:detail, delivery:my-week ...) is unchanged.
urlpatterns = [
    path("", include("fulfil.pages.urls.core")),
    path("", include("fulfil.accounts.urls")),
    path("children/", include("fulfil.pages.urls.children")),
    path("settings/", include("fulfil.pages.urls.schools")),
    path("therapists/", include("fulfil.pages.urls.workforce")),
    path("reports/", include("fulfil.ledger.urls")),
    path("plans/", include("fulfil.plans.urls")),
    path("benchmarks/", include("fulfil.comparisons.urls")),
    path("therapy/", include("fulfil.pages.urls.delivery")),
    path("planning/", include("fulfil.planning.urls")),
    path("admin/", admin.site.urls),
]
