from django.urls import path

from fulfil.planning import views

app_name = "planning"
urlpatterns = [
    path("capacity/", views.capacity, name="capacity"),
]
