from django.urls import path

from fulfil.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthcheck/", views.healthcheck, name="healthcheck"),
]
