from django.urls import path

from fulfil.workforce import views

app_name = "workforce"
urlpatterns = [
    path("", views.therapist_list, name="list"),
    path("<int:pk>/", views.therapist_detail, name="detail"),
]
