from django.urls import path

from fulfil.comparisons import views

app_name = "comparisons"
urlpatterns = [path("", views.area_benchmarks, name="area")]
