from django.urls import path

from fulfil.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    # /healthz for load balancers and `fulfil serve`'s supervisor; /healthcheck/ kept for old probes.
    path("healthcheck/", views.healthcheck, name="healthcheck"),
    path("healthz", views.healthcheck, name="healthcheck"),
]
