from django.urls import path

from fulfil.core import views

# The "core" namespace is completed by fulfil.pages.urls.core, which adds the home page.
urlpatterns = [
    # /healthz for load balancers and `fulfil serve`'s supervisor; /healthcheck/ kept for old probes.
    path("healthcheck/", views.healthcheck, name="healthcheck"),
    path("healthz", views.healthcheck, name="healthcheck"),
]
