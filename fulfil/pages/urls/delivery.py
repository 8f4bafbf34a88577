from django.urls import path

from fulfil.delivery.urls import urlpatterns as delivery_patterns
from fulfil.pages.views import therapy as views

# The "delivery" namespace: delivery's own pages, and the four that also read the ledger or the
# planner's settings, which live here in the pages layer.
app_name = "delivery"
urlpatterns = [
    path("my-week/", views.my_week, name="my-week"),
    path("sessions/book/<int:item_pk>/", views.sessions_book, name="book"),
    path("sessions/<int:pk>/reschedule/", views.session_reschedule, name="session-reschedule"),
    path("settings/<int:setting_pk>/therapy/", views.setting_therapy, name="setting-therapy"),
    *delivery_patterns,
]
