from django.urls import path

from fulfil.pages.views import therapists as views

app_name = "workforce"
urlpatterns = [
    path("", views.therapist_list, name="list"),
    path("<int:pk>/", views.therapist_detail, name="detail"),
    path("<int:pk>/working-days/", views.therapist_working_days, name="working-days"),
]
