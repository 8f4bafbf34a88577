from django.urls import path

from fulfil.pages.views import settings as views

app_name = "schools"
urlpatterns = [
    path("", views.setting_list, name="list"),
    path("<int:pk>/", views.setting_detail, name="detail"),
]
