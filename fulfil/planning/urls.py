from django.urls import path

from fulfil.planning import views

app_name = "planning"
urlpatterns = [
    path("capacity/", views.capacity, name="capacity"),
    path("planner/", views.planner, name="planner"),
    path("planner/<int:pk>/", views.planner_run, name="run"),
    path("planner/<int:pk>/apply/", views.planner_run_apply, name="run-apply"),
    path("recovery/", views.recovery, name="recovery"),
]
