from django.urls import path

from fulfil.ledger import views

app_name = "ledger"
urlpatterns = [
    path("shortfall/", views.shortfall, name="shortfall"),
    path("shortfall.csv", views.shortfall_csv, name="shortfall-csv"),
    path("shortfall.xlsx", views.shortfall_xlsx, name="shortfall-xlsx"),
    path("children/<uuid:public_id>/pause/", views.pause_create, name="pause-create"),
]
